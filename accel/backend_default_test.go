//go:build !openblas

package accel_test

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
)

// Without the openblas tag, Use installs accel's Implementation.
const wantBackendPrefix = "accel/"

// benchBackends are the BLAS implementations the benchmarks compare.
var benchBackends = []struct {
	name string
	blas gorgonia.BLAS
}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}}
