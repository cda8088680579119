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

func TestRunWritesTableAndPlots(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run([]string{"-train", "128", "-test", "100", "-epochs", "2", "-batch", "32", "-size", "32",
		"-widths", "8", "-head", "8", "-monitor", "50", "-out", dir}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	for _, want := range []string{"| all 100 test digits, every point |", "subsampled to half its points", "baseline: majority class"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "ETA") {
		t.Errorf("no progress with an ETA on stderr: %q", stderr.String())
	}
	for _, name := range []string{"mnistsets.png", "mnistsets-clouds.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.DecodeConfig(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-size", "0"}, {"-train", "0"}, {"-train", "60001"}, {"-test", "0"}, {"-test", "10001"},
		{"-epochs", "0"}, {"-batch", "0"}, {"-train", "10", "-batch", "64"}, {"-widths", "64,0"},
		{"-widths", "a"}, {"-widths", ""}, {"-head", "0"}, {"-lr", "NaN"}, {"-threshold", "255"},
		{"-threshold", "-1"}, {"-monitor", "-1"}, {"-out", ""}, {"extra"},
	} {
		if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, setlearn.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	// A -data folder without the MNIST files is an error, not a panic.
	err := run([]string{"-data", t.TempDir(), "-out", t.TempDir()}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || errors.Is(err, setlearn.ErrUsage) {
		t.Errorf("empty -data folder: %v, want a run-time error", err)
	}
}
