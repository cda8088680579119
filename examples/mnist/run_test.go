package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symnet/symnet/internal/setlearn"
)

// TestRunWritesTableAndPictures runs the whole program at a toy size
// (8×8 digits, a few steps) and checks what it leaves: the table with a
// row per method and the reference row, the grids at every snapshot, the
// histograms and results.json.
func TestRunWritesTableAndPictures(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"-out", out, "-side", "8", "-stack", "2", "-iters", "4", "-snapshots", "0,4",
		"-digits", "1000", "-cls-epochs", "1", "-samples", "200", "-methods", "gan,mbgan",
		"-channels", "4", "-width", "16", "-gen-maps", "4", "-batch", "16", "-jobs", "2"}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	table := stdout.String()
	for _, want := range []string{"real images", "gan", "mbgan", "/100", "classifier test accuracy"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	for _, f := range []string{"real.png", "histograms.png", "results.json",
		"samples-gan-0.png", "samples-gan-4.png", "samples-mbgan-0.png", "samples-mbgan-4.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Rows []row `json:"rows"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 || res.Rows[1].Name != "gan" || res.Rows[2].Name != "mbgan" || res.Rows[1].Iterations != 4 || res.Rows[2].Classes != 100 {
		t.Errorf("results.json rows: %+v", res.Rows)
	}
	if !strings.Contains(stderr.String(), "ETA") {
		t.Errorf("no progress line with an ETA on stderr:\n%s", stderr.String())
	}
}

func TestFlagsBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-stack", "0"}, {"-stack", "7"}, {"-side", "3"}, {"-side", "29"}, {"-iters", "0"},
		{"-gamma", "0.6"}, {"-lr", "-1"}, {"-beta1", "1"}, {"-methods", "wgan"}, {"-channels", "8,x"},
		{"-channels", "0"}, {"-snapshots", "5000"}, {"-jobs", "-1"}, {"-digits", "-1"}, {"extra"},
	} {
		o, err := parseFlags(args, &bytes.Buffer{})
		if err == nil {
			_, err = o.plan()
		}
		if !errors.Is(err, setlearn.ErrUsage) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

func TestFlagsDefaultPlan(t *testing.T) {
	o, err := parseFlags(nil, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.methods) != 3 || p.methods[0].String() != "gan" || p.methods[2].String() != "mbgan" ||
		len(p.snapshots) != 5 || p.snapshots[4] != defaultIters || o.out != "out/mnist" || o.stack != 3 {
		t.Errorf("default plan %+v of options %+v", p, o)
	}
}
