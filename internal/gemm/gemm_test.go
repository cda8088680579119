package gemm

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gonum.org/v1/gonum/blas"
)

// TestMatchesGonum compares every kernel with gonum on random cases with
// normal entries, within the rounding bound of checkCase; it also checks
// that C outside the window and A and B are left alone, and (cases with
// beta = 0 start from a NaN C) that beta = 0 overwrites C.
func TestMatchesGonum(t *testing.T) {
	t.Run("float32", testMatchesGonum[float32])
	t.Run("float64", testMatchesGonum[float64])
}

func testMatchesGonum[T float](t *testing.T) {
	for _, kern := range kernelsFor[T]() {
		t.Run(kern.name, func(t *testing.T) {
			defer useKernel(kern)()
			props := gopter.NewProperties(propParams(300))
			props.Property("within the rounding bound of gonum", prop.ForAll(func(c gemmCase) (bool, error) {
				err := checkCase(c, oursGemm[T](), refGemm[T](), makeOperands(c, normal[T]), 1)
				return err == nil, err
			}, genCase()))
			props.TestingRun(t)
		})
	}
}

// TestExactOnSmallIntegers runs cases whose entries are integers in
// [-3, 3] and whose scalars are 0, ±1, 2 or 1/2: every partial sum is then
// an integer or half-integer below 2¹⁴ (at most 3·3·257·2 + 3·2), exact in
// float32 and float64 in any order, so ours must equal gonum exactly. This
// catches a misplaced index that a rounding tolerance could hide.
func TestExactOnSmallIntegers(t *testing.T) {
	t.Run("float32", testExact[float32])
	t.Run("float64", testExact[float64])
}

func testExact[T float](t *testing.T) {
	exactScalar := gen.OneConstOf(0.0, 1.0, -1.0, 2.0, 0.5)
	for _, kern := range kernelsFor[T]() {
		t.Run(kern.name, func(t *testing.T) {
			defer useKernel(kern)()
			props := gopter.NewProperties(propParams(200))
			props.Property("equal to gonum", prop.ForAll(func(c gemmCase, alpha, beta float64) (bool, error) {
				c.alpha, c.beta = alpha, beta
				err := checkCase(c, oursGemm[T](), refGemm[T](), makeOperands(c, smallInt[T]), 0)
				return err == nil, err
			}, genCase(), exactScalar, exactScalar))
			props.TestingRun(t)
		})
	}
}

// TestParallel runs the parallel product with 2 to 7 goroutines, whatever
// GOMAXPROCS is, and compares with gonum within the rounding bound. Cases
// with at least 2 row tiles per goroutine share the packed B; the others
// are cut into column strips.
func TestParallel(t *testing.T) {
	t.Run("float32", testParallel[float32])
	t.Run("float64", testParallel[float64])
}

func testParallel[T float](t *testing.T) {
	for _, kern := range kernelsFor[T]() {
		t.Run(kern.name, func(t *testing.T) {
			props := gopter.NewProperties(propParams(60))
			props.Property("parallel products agree with gonum", prop.ForAll(func(c gemmCase, p int) (bool, error) {
				split := func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
					aT, bT := checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
					parallel(p, kern, aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
				}
				err := checkCase(c, split, refGemm[T](), makeOperands(c, normal[T]), 1)
				return err == nil, err
			}, genCase().SuchThat(func(c gemmCase) bool { return c.m > 0 && c.n > 0 && c.k > 0 && c.alpha != 0 }),
				gen.IntRange(2, 7)))
			props.TestingRun(t)
		})
	}
}

// TestAlphaZeroReadsNeitherAB checks the reference-BLAS rule that with
// alpha = 0 (or k = 0) C becomes beta·C and A and B are not read: A and B
// full of NaN must leave C exactly beta·C. gonum differs here (it
// multiplies the NaNs by 0), so the expected value is computed directly.
func TestAlphaZeroReadsNeitherAB(t *testing.T) {
	t.Run("float32", testAlphaZero[float32])
	t.Run("float64", testAlphaZero[float64])
}

func testAlphaZero[T float](t *testing.T) {
	for _, beta := range []float64{0, 1, -0.5, 3} {
		c := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 7, n: 9, k: 5, beta: beta, padC: 2, seed: 1}
		o := makeOperands(c, normal[T])
		for i := range o.a {
			o.a[i] = T(math.NaN())
		}
		for i := range o.b {
			o.b[i] = T(math.NaN())
		}
		got := o.clone()
		oursGemm[T]()(c.tA, c.tB, c.m, c.n, c.k, 0, got.a, got.lda, got.b, got.ldb, T(beta), got.c, got.ldc)
		for i := 0; i < c.m; i++ {
			for j := 0; j < c.n; j++ {
				want := T(0)
				if beta != 0 {
					want = T(beta) * o.c[i*o.ldc+j]
				}
				if g := got.c[i*got.ldc+j]; g != want {
					t.Errorf("beta=%g: c[%d][%d] = %v, want beta·c = %v", beta, i, j, g, want)
				}
			}
		}
	}
}

// TestKernelName checks that Kernel names the kernel that runs and Fast
// says whether it is the assembly one.
func TestKernelName(t *testing.T) {
	want := "go"
	if kernels64.fast != nil {
		want = kernels64.fast.name
	}
	if got := Kernel(); got != want {
		t.Errorf("Kernel() = %q, want %q", got, want)
	}
	if got, want := Fast(), kernels64.fast != nil; got != want {
		t.Errorf("Fast() = %v, want %v", got, want)
	}
	defer useKernel(kernels64.generic)()
	if got := Kernel(); got != "go" {
		t.Errorf("Kernel() with the portable kernel forced = %q, want %q", got, "go")
	}
	if Fast() {
		t.Error("Fast() with the portable kernel forced = true")
	}
}

// Example-style sanity check with numbers one can verify by hand, so a
// reader sees the row-major convention at work.
func TestSmallByHand(t *testing.T) {
	// A = [1 2 3; 4 5 6] (2×3), B = Aᵀ, so A·Aᵀ = [14 32; 32 77].
	a := []float64{1, 2, 3, 4, 5, 6}
	c := []float64{1, 1, 1, 1}
	Dgemm(blas.NoTrans, blas.Trans, 2, 2, 3, 1, a, 3, a, 3, 1, c, 2)
	want := []float64{15, 33, 33, 78}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("A·Aᵀ + 1 = %v, want %v", c, want)
	}
}

// TestMatchesGonumLarge is TestMatchesGonum on fewer, larger cases: several
// blocks along k (kc = 256), along m (mc = 96 or 144) and, with
// GOMAXPROCS > 1, the parallel strips.
func TestMatchesGonumLarge(t *testing.T) {
	t.Run("float32", testMatchesGonumLarge[float32])
	t.Run("float64", testMatchesGonumLarge[float64])
}

func testMatchesGonumLarge[T float](t *testing.T) {
	large := gopter.CombineGens(genCase(), gen.IntRange(100, 320), gen.IntRange(100, 320), gen.IntRange(200, 600)).
		Map(func(v []any) gemmCase {
			c := v[0].(gemmCase)
			c.m, c.n, c.k = v[1].(int), v[2].(int), v[3].(int)
			return c
		})
	for _, kern := range kernelsFor[T]() {
		t.Run(kern.name, func(t *testing.T) {
			defer useKernel(kern)()
			props := gopter.NewProperties(propParams(6))
			props.Property("within the rounding bound of gonum", prop.ForAll(func(c gemmCase) (bool, error) {
				err := checkCase(c, oursGemm[T](), refGemm[T](), makeOperands(c, normal[T]), 1)
				return err == nil, err
			}, large))
			props.TestingRun(t)
		})
	}
}

// TestWorkers checks the goroutine count: 1 (no goroutine) for products
// below 2·parMinWork and with GOMAXPROCS = 1, never more than GOMAXPROCS,
// and never more than the tiles along the longer side of C.
func TestWorkers(t *testing.T) {
	kern := kernels32.generic // 2×4 tiles
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, tc := range []struct {
		m, n, k, want int
	}{
		{64, 64, 64, 1},    // one parMinWork
		{64, 64, 127, 1},   // just under two
		{64, 64, 128, 2},   // two
		{512, 512, 512, 4}, // capped by GOMAXPROCS
		{6, 4096, 4096, 4}, // columns split: 1024 tiles of 4
		{4096, 3, 4096, 4}, // rows split: 2048 tiles of 2
		{3, 2, 1 << 20, 2}, // rows split, but only 2 tiles of 2 rows
		{2, 3, 1 << 20, 1}, // columns split, one tile of 4
	} {
		if got := workers(tc.m, tc.n, tc.k, kern); got != tc.want {
			t.Errorf("workers(%d, %d, %d) with GOMAXPROCS 4 = %d, want %d", tc.m, tc.n, tc.k, got, tc.want)
		}
	}
	runtime.GOMAXPROCS(1)
	if got := workers(1024, 1024, 1024, kern); got != 1 {
		t.Errorf("workers with GOMAXPROCS 1 = %d, want 1", got)
	}
}
