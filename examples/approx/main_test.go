package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symnet/symnet/approx"
)

// TestRunSmall runs the whole program on a small configuration and checks
// what it promises: every part's table is printed and written to
// tables.txt, no polynomial network misses its tolerance on the random
// sets, and fit.png is a PNG of the size asked (7 × 4.5 inches at
// gonum/plot's 96 dpi).
func TestRunSmall(t *testing.T) {
	dir := t.TempDir()
	cfg := config{
		out: dir, seed: 1, widths: []int{1, 3}, targets: []approx.Target{approx.Mean, approx.Max},
		tols: []float64{1e-1}, steps: 40, setSize: 4,
	}
	var stdout bytes.Buffer
	if err := run(cfg, &stdout); err != nil {
		t.Fatal(err)
	}
	tables, err := os.ReadFile(filepath.Join(dir, "tables.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== 1.", "== 2a.", "== 2b.", "== 3.", "== 4.", "relative test RMSE"} {
		if !bytes.Contains(tables, []byte(want)) {
			t.Errorf("tables.txt lacks %q", want)
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if bytes.Contains(tables, []byte("ABOVE TOLERANCE")) {
		t.Errorf("a polynomial network missed its tolerance:\n%s", tables)
	}
	// Progress lines go to the terminal only.
	if !strings.Contains(stdout.String(), "-> relative test error") || bytes.Contains(tables, []byte("-> relative test error")) {
		t.Error("progress lines missing from the output or present in tables.txt")
	}
	f, err := os.Open(filepath.Join(dir, "fit.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 7*96 || b.Dy() != 432 {
		t.Errorf("fit.png is %d×%d, want 672×432", b.Dx(), b.Dy())
	}
}

func TestParseInts(t *testing.T) {
	got, err := parseInts("1, 2,64")
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 64 {
		t.Errorf("parseInts = %v, %v", got, err)
	}
	for _, bad := range []string{"", "0", "x", "2,-1", "100000"} {
		if _, err := parseInts(bad); err == nil {
			t.Errorf("parseInts(%q) accepted", bad)
		}
	}
}
