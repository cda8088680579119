// Package accel makes gorgonia's matrix products faster.
//
// Gorgonia does every matrix product through one process-wide BLAS, by
// default gonum's pure-Go implementation, whose gemm runs far below what
// the cores can do. [Use] replaces it:
//
//   - in the default build with [Implementation]: gonum's BLAS whose Sgemm
//     and Dgemm are packed, blocked products with AVX2+FMA micro-kernels in
//     Go assembly (a pure-Go kernel on other CPUs), spread over GOMAXPROCS
//     cores. No cgo; nothing to install.
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
// On a shared 2-core AMD EPYC (Zen 4, AVX2+FMA, 2.6 GHz nominal), with
// GOMAXPROCS = 2, fastest of 8 runs (go test -bench . ./accel):
//
//	                          gonum GFLOP/s   accel GFLOP/s
//	Sgemm 256×512 · 512×512         6.9            78
//	Sgemm (256×512)ᵀ · 256×512      7.4            89
//	Sgemm 256×512 · (512×512)ᵀ      8.9            88
//	Sgemm 1024 square               6.4            96
//	Dgemm 256×512 · 512×512         5.3            25
//	Dgemm (256×512)ᵀ · 256×512      4.5            29
//	Dgemm 256×512 · (512×512)ᵀ      4.4            35
//	Dgemm 1024 square               3.2            25
//
// A forward and backward pass through a 512 → 512 ReLU layer on a set of
// 256 (equivariant's BenchmarkDenseFwdBwd) takes 13 ms instead of 73 ms in
// float32 and 15 ms instead of 182 ms in float64.
package accel
