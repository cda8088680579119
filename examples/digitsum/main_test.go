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
	err := run([]string{"-train", "512", "-epochs", "1", "-width", "4", "-test", "50", "-maxtest", "15", "-out", dir}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	for _, want := range []string{"| 5 |", "| 10 |", "| 15 |", "baseline round(5·n)", "published DeepSets", "≈ 100%"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "| 20 |") {
		t.Errorf("-maxtest 15 printed length 20:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "ETA") {
		t.Errorf("no progress with an ETA on stderr: %q", stderr.String())
	}
	for _, name := range []string{"digitsum.png", "digitsum-accuracy.png"} {
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
		{"-train", "0"}, {"-size", "0"}, {"-size", "1001"}, {"-epochs", "0"}, {"-batch", "0"},
		{"-train", "100", "-batch", "128"}, {"-width", "-3"}, {"-lr", "-1"}, {"-lr", "Inf"}, {"-test", "0"},
		{"-maxtest", "4"}, {"-maxtest", "5000"}, {"-models", "lstm"}, {"-out", ""}, {"-seed", "-1"}, {"extra"},
	} {
		if err := run(args, &bytes.Buffer{}, &bytes.Buffer{}); !errors.Is(err, setlearn.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
