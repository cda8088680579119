//go:build openblas

package gan

import (
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
)

// benchBackends are the BLAS implementations the benchmarks compare; the
// openblas build adds OpenBLAS.
var benchBackends = []struct {
	name string
	blas gorgonia.BLAS
}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}, {"openblas", netlib.Implementation{}}}
