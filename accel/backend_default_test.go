//go:build !openblas

package accel_test

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
	"github.com/symnet/symnet/internal/gemm"
)

// wantAfterUse is Backend after Use without the openblas tag: accel's
// Implementation where its assembly kernels run, gonum elsewhere.
func wantAfterUse() string {
	if gemm.Fast() {
		return "accel/" + gemm.Kernel()
	}
	return "gonum"
}

// benchBackends are the BLAS implementations the benchmarks compare.
var benchBackends = []struct {
	name string
	blas gorgonia.BLAS
}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}}
