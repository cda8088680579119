package setlearn

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	newFS := func() (*flag.FlagSet, *int) {
		fs := flag.NewFlagSet("prog", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return fs, fs.Int("n", 1, "")
	}
	fs, n := newFS()
	if err := Parse(fs, []string{"-n", "7"}); err != nil || *n != 7 {
		t.Fatalf("Parse(-n 7) = %v, n = %d", err, *n)
	}
	for _, args := range [][]string{{"-n", "x"}, {"-nope"}, {"extra"}, {"-n", "2", "extra"}} {
		fs, _ := newFS()
		if err := Parse(fs, args); !errors.Is(err, ErrUsage) {
			t.Errorf("Parse(%q) = %v, want an ErrUsage", args, err)
		}
	}
	fs, _ = newFS()
	if err := Parse(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("Parse(-h) = %v, want flag.ErrHelp", err)
	}
}

func TestChecks(t *testing.T) {
	var ok Checks
	ok.Positive("a", 1)
	ok.PositiveFloat("b", 1e-3)
	ok.Range("c", 0.5, 0, 1)
	ok.Require(true, "never")
	if err := ok.Err(); err != nil {
		t.Fatalf("valid values refused: %v", err)
	}
	for name, fail := range map[string]func(c *Checks){
		"zero":        func(c *Checks) { c.Positive("steps", 0) },
		"negative lr": func(c *Checks) { c.PositiveFloat("lr", -1) },
		"NaN lr":      func(c *Checks) { c.PositiveFloat("lr", math.NaN()) },
		"Inf lr":      func(c *Checks) { c.PositiveFloat("lr", math.Inf(1)) },
		"range":       func(c *Checks) { c.Range("decay", 1.5, 0, 1) },
		"NaN range":   func(c *Checks) { c.Range("decay", math.NaN(), 0, 1) },
		"require":     func(c *Checks) { c.Require(false, "bad %d", 3) },
	} {
		var c Checks
		c.Positive("first", 1)
		fail(&c)
		if err := c.Err(); !errors.Is(err, ErrUsage) {
			t.Errorf("%s: Err() = %v, want an ErrUsage", name, err)
		}
	}
	// The first failure is the one reported.
	var c Checks
	c.Positive("first", 0)
	c.Positive("second", 0)
	if err := c.Err(); err == nil || !strings.Contains(err.Error(), "-first") {
		t.Errorf("Err() = %v, want the failure of -first", err)
	}
}

func TestExit(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		says   string
	}{
		{nil, 0, ""},
		{flag.ErrHelp, 0, ""},
		{ErrUsage, 2, "prog: usage (run with -h for the flags)\n"},
		{errors.New("disk full"), 1, "prog: disk full\n"},
	} {
		var buf bytes.Buffer
		if got := Exit("prog", c.err, &buf); got != c.status || buf.String() != c.says {
			t.Errorf("Exit(%v) = %d printing %q; want %d printing %q", c.err, got, buf.String(), c.status, c.says)
		}
	}
}
