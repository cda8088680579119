// Package blasbench lists the BLAS implementations that symnet's
// benchmarks compare, so that every package's benchmarks name and install
// them alike: gorgonia's default (gonum's pure Go), package accel's
// assembly kernels, and OpenBLAS in builds with the openblas tag.
//
// Benchmarks install each by name with gorgonia.Use, not with accel.Use,
// whose choice depends on the build (under the openblas tag it installs
// OpenBLAS), and put gonum's back afterwards. [Ratio] times two steps in
// alternation, for overheads measured as ratios on a shared machine.
package blasbench

import "gorgonia.org/gorgonia"

// Backend is a BLAS implementation and the name benchmarks give it in
// their sub-benchmark names.
type Backend struct {
	Name string
	BLAS gorgonia.BLAS
}
