package main

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symnet/symnet/internal/setlearn"
)

func TestRunWritesTableAndPlot(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-steps", "20", "-seeds", "2", "-width", "4", "-test", "600", "-curve", "2", "-out", dir}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	// One row per model, the published figures labelled as such, and the
	// baseline.
	for _, want := range []string{
		"| rFF + mean pooling |", "| 2.133 |", "| 1.902 |", "| 0.1355 |", "| 0.2085 |",
		"| equivariant (ρ = mean) + mean pooling |", "| equivariant (ρ = max) + max pooling |",
		"published MAE", "constant prediction",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "ETA") {
		t.Errorf("no progress with an ETA on stderr: %q", stderr.String())
	}
	f, err := os.Open(filepath.Join(dir, "maxregression.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.DecodeConfig(f); err != nil {
		t.Errorf("maxregression.png: %v", err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-steps", "0"}, {"-seeds", "-1"}, {"-size", "0"}, {"-size", "101"}, {"-width", "0"},
		{"-lr", "NaN"}, {"-lr", "0"}, {"-decay", "1.5"}, {"-scale", "0"}, {"-curve", "0"}, {"-models", "rff-mean,nope"},
		{"-out", ""}, {"-batch", "x"}, {"stray"},
	} {
		var stderr bytes.Buffer
		err := run(args, &bytes.Buffer{}, &stderr)
		if !errors.Is(err, setlearn.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
