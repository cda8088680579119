//go:build !openblas

package blasbench

import (
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/symnet/symnet/accel"
)

// All are the implementations of this build: gonum's and accel's.
var All = []Backend{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}}
