// Package accel makes gorgonia's matrix products faster.
//
// Gorgonia does every matrix product through one process-wide BLAS, by
// default gonum's pure-Go implementation. [Use] replaces it: in the default
// build with [Implementation], gonum's BLAS whose Sgemm and Dgemm are
// packed, blocked products with AVX2+FMA assembly kernels (pure Go and
// cgo-free); with the openblas build tag with OpenBLAS through cgo.
//
// Call Use once, at the start of the program, before building graphs:
//
//	func main() {
//		accel.Use()
//		…
//	}
//
// It is an explicit opt-in, never done on import, because it changes a
// global setting of gorgonia that other code in the process shares.
// [Backend] says which BLAS is installed.
package accel
