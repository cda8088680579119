package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want stat
	}{
		{nil, stat{}},
		{[]float64{3}, stat{3, 3, 1}},
		{[]float64{5, 1, 3}, stat{3, 1, 3}},
		{[]float64{4, 1, 2, 10}, stat{3, 1, 4}},
	} {
		if got := summarize(c.in); got != c.want {
			t.Errorf("summarize(%v) = %+v, want %+v", c.in, got, c.want)
		}
	}
	in := []float64{3, 1, 2}
	summarize(in)
	if in[0] != 3 || in[1] != 1 {
		t.Error("summarize reordered its argument")
	}
}

// tableSamples has Go results for dense and equi in two backends, one
// Go dtype for bgan_dstep against two PyTorch dtypes, nothing for
// bgan_gstep and mlp_step, and the optimal discriminator.
var tableSamples = samples{
	{"dense_fwdbwd", "f32", "gonum"}: {40, 36, 44},
	{"dense_fwdbwd", "f32", "accel"}: {8, 7.5, 9},
	{"dense_fwdbwd", "f32", "torch"}: {3.4, 3.5, 3.3},
	{"equi_fwdbwd", "f32", "gonum"}:  {42, 39, 45},
	{"equi_fwdbwd", "f32", "accel"}:  {8.4, 8, 9.5},
	{"equi_fwdbwd", "f32", "torch"}:  {4.5, 4.4, 4.6},
	{"bgan_dstep", "f32", "default"}: {120, 110},
	{"bgan_dstep", "f32", "torch"}:   {22},
	{"bgan_dstep", "f64", "torch"}:   {40},
	{"optimal_b4096", "f64", "-"}:    {41.5},
}

const wantTable = `name           dtype  backend  symnet ms  min ms  PyTorch ms  ratio  runs
dense_fwdbwd   f32    gonum        40.00   36.00        3.40  11.76     3
dense_fwdbwd   f32    accel         8.00    7.50        3.40   2.35     3
equi_fwdbwd    f32    gonum        42.00   39.00        4.50   9.33     3
equi_fwdbwd    f32    accel         8.40    8.00        4.50   1.87     3
mlp_step       -      -
bgan_dstep     f32    default      115.0   110.0       22.00   5.23     2
bgan_dstep     f64    -                                40.00
bgan_gstep     -      -
optimal_b4096  f64    -            41.50   41.50                        1
`

func TestWriteTable(t *testing.T) {
	var b strings.Builder
	if err := writeTable(&b, buildRows(specs, tableSamples)); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != wantTable {
		t.Errorf("table\n%s\nwant\n%s", got, wantTable)
	}
}

const wantOverhead = `dtype  backend  equi/dense (medians)  equi/dense (minima)
f32    gonum                   1.050                1.083
f32    accel                   1.050                1.067
f32    torch                   1.324
`

func TestWriteOverhead(t *testing.T) {
	var b strings.Builder
	if err := writeOverhead(&b, tableSamples); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != wantOverhead {
		t.Errorf("overhead\n%s\nwant\n%s", got, wantOverhead)
	}
	b.Reset()
	if err := writeOverhead(&b, samples{{"dense_fwdbwd", "f32", "gonum"}: {1}}); err != nil || b.Len() != 0 {
		t.Errorf("without equi_fwdbwd: %q, %v; want nothing", b.String(), err)
	}
}
