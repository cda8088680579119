package gemm

// Panic messages for bad arguments. They are gonum's, word for word, so that
// code written against gonum's BLAS sees the same panics.
const (
	badTranspose = "blas: illegal transpose"

	mLT0 = "blas: m < 0"
	nLT0 = "blas: n < 0"
	kLT0 = "blas: k < 0"

	badLdA = "blas: bad leading dimension of A"
	badLdB = "blas: bad leading dimension of B"
	badLdC = "blas: bad leading dimension of C"

	shortA = "blas: insufficient length of a"
	shortB = "blas: insufficient length of b"
	shortC = "blas: insufficient length of c"
)
