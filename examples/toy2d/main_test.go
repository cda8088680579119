package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyArgs is a run of a few seconds: two methods, one data set, two
// seeds, 30 iterations of networks of 8 units, and loss curves for two γ
// (one of them the table's, so one curve run is shared).
func tinyArgs(out string, jobs string) []string {
	return []string{"-out", out, "-methods", "gan,bgan", "-data", "ring", "-seeds", "2", "-iters", "30",
		"-width", "8", "-depth", "2", "-batch", "16", "-ndisc", "2", "-gamma", "0.3",
		"-curve-gammas", "0.3,0.5", "-snapshots", "0,10,30", "-jobs", jobs}
}

// hasRow reports whether a line of text starts with the fields of prefix,
// whatever the column padding.
func hasRow(text, prefix string) bool {
	want := strings.Fields(prefix)
	for _, line := range strings.Split(text, "\n") {
		if f := strings.Fields(line); len(f) >= len(want) && slices.Equal(f[:len(want)], want) {
			return true
		}
	}
	return false
}

func readReport(t *testing.T, dir string) report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	return r
}

// TestRunWritesTableFiguresAndResults runs the program end to end and
// checks what it promises: a table row per method and data set, the
// published rows, the progress line on stderr, two decodable PNGs and a
// results file with every run; then runs it again one job at a time and
// checks that the metrics are the same (runs depend on their seeds only,
// not on the scheduling).
func TestRunWritesTableFiguresAndResults(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), tinyArgs(dir, "2"), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"GAN ring", "BGAN γ=0.3 ring", "PacGAN2 2D-ring 7.9 / 8", "PacGAN4 2D-grid 24.8 / 25"} {
		if !hasRow(out, want) {
			t.Errorf("table lacks a row starting %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "100.0% done") || !strings.Contains(stderr.String(), "ETA") {
		t.Errorf("no final progress line with ETA on stderr:\n%s", stderr.String())
	}
	for _, name := range []string{"samples-ring.png", "losses.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 200 || b.Dy() < 200 {
			t.Errorf("%s is only %v", name, b)
		}
	}

	rep := readReport(t, dir)
	// 2 methods × 2 seeds in the table, plus BGAN at γ = 0.5 for the
	// curves (the γ = 0.3 curve reuses the table's run).
	if len(rep.Runs) != 5 || len(rep.Table) != 2 || len(rep.Curves) != 2 {
		t.Fatalf("%d runs, %d table rows, %d curves; want 5, 2, 2", len(rep.Runs), len(rep.Table), len(rep.Curves))
	}
	for _, r := range rep.Table {
		if r.Seeds != 2 || r.K != 8 || r.Modes.Mean < 0 || r.Modes.Mean > 8 || r.HighQuality.Mean < 0 || r.HighQuality.Mean > 100 {
			t.Errorf("table row out of range: %+v", r)
		}
	}
	for _, r := range rep.Runs {
		if r.Table && r.Seed == 1 {
			its := []int{}
			for _, s := range r.Snapshots {
				its = append(its, s.Iteration)
			}
			if !slices.Equal(its, []int{0, 10, 30}) {
				t.Errorf("%s seed 1: snapshots at %v, want [0 10 30]", r.Method, its)
			}
		}
	}
	for _, c := range rep.Curves {
		if len(c.Iteration) != 30 || c.Iteration[29] != 30 {
			t.Errorf("curve γ=%v has %d points ending at %v, want 30 ending at 30", c.Gamma, len(c.Iteration), c.Iteration[len(c.Iteration)-1])
		}
	}

	dir1 := t.TempDir()
	if err := run(context.Background(), tinyArgs(dir1, "1"), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	again := readReport(t, dir1)
	for i, r := range rep.Runs {
		a := again.Runs[i]
		if r.Method != a.Method || r.Seed != a.Seed || r.Modes != a.Modes || r.HighQuality != a.HighQuality || r.ReverseKL != a.ReverseKL {
			t.Errorf("run %d differs between 2 jobs and 1: %+v vs %+v", i, r, a)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-methods", "wgan"},
		{"-data", "moons"},
		{"-gamma", "0.7"},
		{"-curve-gammas", "0.2,x"},
		{"-seeds", "0"},
		{"-snapshots", "5,1e9"},
		{"-lr", "-1"},
		{"-decay", "1.5"},
		{"extra"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		err := run(context.Background(), append(args, "-out", dir), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil {
			t.Errorf("%v: no error", args)
		}
		if _, serr := os.Stat(dir); serr == nil {
			t.Errorf("%v: output folder created despite the error", args)
		}
	}
}

func TestPaperFlags(t *testing.T) {
	o, err := parseFlags([]string{"-paper", "-iters", "100"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if o.width != 512 || o.depth != 3 || o.seeds != 5 || o.iters != 100 || o.snapshots != paperSnapshots || o.gamma != 0.3 || o.decay != 0 {
		t.Errorf("-paper -iters 100 gave %+v", o)
	}
}

// TestSpread: with no -snapshots, five iterations a factor of ten apart
// ending at the last, as the paper's 10, 100, 1000, 10000, 20000.
func TestSpread(t *testing.T) {
	for n, want := range map[int][]int{20000: {10, 100, 1000, 10000, 20000}, 3000: {1, 15, 150, 1500, 3000}, 30: {1, 15, 30}, 1: {1}} {
		if got := spread(n); !slices.Equal(got, want) {
			t.Errorf("spread(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestMeanSE checks the table's statistics on hand-computed values: for
// 1, 2, 3 the sample standard deviation is 1, so the s.e. is 1/√3. The
// operations are a handful of roundings: 1e-15.
func TestMeanSE(t *testing.T) {
	s := meanSE([]float64{1, 2, 3})
	if math.Abs(s.Mean-2) > 1e-15 || math.Abs(s.SE-1/math.Sqrt(3)) > 1e-15 {
		t.Errorf("meanSE(1, 2, 3) = %+v", s)
	}
	if s := meanSE([]float64{4}); s.Mean != 4 || !math.IsNaN(s.SE) {
		t.Errorf("one seed: %+v, want mean 4 and no s.e.", s)
	}
	raw, err := json.Marshal(meanSE([]float64{4}))
	if err != nil || string(raw) != `{"mean":4,"se":null}` {
		t.Errorf("JSON of one seed: %s, %v", raw, err)
	}
}
