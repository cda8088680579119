package setlearn

import (
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/plot"
)

func TestCurvePlotSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "curve.png")
	cp := CurvePlot{
		Title: "t", XLabel: "x", YLabel: "y", LogY: true,
		Series: []Series{
			{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, 0.5, 0.25}},
			// Non-positive and non-finite points are dropped, not fatal.
			{Name: "b", X: []float64{1, 2, 3}, Y: []float64{0, math.NaN(), 2}},
		},
	}
	if err := cp.Save(path, 4, 3); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// 4 × 3 inches at gonum's default 96 dpi.
	if cfg.Width != 384 || cfg.Height != 288 {
		t.Errorf("PNG is %d×%d, want 384×288", cfg.Width, cfg.Height)
	}
}

func TestCurvePlotRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, cp := range map[string]CurvePlot{
		"no series":     {LogY: true},
		"no log points": {LogY: true, Series: []Series{{X: []float64{1}, Y: []float64{0}}}},
		"all NaN":       {Series: []Series{{X: []float64{1, 2}, Y: []float64{math.NaN(), math.Inf(1)}}}},
	} {
		if err := cp.Save(filepath.Join(dir, "p.png"), 4, 3); !errors.Is(err, ErrNoData) {
			t.Errorf("%s: Save = %v, want ErrNoData", name, err)
		}
	}
	bad := CurvePlot{Series: []Series{{X: []float64{1, 2}, Y: []float64{1}}}}
	if err := bad.Save(filepath.Join(dir, "p.png"), 4, 3); err == nil {
		t.Error("series with 2 x and 1 y values accepted")
	}
}

func TestSaveGrid(t *testing.T) {
	dir := t.TempDir()
	p, err := CurvePlot{Series: []Series{{X: []float64{0, 1}, Y: []float64{0, 1}}}}.Plot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "grid.png")
	if err := SaveGrid([][]*plot.Plot{{p, nil}, {nil, p}}, path, 4, 4); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.DecodeConfig(f); err != nil {
		t.Errorf("not a PNG: %v", err)
	}
	if err := SaveGrid(nil, path, 4, 4); !errors.Is(err, ErrNoData) {
		t.Errorf("empty grid: %v, want ErrNoData", err)
	}
	if err := SaveGrid([][]*plot.Plot{{p, p}, {p}}, path, 4, 4); err == nil {
		t.Error("ragged grid accepted")
	}
}

func TestLogTicks(t *testing.T) {
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tk := range (logTicks{}).Ticks(lo, hi) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	eq := func(a, b []string) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		lo, hi float64
		want   []string
	}{
		// Within two decades: 1, 2 and 5 times the powers of ten.
		{0.03, 3, []string{"0.05", "0.1", "0.2", "0.5", "1", "2"}},
		// Narrower than the 1-2-5 grid: every multiple in range.
		{1.3, 2.3, []string{"2"}},
		// Beyond three decades: powers of ten only.
		{1e-3, 10, []string{"0.001", "0.01", "0.1", "1", "10"}},
	} {
		// For [1.3, 2.3] only 2 lies on the grid: one label, so every tick
		// (here again only 2) is labelled.
		if got := labels(c.lo, c.hi); !eq(got, c.want) {
			t.Errorf("labels on [%v, %v] = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	if got := labels(1.3, 4.5); !eq(got, []string{"2", "3", "4"}) {
		t.Errorf("labels on [1.3, 4.5] = %v, want every integer multiple", got)
	}
	if ticks := (logTicks{}).Ticks(-1, 2); ticks != nil {
		t.Errorf("ticks for a non-positive range: %v, want none", ticks)
	}
}
