package main

// spec is one benchmark the command runs: a Go benchmark function and the
// row of the table (and of torch_ref.py) it stands for.
type spec struct {
	// Row is the table's name for the benchmark, the name torch_ref.py
	// prints when Torch is set.
	Row string
	// Pkg is the package holding the benchmark, relative to the module
	// root.
	Pkg string
	// Func is the benchmark function, Sub the one sub-benchmark element
	// that must appear in the name ("" for none).
	Func, Sub string
	// Dtype and Backend label results whose names do not say them: the
	// elements of a benchmark's name after Func are Sub, a dtype (f32 or
	// f64, also float32, float64) and a backend (gonum, accel or
	// openblas), in any order, each possibly written key=value
	// (blas=accel). A backend left unnamed is the package's own choice,
	// gorgonia's default (gonum) unless its benchmarks call accel.Use.
	Dtype, Backend string
	// Torch: torch_ref.py has a row of this name.
	Torch bool
}

// specs are the rows of torch_ref.py at its shapes (B = 256, 512 units)
// and the optimal discriminator at B = 4096.
var specs = []spec{
	{Row: "dense_fwdbwd", Pkg: "accel", Func: "BenchmarkDenseFwdBwd", Torch: true},
	{Row: "equi_fwdbwd", Pkg: "accel", Func: "BenchmarkEquiFwdBwd", Torch: true},
	{Row: "mlp_step", Pkg: "internal/cmd/bench", Func: "BenchmarkMLPStep", Torch: true},
	{Row: "bgan_dstep", Pkg: "gan", Func: "BenchmarkBGANDStep", Dtype: "f32", Backend: "default", Torch: true},
	{Row: "bgan_gstep", Pkg: "gan", Func: "BenchmarkBGANGStep", Dtype: "f32", Backend: "default", Torch: true},
	// mixbatch.Optimal works in float64 on plain slices, without BLAS.
	{Row: "optimal_b4096", Pkg: "mixbatch", Func: "BenchmarkOptimal", Sub: "B=4096", Dtype: "f64", Backend: "-"},
}

// dtypes and backends fix the order of the table's rows.
var (
	dtypes   = []string{"f32", "f64"}
	backends = []string{"gonum", "accel", "openblas", "default", "-"}
)
