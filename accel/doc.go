// Package accel makes gorgonia's matrix products faster.
//
// Gorgonia does every matrix product through one process-wide BLAS, by
// default gonum's pure-Go implementation, whose gemm runs far below what
// the cores can do. [Use] replaces it:
//
//   - in the default build with [Implementation]: gonum's BLAS whose Sgemm
//     and Dgemm are packed, blocked products with AVX2+FMA micro-kernels in
//     Go assembly, spread over GOMAXPROCS cores. No cgo; nothing to
//     install. On CPUs without AVX2 and FMA (or built with -tags purego)
//     Implementation falls back to a pure-Go kernel that is slower than
//     gonum's amd64 code (3–3.5 against 5–8 GFLOP/s), so Use leaves gonum
//     in place there.
//   - with the openblas build tag (go build -tags openblas) with OpenBLAS,
//     through gonum's netlib bindings and cgo. It needs the OpenBLAS
//     library and headers, e.g. apt-get install libopenblas-dev on Debian.
//
// # When to call Use
//
// Call Use once, at the start of the program, before building or running
// graphs:
//
//	func main() {
//		accel.Use()
//		…
//	}
//
// It changes a global setting of gorgonia that all code in the process
// shares, so it is an explicit opt-in: neither symnet nor this package calls
// it on import. [Backend] says which BLAS gorgonia uses.
//
// # What changes
//
// Only speed and rounding. Products are summed in another order and with
// fused multiply-adds, so results differ from gonum's in the last bits
// (each entry stays within the usual bound (k+2)·u·Σ|a||b| of the exact
// product, u being the unit roundoff). Bad arguments panic with gonum's
// messages, as gonum's BLAS treats them as programmer errors. Where gonum
// and the reference BLAS differ, Implementation follows the reference BLAS:
// with alpha = 0, A and B are not read, so NaNs in them do not reach C.
//
// # Measured speed-ups
//
// On a 2-core AMD EPYC (Zen 4, AVX2+FMA, 2.6 GHz nominal) shared with
// other work, GOMAXPROCS = 2, fastest of 8 runs of
// go test -run '^$' -bench . -benchtime 0.3s -count 8 ./accel, in GFLOP/s:
//
//	                              gonum   accel   OpenBLAS
//	Sgemm 256×512 · 512×512        13.0    93.6     86.3
//	Sgemm (256×512)ᵀ · 256×512     12.8    95.6     94.0
//	Sgemm 256×512 · (512×512)ᵀ     14.2    89.6     94.7
//	Sgemm 1024 square              12.0    90.3     95.9
//	Dgemm 256×512 · 512×512         7.6    44.4     46.6
//	Dgemm (256×512)ᵀ · 256×512      7.5    42.2     45.7
//	Dgemm 256×512 · (512×512)ᵀ      7.4    45.3     45.0
//	Dgemm 1024 square               7.1    46.1     48.6
//
// (OpenBLAS from a separate sitting with -tags openblas.) A single core
// peaks at about 117 GFLOP/s in float32 and 58 in float64 at its boost
// clock; the products above ran on about one core's worth of CPU, the
// machine being busy. On an older 2.0 GHz first-generation EPYC, whose two
// 128-bit FMA units peak at 32 GFLOP/s in float32 per core, the float32
// products above run at 19–27 GFLOP/s on one core (gonum: 3.7–5.3) and the
// float64 ones at 6–10 (peak 16).
//
// A forward and backward pass through a 512 → 512 ReLU layer on a set of
// 256 (equivariant's BenchmarkDenseFwdBwd and BenchmarkEquiFwdBwd, rerun in
// this package's benchmarks) takes, fastest of 8:
//
//	                     gonum     accel
//	dense, float32      44.5 ms    7.5 ms
//	dense, float64      70.7 ms   16.6 ms
//	equivariant, f32    50.7 ms    8.8 ms
//	equivariant, f64    61.8 ms   15.5 ms
//
// The rest of such a step is gorgonia's own work (copies, the ReLU mask,
// allocation); in a CPU profile the matrix products, kernels and packing,
// are now 50–70% of it.
package accel
