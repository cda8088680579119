package accel

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/internal/gemm"
)

// Implementation is gonum's pure-Go BLAS with faster matrix products: Sgemm
// and Dgemm are packed, blocked products with AVX2+FMA assembly kernels on
// amd64 (a pure-Go kernel elsewhere), run across GOMAXPROCS cores. Every
// other routine is gonum's. Bad arguments panic as in gonum.
//
// The zero value is ready to use; [Use] installs it in gorgonia.
type Implementation struct {
	gonum.Implementation
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C in float32, with the
// semantics of gonum's Implementation.Sgemm (row-major storage). With beta
// = 0, C is overwritten without being read; with alpha = 0 or k = 0, A and
// B are not read.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes C = alpha·op(A)·op(B) + beta·C in float64, with the
// semantics of gonum's Implementation.Dgemm (row-major storage). With beta
// = 0, C is overwritten without being read; with alpha = 0 or k = 0, A and
// B are not read.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Use makes gorgonia (and gorgonia's tensor package) run every BLAS call
// through the fastest backend this build has: OpenBLAS when built with the
// openblas tag, otherwise [Implementation] on CPUs where its assembly
// kernels run (amd64 with AVX2 and FMA). Elsewhere it leaves gorgonia's
// BLAS as it is, since gonum's code is then at least as fast as the
// portable kernel; gorgonia.Use(accel.Implementation{}) still installs it.
// Use changes a process-wide setting, so call it once, at the start of the
// program, before building or running graphs; symnet never calls it on its
// own.
func Use() {
	if b := fastest(); b != nil {
		gorgonia.Use(b)
	}
}

// Backend names the BLAS that gorgonia uses now: "accel/avx2-fma" or
// "accel/go" for [Implementation] (with the kernel it runs on this CPU),
// "openblas" for OpenBLAS, "gonum" for gorgonia's default, and the Go type
// of anything else installed with gorgonia.Use.
func Backend() string {
	switch b := gorgonia.WhichBLAS().(type) {
	case Implementation, *Implementation:
		return "accel/" + gemm.Kernel()
	case gonum.Implementation, *gonum.Implementation:
		return "gonum"
	default:
		if name, ok := taggedBackend(b); ok {
			return name
		}
		return fmt.Sprintf("%T", b)
	}
}
