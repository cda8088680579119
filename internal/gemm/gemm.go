package gemm

import "gonum.org/v1/gonum/blas"

// float is the element type of the products.
type float interface{ ~float32 | ~float64 }

// Sgemm computes
//
//	C = alpha·op(A)·op(B) + beta·C
//
// in float32, where op(X) is X or Xᵀ as tA and tB say (ConjTrans means
// Trans), op(A) is m×k, op(B) is k×n and C is m×n, all stored row-major with
// leading dimensions lda, ldb and ldc. It has the semantics and the panics
// of gonum's Implementation.Sgemm.
func Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	aTrans, bTrans := checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	gemm(&kernels32, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes
//
//	C = alpha·op(A)·op(B) + beta·C
//
// in float64, where op(X) is X or Xᵀ as tA and tB say (ConjTrans means
// Trans), op(A) is m×k, op(B) is k×n and C is m×n, all stored row-major with
// leading dimensions lda, ldb and ldc. It has the semantics and the panics
// of gonum's Implementation.Dgemm.
func Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	aTrans, bTrans := checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	gemm(&kernels64, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkGemm panics on bad arguments, testing them in gonum's order so that
// the first fault found is the one gonum reports, and returns whether A and
// B are transposed. Slice lengths are not checked when m or n is 0, as in
// gonum.
func checkGemm(tA, tB blas.Transpose, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) (aTrans, bTrans bool) {
	switch tA {
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	default:
		panic(badTranspose)
	}
	switch tB {
	case blas.NoTrans, blas.Trans, blas.ConjTrans:
	default:
		panic(badTranspose)
	}
	switch {
	case m < 0:
		panic(mLT0)
	case n < 0:
		panic(nLT0)
	case k < 0:
		panic(kLT0)
	}
	aTrans = tA != blas.NoTrans
	bTrans = tB != blas.NoTrans
	aCols, bCols := k, n
	if aTrans {
		aCols = m
	}
	if bTrans {
		bCols = k
	}
	switch {
	case lda < max(1, aCols):
		panic(badLdA)
	case ldb < max(1, bCols):
		panic(badLdB)
	case ldc < max(1, n):
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return aTrans, bTrans
	}
	aRows, bRows := m, k
	if aTrans {
		aRows = k
	}
	if bTrans {
		bRows = n
	}
	switch {
	case lenA < (aRows-1)*lda+aCols:
		panic(shortA)
	case lenB < (bRows-1)*ldb+bCols:
		panic(shortB)
	case lenC < (m-1)*ldc+n:
		panic(shortC)
	}
	return aTrans, bTrans
}
