package approx_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/symnet/symnet/approx"
	"github.com/symnet/symnet/internal/settest"
)

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

func multinomial(alpha []int) float64 {
	d, r := 0, 1.0
	for _, a := range alpha {
		for i := 1; i <= a; i++ {
			d++
			r = r * float64(d) / float64(i)
		}
	}
	return r
}

func TestMultiIndices(t *testing.T) {
	for n := 1; n <= 4; n++ {
		for d := 1; d <= 5; d++ {
			idx, err := approx.MultiIndices(n, d)
			if err != nil {
				t.Fatal(err)
			}
			// Multi-indices of n entries with 1 ≤ |α| ≤ d: C(n+d, n) − 1.
			if want := binomial(n+d, n) - 1; len(idx) != want {
				t.Errorf("n=%d d=%d: %d indices, want %d", n, d, len(idx), want)
			}
			seen := map[string]bool{}
			prev := 0
			for _, a := range idx {
				s := 0
				for _, v := range a {
					if v < 0 {
						t.Errorf("n=%d d=%d: negative entry in %v", n, d, a)
					}
					s += v
				}
				if len(a) != n || s < 1 || s > d || s < prev {
					t.Errorf("n=%d d=%d: index %v out of range or out of graded order", n, d, a)
				}
				prev = s
				key := fmt.Sprint(a)
				if seen[key] {
					t.Errorf("n=%d d=%d: %v twice", n, d, a)
				}
				seen[key] = true
			}
		}
	}
}

// The brute-force expansion: for any t ∈ R^n,
//
//	Σ_b (t · x_b)^d = Σ_{|α|=d} d!/(α_1!⋯α_n!) t^α p_α(x),
//
// by the multinomial theorem applied to each element. The left side is
// computed directly, without multi-indices; a missing, repeated or wrong
// p_α breaks the equality by about the size of its term. Both sides sum at
// most ~100 terms of size ≤ 8·(2·1.5)^5 ≈ 2000: 1e-9 covers rounding with
// a large margin.
func TestMultiPowerSumsMultinomialExpansion(t *testing.T) {
	rng := settest.Rand(4)
	for trial := 0; trial < 100; trial++ {
		n := 1 + rng.IntN(3)
		b := 1 + rng.IntN(8)
		d := 1 + rng.IntN(5)
		x := make([][]float64, b)
		for i := range x {
			x[i] = randomSet(rng, n, 1.5)
		}
		tv := randomSet(rng, n, 1)
		ps, idx, err := approx.MultiPowerSums(x, d)
		if err != nil {
			t.Fatal(err)
		}
		for deg := 1; deg <= d; deg++ {
			lhs := 0.0
			for _, row := range x {
				dot := 0.0
				for j, v := range row {
					dot += tv[j] * v
				}
				lhs += math.Pow(dot, float64(deg))
			}
			rhs := 0.0
			for i, a := range idx {
				s := 0
				mono := 1.0
				for j, v := range a {
					s += v
					mono *= math.Pow(tv[j], float64(v))
				}
				if s == deg {
					rhs += multinomial(a) * mono * ps[i]
				}
			}
			if math.Abs(lhs-rhs) > 1e-9 {
				t.Errorf("n=%d b=%d degree %d: Σ(t·x)^d = %v, expansion in p_α %v", n, b, deg, lhs, rhs)
			}
		}
	}
}

// For one coordinate the multisymmetric power sums are the power sums.
func TestMultiPowerSumScalarCase(t *testing.T) {
	rng := settest.Rand(5)
	x := randomSet(rng, 6, 1)
	rows := make([][]float64, len(x))
	for i, v := range x {
		rows[i] = []float64{v}
	}
	p, err := approx.PowerSums(x, 5)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 5; k++ {
		got, err := approx.MultiPowerSum(rows, []int{k})
		if err != nil {
			t.Fatal(err)
		}
		// The same products in the same order: exactly equal.
		if got != p[k-1] {
			t.Errorf("p_(%d) = %v, p_%d = %v", k, got, k, p[k-1])
		}
	}
}

// Multisymmetric means symmetric in the elements, not in the coordinates:
// swapping the coordinates of every element changes p_(2,1) into p_(1,2).
func TestMultiPowerSumNotSymmetricInCoordinates(t *testing.T) {
	x := [][]float64{{1, 2}, {3, 5}}
	swapped := [][]float64{{2, 1}, {5, 3}}
	a, err1 := approx.MultiPowerSum(x, []int{2, 1})
	b, err2 := approx.MultiPowerSum(swapped, []int{2, 1})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	// 1·2 + 9·5 = 47 and 4·1 + 25·3 = 79.
	if a != 47 || b != 79 {
		t.Errorf("p_(2,1) = %v and %v after swapping coordinates, want 47 and 79", a, b)
	}
}

func TestMultiBadInput(t *testing.T) {
	ok := [][]float64{{1, 2}}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"MultiIndices n=0", second(approx.MultiIndices(0, 2)), approx.ErrSize},
		{"MultiIndices degree 0", second(approx.MultiIndices(2, 0)), approx.ErrDegree},
		{"MultiIndices too many", second(approx.MultiIndices(30, 30)), approx.ErrSize},
		{"MultiPowerSum empty set", second(approx.MultiPowerSum(nil, []int{1})), approx.ErrEmptySet},
		{"MultiPowerSum empty index", second(approx.MultiPowerSum(ok, nil)), approx.ErrSize},
		{"MultiPowerSum negative", second(approx.MultiPowerSum(ok, []int{2, -1})), approx.ErrDegree},
		{"MultiPowerSum zero degree", second(approx.MultiPowerSum(ok, []int{0, 0})), approx.ErrDegree},
		{"MultiPowerSum ragged", second(approx.MultiPowerSum([][]float64{{1, 2}, {3}}, []int{1, 1})), approx.ErrSize},
		{"MultiPowerSum NaN", second(approx.MultiPowerSum([][]float64{{1, math.NaN()}}, []int{1, 1})), approx.ErrNonFinite},
		{"MultiPowerSum overflow", second(approx.MultiPowerSum([][]float64{{1e200, 1e200}}, []int{1, 1})), approx.ErrNonFinite},
		{"MultiPowerSums empty", third(approx.MultiPowerSums(nil, 2)), approx.ErrEmptySet},
		{"MultiPowerSums ragged", third(approx.MultiPowerSums([][]float64{{1, 2}, {3}}, 2)), approx.ErrSize},
	}
	for _, c := range cases {
		checkErr(t, c.name, c.err, c.want)
	}
}

func third[T, U any](_ T, _ U, err error) error { return err }
