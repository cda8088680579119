package main

import (
	"reflect"
	"strings"
	"testing"
)

// goOutput is canned `go test -bench` output of the kinds the command
// reads: sub-benchmarks named dtype/backend (accel), a benchmark without
// sub-benchmarks (gan), sub-benchmarks of which one is wanted (mixbatch),
// extra metrics, and lines that are not results.
const goOutput = `goos: linux
goarch: amd64
pkg: github.com/symnet/symnet/accel
cpu: AMD EPYC
BenchmarkDenseFwdBwd/f32/gonum-2         	      19	  53414428 ns/op	 4319861 B/op	     577 allocs/op
BenchmarkDenseFwdBwd/f32/accel-2         	     165	   7385932 ns/op	 4343546 B/op	     365 allocs/op
BenchmarkDenseFwdBwd/f64/accel-2         	      92	  16449864.5 ns/op
BenchmarkSgemm/xW_256x512x512/accel-2    	     500	   1432000 ns/op	        93.60 GFLOP/s
BenchmarkEquiFwdBwd/f32/accel-2          	     145	   8445084 ns/op	        1.000 extra/op
BenchmarkBGANDStep-2                     	      50	  22000000 ns/op
BenchmarkBGANGStep
    bench_internal_test.go:40: something logged
BenchmarkBGANGStep-2                     	      40	  28000000 ns/op
BenchmarkOptimal/B=16-2                  	  100000	     10000 ns/op
BenchmarkOptimal/B=4096-2                	      30	  40000000 ns/op
BenchmarkOptimal/B=4096,gaps±1000-2      	      30	  41000000 ns/op
BenchmarkMLPStep/f64/openblas            	      30	  30000000 ns/op
PASS
ok  	github.com/symnet/symnet/accel	77.718s
`

func TestParseGo(t *testing.T) {
	s := samples{}
	if err := parseGo(strings.NewReader(goOutput), specs, s); err != nil {
		t.Fatal(err)
	}
	want := samples{
		{"dense_fwdbwd", "f32", "gonum"}: {53.414428},
		{"dense_fwdbwd", "f32", "accel"}: {7.385932},
		{"dense_fwdbwd", "f64", "accel"}: {16.4498645},
		{"equi_fwdbwd", "f32", "accel"}:  {8.445084},
		{"bgan_dstep", "f32", "default"}: {22},
		{"bgan_gstep", "f32", "default"}: {28},
		{"optimal_b4096", "f64", "-"}:    {40},
		{"mlp_step", "f64", "openblas"}:  {30},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("parsed\n%v\nwant\n%v", s, want)
	}
	// A second run appends.
	if err := parseGo(strings.NewReader("BenchmarkBGANDStep-2  10  24000000 ns/op\n"), specs, s); err != nil {
		t.Fatal(err)
	}
	if got := s[key{"bgan_dstep", "f32", "default"}]; !reflect.DeepEqual(got, []float64{22, 24}) {
		t.Errorf("after a second run: %v, want [22 24]", got)
	}
}

func TestParseGoErrors(t *testing.T) {
	for _, in := range []string{
		"BenchmarkBGANDStep-2  10  12 B/op  3 allocs/op\n",
		"BenchmarkBGANDStep-2  10  fast ns/op\n",
	} {
		if err := parseGo(strings.NewReader(in), specs, samples{}); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name string
		want key
		ok   bool
	}{
		{"BenchmarkEquiFwdBwd/f64/openblas-16", key{"equi_fwdbwd", "f64", "openblas"}, true},
		{"BenchmarkEquiFwdBwd/accel/float32", key{"equi_fwdbwd", "f32", "accel"}, true},
		{"BenchmarkEquiFwdBwd/f32", key{"equi_fwdbwd", "f32", "default"}, true},
		// No dtype in the name and none in the spec: not a cell.
		{"BenchmarkEquiFwdBwd/accel-2", key{}, false},
		{"BenchmarkBGANGStep/f64/accel-2", key{"bgan_gstep", "f64", "accel"}, true},
		{"BenchmarkBGANGStep/blas=accel-2", key{"bgan_gstep", "f32", "accel"}, true},
		{"BenchmarkBGANGStep/dtype=float64/blas=openblas-2", key{"bgan_gstep", "f64", "openblas"}, true},
		{"BenchmarkBGANGStep/small-2", key{}, false},
		{"BenchmarkOptimal/B=4096", key{"optimal_b4096", "f64", "-"}, true},
		{"BenchmarkOptimal/B=256-2", key{}, false},
		{"BenchmarkOptimal-2", key{}, false},
		{"BenchmarkOther/f32/accel-2", key{}, false},
	} {
		got, ok := classify(c.name, specs)
		if got != c.want || ok != c.ok {
			t.Errorf("classify(%q) = %v, %t; want %v, %t", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkX/f32/accel-2":      "BenchmarkX/f32/accel",
		"BenchmarkX-16":               "BenchmarkX",
		"BenchmarkX":                  "BenchmarkX",
		"BenchmarkX/a-b":              "BenchmarkX/a-b",
		"BenchmarkX/lr-1/f32":         "BenchmarkX/lr-1/f32",
		"BenchmarkX/B=4096,gaps±1000": "BenchmarkX/B=4096,gaps±1000",
		"BenchmarkX-":                 "BenchmarkX-",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

const torchOutput = `dense_fwdbwd       3.412     3.301     3.950
equi_fwdbwd        4.501     4.400     4.800
mlp_step          11.000    10.500    12.000
bgan_dstep        22.250    21.000    23.000
bgan_gstep        28.125    27.000    29.000
# torch 1.13.0a0 threads=2 dtype=f32
`

func TestParseTorch(t *testing.T) {
	s := samples{}
	note, err := parseTorch(strings.NewReader(torchOutput), "f32", s)
	if err != nil {
		t.Fatal(err)
	}
	if note != "torch 1.13.0a0 threads=2 dtype=f32" {
		t.Errorf("note %q", note)
	}
	want := samples{
		{"dense_fwdbwd", "f32", "torch"}: {3.412},
		{"equi_fwdbwd", "f32", "torch"}:  {4.501},
		{"mlp_step", "f32", "torch"}:     {11},
		{"bgan_dstep", "f32", "torch"}:   {22.25},
		{"bgan_gstep", "f32", "torch"}:   {28.125},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("parsed\n%v\nwant\n%v", s, want)
	}
	for _, bad := range []string{"dense_fwdbwd 3.4\n", "dense_fwdbwd x 1 2\n"} {
		if _, err := parseTorch(strings.NewReader(bad), "f32", samples{}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
