//go:build openblas

package blasbench

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/netlib/blas/netlib"

	"github.com/symnet/symnet/accel"
)

// All are the implementations of this build: gonum's, accel's and
// OpenBLAS through gonum's netlib bindings.
var All = []Backend{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}, {"openblas", netlib.Implementation{}}}
