package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gemmFunc is the signature of Sgemm and Dgemm.
type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// refGemm is gonum's pure-Go gemm for T, the reference the tests compare
// with.
func refGemm[T float]() gemmFunc[T] {
	var f any
	switch any(T(0)).(type) {
	case float32:
		f = gemmFunc[float32](gonum.Implementation{}.Sgemm)
	default:
		f = gemmFunc[float64](gonum.Implementation{}.Dgemm)
	}
	return f.(gemmFunc[T])
}

// oursGemm is Sgemm or Dgemm.
func oursGemm[T float]() gemmFunc[T] {
	var f any
	switch any(T(0)).(type) {
	case float32:
		f = gemmFunc[float32](Sgemm)
	default:
		f = gemmFunc[float64](Dgemm)
	}
	return f.(gemmFunc[T])
}

// unitRoundoff is u = 2⁻²⁴ for float32 and 2⁻⁵³ for float64.
func unitRoundoff[T float]() float64 {
	if _, ok := any(T(0)).(float32); ok {
		return 0x1p-24
	}
	return 0x1p-53
}

// kernelsFor lists the kernels the tests run for T on this CPU: always the
// portable one, and the assembly one where the CPU has it.
func kernelsFor[T float]() []*kernel[T] {
	var s any
	switch any(T(0)).(type) {
	case float32:
		s = &kernels32
	default:
		s = &kernels64
	}
	ks := s.(*kernelSet[T])
	out := []*kernel[T]{ks.generic}
	if ks.fast != nil {
		out = append(out, ks.fast)
	}
	return out
}

// useKernel makes products use kern (forcing the portable kernel when it
// is the generic one) and returns a function that restores the default.
func useKernel[T float](kern *kernel[T]) (restore func()) {
	old := forceGeneric
	forceGeneric = kern.name == "go"
	return func() { forceGeneric = old }
}

// gemmCase is one product: the transposes, the sizes, the scalars, how
// much each leading dimension exceeds its row length, and the seed of the
// entries.
type gemmCase struct {
	tA, tB           blas.Transpose
	m, n, k          int
	alpha, beta      float64
	padA, padB, padC int
	seed             uint64
}

func (c gemmCase) String() string {
	return fmt.Sprintf("tA=%c tB=%c m=%d n=%d k=%d alpha=%g beta=%g pad=%d,%d,%d seed=%d",
		c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, c.padA, c.padB, c.padC, c.seed)
}

// genSize draws a dimension: mostly small (0 and 1 included), often next
// to a multiple of the tiles (4, 6, 8, 16) or of the blocks (96, 144,
// 256), sometimes anything up to 160.
func genSize() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 4, Gen: gen.IntRange(0, 9)},
		{Weight: 3, Gen: gen.OneConstOf(11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49)},
		{Weight: 1, Gen: gen.OneConstOf(95, 96, 97, 143, 144, 145, 255, 256, 257)},
		{Weight: 2, Gen: gen.IntRange(0, 160)},
	})
}

func genTranspose() gopter.Gen {
	return gen.OneConstOf(blas.NoTrans, blas.Trans, blas.ConjTrans)
}

// genScalar draws alpha or beta: the special values 0 and 1 (which take
// other code paths), -1, or a value in [-2, 2].
func genScalar() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 1, Gen: gen.OneConstOf(0.0, 1.0, -1.0)},
		{Weight: 2, Gen: gen.Float64Range(-2, 2)},
	})
}

func genCase() gopter.Gen {
	return gopter.CombineGens(
		genTranspose(), genTranspose(), genSize(), genSize(), genSize(),
		genScalar(), genScalar(),
		gen.IntRange(0, 3), gen.IntRange(0, 3), gen.IntRange(0, 3), gen.UInt64(),
	).Map(func(v []any) gemmCase {
		return gemmCase{
			tA: v[0].(blas.Transpose), tB: v[1].(blas.Transpose),
			m: v[2].(int), n: v[3].(int), k: v[4].(int),
			alpha: v[5].(float64), beta: v[6].(float64),
			padA: v[7].(int), padB: v[8].(int), padC: v[9].(int), seed: v[10].(uint64),
		}
	})
}

// operands holds the stored matrices of a case. C lies at the start of
// cFull, whose other entries (the padding of each row past n and a guard
// after the last row) hold the sentinel outside.
type operands[T float] struct {
	a, b, c, cFull []T
	lda, ldb, ldc  int
}

// outside fills the entries of cFull outside the m×n window.
const outside = -7777.25

// storedShape returns the rows and row length of X as stored when op(X) is
// r×s.
func storedShape(t blas.Transpose, r, s int) (rows, cols int) {
	if t == blas.NoTrans {
		return r, s
	}
	return s, r
}

// storedLen is the shortest slice gonum accepts for rows×cols stored with
// leading dimension ld.
func storedLen(rows, cols, ld int) int { return max(0, (rows-1)*ld+cols) }

// makeOperands draws the entries of A, B and C with draw. Each slice is as
// short as gonum allows, so reading past it panics. When beta is 0, C's
// window is NaN: BLAS must overwrite it, not scale it.
func makeOperands[T float](c gemmCase, draw func(*rand.Rand) T) operands[T] {
	rng := rand.New(rand.NewPCG(c.seed, 0x9e3779b9))
	var o operands[T]
	ar, ac := storedShape(c.tA, c.m, c.k)
	br, bc := storedShape(c.tB, c.k, c.n)
	o.lda, o.ldb, o.ldc = max(1, ac)+c.padA, max(1, bc)+c.padB, max(1, c.n)+c.padC
	o.a = make([]T, storedLen(ar, ac, o.lda))
	o.b = make([]T, storedLen(br, bc, o.ldb))
	for i := range o.a {
		o.a[i] = draw(rng)
	}
	for i := range o.b {
		o.b[i] = draw(rng)
	}
	const guard = 5
	cLen := storedLen(c.m, c.n, o.ldc)
	o.cFull = make([]T, cLen+guard)
	for i := range o.cFull {
		o.cFull[i] = outside
	}
	for i := 0; i < c.m; i++ {
		for j := 0; j < c.n; j++ {
			if c.beta == 0 {
				o.cFull[i*o.ldc+j] = T(math.NaN())
			} else {
				o.cFull[i*o.ldc+j] = draw(rng)
			}
		}
	}
	o.c = o.cFull[:cLen]
	return o
}

func (o operands[T]) clone() operands[T] {
	p := o
	p.a = append([]T(nil), o.a...)
	p.b = append([]T(nil), o.b...)
	p.cFull = append([]T(nil), o.cFull...)
	p.c = p.cFull[:len(o.c)]
	return p
}

func normal[T float](rng *rand.Rand) T { return T(rng.NormFloat64()) }

// smallInt draws an integer in [-3, 3]: with such entries every sum of the
// tests is exact, whatever the order.
func smallInt[T float](rng *rand.Rand) T { return T(rng.IntN(7) - 3) }

// at returns op(X)[i][j] for X stored with leading dimension ld.
func at[T float](x []T, ld int, t blas.Transpose, i, j int) T {
	if t == blas.NoTrans {
		return x[i*ld+j]
	}
	return x[j*ld+i]
}

// checkCase runs the case through ours and through gonum and compares:
// entry by entry within tol times the error bound (tol = 0 asks for equal
// results), C outside the window bit for bit unchanged, A and B unchanged.
//
// The bound: an entry computed in any order of summation, with or without
// fused multiply-adds, and then scaled by alpha and added to beta·c, is
// within γ(k+3)·S of the exact value, where S = |alpha|·Σ_p |a_ip||b_pj| +
// |beta|·|c_ij| and γ(n) = n·u/(1-n·u) ≤ 1.01·n·u for n·u ≤ 0.01 (Higham,
// Accuracy and Stability of Numerical Algorithms, §3.1). The k products
// and sums take γ(k); the scalings by alpha (gonum scales each a, we scale
// the sum) and beta and the last addition take three more roundings. Ours
// and gonum's each meet the bound, so they differ by at most 2·1.01·(k+3)·u·S.
func checkCase[T float](c gemmCase, ours, ref gemmFunc[T], o operands[T], tol float64) error {
	r := o.clone()
	got := o.clone()
	ours(c.tA, c.tB, c.m, c.n, c.k, T(c.alpha), got.a, got.lda, got.b, got.ldb, T(c.beta), got.c, got.ldc)
	ref(c.tA, c.tB, c.m, c.n, c.k, T(c.alpha), r.a, r.lda, r.b, r.ldb, T(c.beta), r.c, r.ldc)
	for i := range o.a {
		if math.Float64bits(float64(got.a[i])) != math.Float64bits(float64(o.a[i])) {
			return fmt.Errorf("a[%d] changed", i)
		}
	}
	for i := range o.b {
		if math.Float64bits(float64(got.b[i])) != math.Float64bits(float64(o.b[i])) {
			return fmt.Errorf("b[%d] changed", i)
		}
	}
	u := unitRoundoff[T]()
	for idx, v := range got.cFull {
		i, j := idx/got.ldc, idx%got.ldc
		if i >= c.m || j >= c.n {
			if v != outside {
				return fmt.Errorf("c[%d] (row %d, column %d) outside the %d×%d window changed to %v", idx, i, j, c.m, c.n, v)
			}
			continue
		}
		var s float64
		for p := 0; p < c.k; p++ {
			s += math.Abs(float64(at(o.a, o.lda, c.tA, i, p)) * float64(at(o.b, o.ldb, c.tB, p, j)))
		}
		s *= math.Abs(c.alpha)
		if c.beta != 0 {
			s += math.Abs(c.beta * float64(o.c[idx]))
		}
		want := r.cFull[idx]
		bound := tol * 2.02 * float64(c.k+3) * u * s
		if d := math.Abs(float64(v) - float64(want)); !(d <= bound) {
			return fmt.Errorf("c[%d][%d] = %v, gonum %v: |diff| %.3g > %.3g", i, j, v, want, d, bound)
		}
	}
	return nil
}

func propParams(n int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(20240508)
	p.MinSuccessfulTests = n
	return p
}
