package gemm

import (
	"testing"

	"gonum.org/v1/gonum/blas"
)

// fuzzCase turns fuzzer bytes into a valid case: sizes up to 40 (several
// tiles and partial ones), every transpose, scalars from a short list that
// includes the special values 0 and 1, padding up to 3.
func fuzzCase(tA, tB, m, n, k, alpha, beta, pads uint8, seed uint64) gemmCase {
	trans := [...]blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	scalars := [...]float64{0, 1, -1, 0.5, 2, -1.75, 0.3}
	return gemmCase{
		tA: trans[int(tA)%3], tB: trans[int(tB)%3],
		m: int(m) % 41, n: int(n) % 41, k: int(k) % 41,
		alpha: scalars[int(alpha)%len(scalars)], beta: scalars[int(beta)%len(scalars)],
		padA: int(pads) & 3, padB: int(pads>>2) & 3, padC: int(pads>>4) & 3,
		seed: seed,
	}
}

// FuzzDgemm compares Dgemm with each kernel against gonum's Dgemm within
// the rounding bound of checkCase, and checks the window and the inputs.
func FuzzDgemm(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(7), uint8(9), uint8(5), uint8(1), uint8(0), uint8(0x15), uint64(1))
	f.Add(uint8(1), uint8(2), uint8(13), uint8(17), uint8(40), uint8(4), uint8(3), uint8(0x3f), uint64(2))
	f.Fuzz(func(t *testing.T, tA, tB, m, n, k, alpha, beta, pads uint8, seed uint64) {
		fuzzGemm[float64](t, fuzzCase(tA, tB, m, n, k, alpha, beta, pads, seed))
	})
}

// FuzzSgemm is FuzzDgemm for Sgemm.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint8(6), uint8(16), uint8(3), uint8(5), uint8(1), uint8(0x2a), uint64(3))
	f.Add(uint8(2), uint8(0), uint8(25), uint8(33), uint8(1), uint8(2), uint8(6), uint8(0x01), uint64(4))
	f.Fuzz(func(t *testing.T, tA, tB, m, n, k, alpha, beta, pads uint8, seed uint64) {
		fuzzGemm[float32](t, fuzzCase(tA, tB, m, n, k, alpha, beta, pads, seed))
	})
}

func fuzzGemm[T float](t *testing.T, c gemmCase) {
	for _, kern := range kernelsFor[T]() {
		restore := useKernel(kern)
		err := checkCase(c, oursGemm[T](), refGemm[T](), makeOperands(c, normal[T]), 1)
		restore()
		if err != nil {
			t.Fatalf("%s kernel, %v: %v", kern.name, c, err)
		}
	}
}
