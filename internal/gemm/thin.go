package gemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// thin computes a product with m = 1 or n = 1, which is a matrix–vector
// product: each entry of the larger operand is used once, so packing it
// would cost as much as the product itself (and a 6-row or 16-column tile
// would be mostly padding). gonum's gemv streams the matrix once instead.
// k ≥ 1 and alpha ≠ 0 here.
func thin[T float](aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 1 {
		// c[0, :] = alpha·op(B)ᵀ·x + beta·c[0, :], where x is the only
		// row of op(A): a[0:k], or a column of a when A is transposed.
		incX := 1
		if aTrans {
			incX = lda
		}
		if bTrans {
			// op(B)ᵀ is B as stored, n×k.
			gemv(blas.NoTrans, n, k, alpha, b, ldb, a, incX, beta, c, 1)
		} else {
			gemv(blas.Trans, k, n, alpha, b, ldb, a, incX, beta, c, 1)
		}
		return
	}
	// n = 1: c[:, 0] (stride ldc) = alpha·op(A)·x + beta·c[:, 0], where x
	// is the only column of op(B).
	incX := ldb
	if bTrans {
		incX = 1
	}
	if aTrans {
		gemv(blas.Trans, k, m, alpha, a, lda, b, incX, beta, c, ldc)
	} else {
		gemv(blas.NoTrans, m, k, alpha, a, lda, b, incX, beta, c, ldc)
	}
}

// gemv is gonum's Sgemv or Dgemv, y = alpha·op(A)·x + beta·y for A stored
// r×s. gonum's gemv overwrites y when beta is 0, as BLAS requires.
func gemv[T float](t blas.Transpose, r, s int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int) {
	switch a := any(a).(type) {
	case []float32:
		gonum.Implementation{}.Sgemv(t, r, s, float32(alpha), a, lda, any(x).([]float32), incX, float32(beta), any(y).([]float32), incY)
	case []float64:
		gonum.Implementation{}.Dgemv(t, r, s, float64(alpha), a, lda, any(x).([]float64), incX, float64(beta), any(y).([]float64), incY)
	}
}
