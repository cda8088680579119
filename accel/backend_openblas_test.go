//go:build openblas

package accel_test

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
)

// wantAfterUse is Backend after Use with the openblas tag: OpenBLAS.
func wantAfterUse() string { return "openblas" }

// benchBackends are the BLAS implementations the benchmarks compare.
var benchBackends = []struct {
	name string
	blas gorgonia.BLAS
}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}, {"openblas", netlib.Implementation{}}}
