package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// key names one cell of the table.
type key struct{ Row, Dtype, Backend string }

// samples holds the timings, in milliseconds, of each cell: one per
// benchmark line (Go) or per round (PyTorch).
type samples map[key][]float64

// parseGo reads the output of `go test -bench` and adds the ns/op of every
// line that belongs to one of specs to into, in milliseconds. Lines of
// other benchmarks, or of sub-benchmarks other than a spec's Sub, are
// skipped; a benchmark line without an ns/op figure is an error.
func parseGo(r io.Reader, specs []spec, into samples) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 4 {
			// A benchmark that failed or logged prints its name alone.
			continue
		}
		k, ok := classify(fields[0], specs)
		if !ok {
			continue
		}
		ns, err := nsPerOp(fields[2:])
		if err != nil {
			return fmt.Errorf("bench: %q: %w", line, err)
		}
		into[k] = append(into[k], ns/1e6)
	}
	return sc.Err()
}

// nsPerOp finds the value whose unit is ns/op among the value–unit pairs
// that follow a benchmark's iteration count.
func nsPerOp(pairs []string) (float64, error) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "ns/op" {
			v, err := strconv.ParseFloat(pairs[i], 64)
			if err != nil {
				return 0, fmt.Errorf("ns/op value %q: %w", pairs[i], err)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("no ns/op figure")
}

// classify maps a benchmark's full name, such as
// BenchmarkEquiFwdBwd/f32/accel-2, to its cell. The -N suffix that go test
// appends for GOMAXPROCS is dropped.
func classify(name string, specs []spec) (key, bool) {
	parts := strings.Split(trimProcs(name), "/")
	for _, s := range specs {
		if parts[0] != s.Func {
			continue
		}
		k := key{Row: s.Row, Dtype: s.Dtype, Backend: s.Backend}
		if k.Backend == "" {
			k.Backend = "default"
		}
		sub := s.Sub == ""
		other := false
		for _, p := range parts[1:] {
			if p == s.Sub {
				sub = true
				continue
			}
			// An element may name its value, as in blas=accel.
			if _, v, ok := strings.Cut(p, "="); ok {
				p = v
			}
			switch p {
			case "f32", "float32":
				k.Dtype = "f32"
			case "f64", "float64":
				k.Dtype = "f64"
			case "gonum", "accel", "openblas":
				k.Backend = p
			default:
				other = true
			}
		}
		// A sub-benchmark element the spec does not know (another set
		// size, say) is another benchmark.
		if !sub || other || k.Dtype == "" {
			return key{}, false
		}
		return k, true
	}
	return key{}, false
}

// trimProcs drops a trailing -N from the last element of a benchmark name.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i < strings.LastIndexByte(name, '/') || i == len(name)-1 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// parseTorch reads torch_ref.py's output, lines of
//
//	NAME  median_ms  min_ms  max_ms
//
// and a closing comment "# torch VERSION …", and adds each line's median,
// in milliseconds, to into under dtype and backend "torch". It returns the
// comment.
func parseTorch(r io.Reader, dtype string, into samples) (string, error) {
	sc := bufio.NewScanner(r)
	note := ""
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			note = strings.TrimSpace(strings.TrimPrefix(line, "#"))
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			return "", fmt.Errorf("bench: torch_ref.py line %q: want NAME MEDIAN MIN MAX", line)
		}
		ms, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return "", fmt.Errorf("bench: torch_ref.py line %q: %w", line, err)
		}
		k := key{Row: f[0], Dtype: dtype, Backend: "torch"}
		into[k] = append(into[k], ms)
	}
	return note, sc.Err()
}
