package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// config holds the command's flags.
type config struct {
	count     int
	benchtime string
	tags      string
	threads   int
	// torchThreads is PyTorch's thread count; 0 means threads.
	torchThreads int
	python       string
	torchRef     string
	rows         *regexp.Regexp
}

func main() {
	var c config
	var rows string
	flag.IntVar(&c.count, "count", 5, "rounds: each runs every benchmark once, then PyTorch; the table shows medians over rounds")
	flag.StringVar(&c.benchtime, "benchtime", "1s", "go test -benchtime for each benchmark in a round")
	flag.StringVar(&c.tags, "tags", "", "build tags for the benchmarks (openblas adds OpenBLAS as a backend)")
	flag.IntVar(&c.threads, "threads", runtime.GOMAXPROCS(0), "GOMAXPROCS of the Go benchmarks")
	flag.IntVar(&c.torchThreads, "torchthreads", 0, "torch.set_num_threads of the PyTorch reference (default -threads)")
	flag.StringVar(&c.python, "python", "/usr/bin/python3", "Python with torch for the PyTorch reference")
	flag.StringVar(&c.torchRef, "torchref", "", "path of torch_ref.py (default ../shared/bench/torch_ref.py beside the module root)")
	flag.StringVar(&rows, "rows", "", "regular expression selecting rows by name (default all)")
	flag.Parse()
	if c.torchThreads == 0 {
		c.torchThreads = c.threads
	}
	if c.count < 1 || c.threads < 1 || c.torchThreads < 1 {
		fmt.Fprintln(os.Stderr, "bench: -count, -threads and -torchthreads must be at least 1")
		os.Exit(2)
	}
	var err error
	if c.rows, err = regexp.Compile(rows); err != nil {
		fmt.Fprintf(os.Stderr, "bench: -rows: %v\n", err)
		os.Exit(2)
	}
	if err := run(c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run builds the benchmarks' test binaries, runs count rounds of every
// selected benchmark and of torch_ref.py, and prints the table to out.
// Progress and warnings go to log.
func run(c config, out, log io.Writer) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "symnet-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)

	var selected []spec
	for _, s := range specs {
		if c.rows.MatchString(s.Row) {
			selected = append(selected, s)
		}
	}
	bins := map[string]string{}
	for _, s := range selected {
		if _, done := bins[s.Pkg]; done {
			continue
		}
		bin := filepath.Join(tmp, strings.ReplaceAll(s.Pkg, "/", "_")+".test")
		args := []string{"test", "-c", "-o", bin}
		if c.tags != "" {
			args = append(args, "-tags", c.tags)
		}
		args = append(args, "./"+s.Pkg)
		fmt.Fprintf(log, "building %s\n", s.Pkg)
		if msg, err := command(root, "go", args...); err != nil {
			fmt.Fprintf(log, "bench: %s does not build, its rows stay empty: %v\n%s", s.Pkg, err, msg)
			bin = ""
		}
		bins[s.Pkg] = bin
	}

	torchRef := c.torchRef
	if torchRef == "" {
		torchRef = filepath.Join(filepath.Dir(root), "shared", "bench", "torch_ref.py")
	}
	torchNote := torchAvailable(c.python, torchRef)
	useTorch := torchNote == ""

	s := samples{}
	for round := 1; round <= c.count; round++ {
		fmt.Fprintf(log, "round %d of %d\n", round, c.count)
		for _, sp := range selected {
			bin := bins[sp.Pkg]
			if bin == "" {
				continue
			}
			pattern := "^" + regexp.QuoteMeta(sp.Func) + "$"
			if sp.Sub != "" {
				pattern += "/^" + regexp.QuoteMeta(sp.Sub) + "$"
			}
			msg, err := command(filepath.Join(root, sp.Pkg), bin, "-test.run", "^$", "-test.bench", pattern,
				"-test.benchtime", c.benchtime, "-test.count", "1", "-test.cpu", fmt.Sprint(c.threads))
			if err != nil {
				return fmt.Errorf("bench: %s %s: %w\n%s", sp.Pkg, sp.Func, err, msg)
			}
			if err := parseGo(bytes.NewReader(msg), []spec{sp}, s); err != nil {
				return err
			}
		}
		if !useTorch {
			continue
		}
		for _, dt := range dtypes {
			msg, err := command(root, c.python, torchRef, "--dtype", dt, "--threads", fmt.Sprint(c.torchThreads), "--reps", "1")
			if err != nil {
				return fmt.Errorf("bench: torch_ref.py --dtype %s: %w\n%s", dt, err, msg)
			}
			note, err := parseTorch(bytes.NewReader(msg), dt, s)
			if err != nil {
				return err
			}
			// The header names one dtype; the table has both.
			torchNote = strings.TrimSpace(dtypeField.ReplaceAllString(note, ""))
		}
	}

	fmt.Fprintf(out, "symnet benchmarks, %s, %s %s/%s, %d threads, tags %q, %d rounds of -benchtime %s\n",
		time.Now().Format("2006-01-02 15:04"), runtime.Version(), runtime.GOOS, runtime.GOARCH, c.threads, c.tags, c.count, c.benchtime)
	if cpu := cpuModel(); cpu != "" {
		fmt.Fprintf(out, "cpu: %s\n", cpu)
	}
	if useTorch {
		fmt.Fprintf(out, "PyTorch: %s\n", torchNote)
	} else {
		fmt.Fprintf(out, "PyTorch: none (%s)\n", torchNote)
	}
	fmt.Fprintln(out)
	if err := writeTable(out, buildRows(selected, s)); err != nil {
		return err
	}
	fmt.Fprintln(out)
	return writeOverhead(out, s)
}

// dtypeField is the dtype=… field of torch_ref.py's header line.
var dtypeField = regexp.MustCompile(`\s*dtype=\S+`)

// moduleRoot is the directory of the go.mod that the go command sees from
// the working directory.
func moduleRoot() (string, error) {
	msg, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("bench: go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(msg))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("bench: run this command inside the symnet module")
	}
	return filepath.Dir(mod), nil
}

// command runs name with args in dir and returns its combined output.
func command(dir, name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// torchAvailable returns "" when python can import torch and torch_ref.py
// exists, and otherwise why not.
func torchAvailable(python, ref string) string {
	if _, err := os.Stat(ref); err != nil {
		return fmt.Sprintf("%s not found", ref)
	}
	if msg, err := exec.Command(python, "-c", "import torch").CombinedOutput(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(msg)), "\n")
		return fmt.Sprintf("%s cannot import torch: %v %s", python, err, first)
	}
	return ""
}

// cpuModel is the first model name in /proc/cpuinfo, or "" where there is
// none.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return ""
}
