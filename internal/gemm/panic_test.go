package gemm

import (
	"fmt"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gonum.org/v1/gonum/blas"
)

// argCase is a call with arguments that may be wrong: a transpose that is
// not one of the three, negative sizes, leading dimensions and slice
// lengths drawn around the valid ones.
type argCase struct {
	tA, tB           blas.Transpose
	m, n, k          int
	lda, ldb, ldc    int
	lenA, lenB, lenC int
}

func genArgCase() gopter.Gen {
	tr := gen.OneConstOf(blas.NoTrans, blas.Trans, blas.ConjTrans, blas.Transpose('x'))
	size := gen.IntRange(-1, 4)
	ld := gen.IntRange(0, 5)
	length := gen.IntRange(0, 24)
	return gopter.CombineGens(tr, tr, size, size, size, ld, ld, ld, length, length, length).
		Map(func(v []any) argCase {
			return argCase{
				v[0].(blas.Transpose), v[1].(blas.Transpose), v[2].(int), v[3].(int), v[4].(int),
				v[5].(int), v[6].(int), v[7].(int), v[8].(int), v[9].(int), v[10].(int),
			}
		})
}

// panicOf runs f and returns what it panicked with, or nil.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestPanicsMatchGonum checks, on random and mostly invalid arguments, that
// ours panics exactly when gonum does and with the same value (gonum checks
// the arguments in a fixed order and reports the first fault), and that a
// valid call gives the same C: the entries are small integers, so every
// sum is exact and the results must be equal.
func TestPanicsMatchGonum(t *testing.T) {
	t.Run("float32", testPanics[float32])
	t.Run("float64", testPanics[float64])
}

func testPanics[T float](t *testing.T) {
	props := gopter.NewProperties(propParams(2000))
	props.Property("same panic as gonum", prop.ForAll(func(c argCase) (bool, error) {
		fill := func(n int) []T {
			s := make([]T, n)
			for i := range s {
				s[i] = T(i%5 - 2)
			}
			return s
		}
		a, b := fill(c.lenA), fill(c.lenB)
		cOurs, cRef := fill(c.lenC), fill(c.lenC)
		got := panicOf(func() {
			oursGemm[T]()(c.tA, c.tB, c.m, c.n, c.k, 2, a, c.lda, b, c.ldb, -1, cOurs, c.ldc)
		})
		want := panicOf(func() {
			refGemm[T]()(c.tA, c.tB, c.m, c.n, c.k, 2, a, c.lda, b, c.ldb, -1, cRef, c.ldc)
		})
		if got != want {
			return false, fmt.Errorf("panic %v, gonum %v", got, want)
		}
		if got == nil {
			// Equal as numbers: a zero may come out as 0 on one side
			// and -0 on the other (0·beta with beta < 0).
			for i := range cOurs {
				if cOurs[i] != cRef[i] {
					return false, fmt.Errorf("C = %v, gonum %v", cOurs, cRef)
				}
			}
		}
		return true, nil
	}, genArgCase()))
	props.TestingRun(t)
}

// TestPanicMessages pins a few messages, so that a change in gonum's
// wording is noticed here rather than passed on silently.
func TestPanicMessages(t *testing.T) {
	a := make([]float64, 12)
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"transpose", func() { Dgemm('x', blas.NoTrans, 2, 2, 2, 1, a, 2, a, 2, 0, a, 2) }, "blas: illegal transpose"},
		{"m<0", func() { Dgemm(blas.NoTrans, blas.NoTrans, -1, 2, 2, 1, a, 2, a, 2, 0, a, 2) }, "blas: m < 0"},
		{"lda", func() { Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }, "blas: bad leading dimension of A"},
		{"ldb trans", func() { Dgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 1, a, 3, a, 2, 0, a, 2) }, "blas: bad leading dimension of B"},
		{"ldc", func() { Dgemm(blas.NoTrans, blas.NoTrans, 2, 3, 2, 1, a, 2, a, 3, 0, a, 2) }, "blas: bad leading dimension of C"},
		{"short c", func() { Dgemm(blas.NoTrans, blas.NoTrans, 4, 4, 2, 1, a, 2, a, 4, 0, a, 4) }, "blas: insufficient length of c"},
	} {
		if got := panicOf(tc.call); got != tc.want {
			t.Errorf("%s: panic %v, want %q", tc.name, got, tc.want)
		}
	}
}
