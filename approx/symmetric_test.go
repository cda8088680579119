package approx_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/symnet/symnet/approx"
	"github.com/symnet/symnet/internal/settest"
)

func propertyParams(n int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(20180712)
	p.MinSuccessfulTests = n
	return p
}

// randomSet returns b values uniform in [−scale, scale].
func randomSet(rng *rand.Rand, b int, scale float64) []float64 {
	x := make([]float64, b)
	for i := range x {
		x[i] = scale * (2*rng.Float64() - 1)
	}
	return x
}

// bruteElementary returns e_k(x) by enumerating every subset of k
// elements, and Σ over those subsets of |product|, the scale that rounding
// errors are proportional to.
func bruteElementary(x []float64, k int) (e, scale float64) {
	for mask := 0; mask < 1<<len(x); mask++ {
		n, prod := 0, 1.0
		for b, v := range x {
			if mask&(1<<b) != 0 {
				n++
				prod *= v
			}
		}
		if n == k {
			e += prod
			scale += math.Abs(prod)
		}
	}
	return e, scale
}

// brutePowerSum returns Σ_b x_b^k with math.Pow, and Σ_b |x_b|^k.
func brutePowerSum(x []float64, k int) (p, scale float64) {
	for _, v := range x {
		p += math.Pow(v, float64(k))
		scale += math.Pow(math.Abs(v), float64(k))
	}
	return p, scale
}

// The recurrences and the brute-force sums add at most 2^10 terms, each a
// product of at most 10 factors: both are within ~(2^10+10)·2^−53·scale
// ≈ 1.2e-13·scale of the exact value, so 1e-12·scale is a safe margin that
// any wrong term (an error of order scale/2^10 at least) breaks.
const bruteRelTol = 1e-12

func TestPowerSumsAndElementaryMatchBruteForce(t *testing.T) {
	rng := settest.Rand(1)
	for trial := 0; trial < 200; trial++ {
		b := 1 + rng.IntN(10)
		x := randomSet(rng, b, 2)
		k := 1 + rng.IntN(10)
		p, err := approx.PowerSums(x, k)
		if err != nil {
			t.Fatal(err)
		}
		e, err := approx.Elementary(x, k)
		if err != nil {
			t.Fatal(err)
		}
		for j := 1; j <= k; j++ {
			want, scale := brutePowerSum(x, j)
			if d := math.Abs(p[j-1] - want); d > bruteRelTol*scale {
				t.Errorf("p_%d(%v) = %v, brute force %v", j, x, p[j-1], want)
			}
			want, scale = bruteElementary(x, j)
			if d := math.Abs(e[j-1] - want); d > bruteRelTol*math.Max(scale, 1e-300) {
				t.Errorf("e_%d(%v) = %v, brute force %v", j, x, e[j-1], want)
			}
			if j > b && e[j-1] != 0 {
				t.Errorf("e_%d of a set of %d = %v, want exactly 0", j, b, e[j-1])
			}
		}
	}
}

// Newton's identities are alternating sums: their rounding error is a few
// ulps of the largest product e_{k−i}·p_i, not of the result. For sets in
// [−1, 1] of at most 8 elements and k ≤ 8, |p_i| ≤ 8 and |e_j| ≤ C(8,4) = 70,
// so each identity works with terms below 600 and errors compound over at
// most 8 steps; 1e-10 is two orders above the ~1e-12 observed and far below
// the error of any wrong sign or coefficient (≥ 1e-3 on these sets).
const newtonTol = 1e-10

func TestNewtonIdentitiesBothWays(t *testing.T) {
	rng := settest.Rand(2)
	for trial := 0; trial < 500; trial++ {
		b := 1 + rng.IntN(8)
		k := 1 + rng.IntN(8)
		x := randomSet(rng, b, 1)
		p, err := approx.PowerSums(x, k)
		if err != nil {
			t.Fatal(err)
		}
		e, err := approx.Elementary(x, k)
		if err != nil {
			t.Fatal(err)
		}
		eFromP, err := approx.ElementaryFromPowerSums(p)
		if err != nil {
			t.Fatal(err)
		}
		pFromE, err := approx.PowerSumsFromElementary(e)
		if err != nil {
			t.Fatal(err)
		}
		if d := settest.MaxAbsDiff(eFromP, e); d > newtonTol {
			t.Errorf("set %v: e from p differs from e by %.3g\n e = %v\n got %v", x, d, e, eFromP)
		}
		if d := settest.MaxAbsDiff(pFromE, p); d > newtonTol {
			t.Errorf("set %v: p from e differs from p by %.3g\n p = %v\n got %v", x, d, p, pFromE)
		}
	}
}

// Known values on a set small enough to expand by hand, x = {1, 2, 3}:
// p = 6, 14, 36; e = 6, 11, 6, 0 (the coefficients of (1+t)(1+2t)(1+3t)).
func TestSymmetricKnownValues(t *testing.T) {
	x := []float64{1, 2, 3}
	p, err := approx.PowerSums(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	e, err := approx.Elementary(x, 4)
	if err != nil {
		t.Fatal(err)
	}
	if settest.MaxAbsDiff(p, []float64{6, 14, 36}) != 0 {
		t.Errorf("p = %v, want [6 14 36]", p)
	}
	if settest.MaxAbsDiff(e, []float64{6, 11, 6, 0}) != 0 {
		t.Errorf("e = %v, want [6 11 6 0]", e)
	}
}

func TestElementaryPolynomialMatchesBruteForce(t *testing.T) {
	// The number of terms of e_k in power sums is the number of partitions
	// of k: 1, 2, 3, 5, 7, 11.
	partitions := []int{1, 2, 3, 5, 7, 11}
	rng := settest.Rand(3)
	for k := 1; k <= 6; k++ {
		poly, err := approx.ElementaryPolynomial(k)
		if err != nil {
			t.Fatal(err)
		}
		if len(poly) != partitions[k-1] {
			t.Errorf("e_%d = %v has %d terms, want %d", k, poly, len(poly), partitions[k-1])
		}
		for trial := 0; trial < 20; trial++ {
			x := randomSet(rng, 1+rng.IntN(8), 1)
			got, err := poly.Eval(x)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := bruteElementary(x, k)
			if math.Abs(got-want) > newtonTol {
				t.Errorf("e_%d = %v on %v: %v, brute force %v", k, poly, x, got, want)
			}
		}
	}
	e2, _ := approx.ElementaryPolynomial(2)
	if s := e2.String(); s != "0.5*p1^2 - 0.5*p2" {
		t.Errorf("e_2 = %q, want %q", s, "0.5*p1^2 - 0.5*p2")
	}
}

func TestPolynomialEvalAndString(t *testing.T) {
	// 2 p1 p2 − p3 + 4 on {1, 2}: p1 = 3, p2 = 5, p3 = 9, so 30 − 9 + 4.
	p := approx.Polynomial{{Coef: 2, Powers: []int{2, 1}}, {Coef: -1, Powers: []int{3}}, {Coef: 4}}
	got, err := p.Eval([]float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	if got != 25 {
		t.Errorf("Eval = %v, want 25", got)
	}
	if s := p.String(); s != "2*p1*p2 - p3 + 4" {
		t.Errorf("String = %q", s)
	}
	if p.MaxPower() != 3 {
		t.Errorf("MaxPower = %d, want 3", p.MaxPower())
	}
	if s := (approx.Polynomial{}).String(); s != "0" {
		t.Errorf("zero polynomial prints %q", s)
	}
}

func TestPropertySymmetricFunctionsInvariant(t *testing.T) {
	props := gopter.NewProperties(propertyParams(300))
	props.Property("power sums, elementary and multisymmetric power sums ignore the order of the set", prop.ForAll(
		func(b, k int, seed uint64) bool {
			rng := settest.Rand(seed)
			x := randomSet(rng, b, 1.5)
			perm := rng.Perm(b)
			y := make([]float64, b)
			vx := make([][]float64, b)
			vy := make([][]float64, b)
			for i, j := range perm {
				y[i] = x[j]
			}
			for i := range vx {
				vx[i] = []float64{x[i], x[(i+1)%b]}
			}
			for i, j := range perm {
				vy[i] = vx[j]
			}
			// Reordering a sum of ≤ 9 terms of size ≤ 1.5^6·9 moves it by a
			// few ulps of 100: 1e-11 is generous.
			const tol = 1e-11
			px, err1 := approx.PowerSums(x, k)
			py, err2 := approx.PowerSums(y, k)
			ex, err3 := approx.Elementary(x, k)
			ey, err4 := approx.Elementary(y, k)
			mx, _, err5 := approx.MultiPowerSums(vx, k)
			my, _, err6 := approx.MultiPowerSums(vy, k)
			if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
				return false
			}
			return settest.MaxAbsDiff(px, py) <= tol && settest.MaxAbsDiff(ex, ey) <= tol && settest.MaxAbsDiff(mx, my) <= tol
		},
		gen.IntRange(1, 9), gen.IntRange(1, 6), gen.UInt64(),
	))
	props.TestingRun(t)
}

func TestSymmetricBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"PowerSums empty", second(approx.PowerSums(nil, 2)), approx.ErrEmptySet},
		{"PowerSums NaN", second(approx.PowerSums([]float64{1, nan}, 2)), approx.ErrNonFinite},
		{"PowerSums Inf", second(approx.PowerSums([]float64{inf}, 2)), approx.ErrNonFinite},
		{"PowerSums k=0", second(approx.PowerSums([]float64{1}, 0)), approx.ErrDegree},
		{"PowerSums k too large", second(approx.PowerSums([]float64{1}, approx.MaxDegree+1)), approx.ErrDegree},
		{"PowerSums overflow", second(approx.PowerSums([]float64{1e200}, 2)), approx.ErrNonFinite},
		{"Elementary empty", second(approx.Elementary([]float64{}, 2)), approx.ErrEmptySet},
		{"Elementary NaN", second(approx.Elementary([]float64{nan}, 1)), approx.ErrNonFinite},
		{"Elementary k<0", second(approx.Elementary([]float64{1}, -1)), approx.ErrDegree},
		{"Elementary overflow", second(approx.Elementary([]float64{1e200, 1e200}, 2)), approx.ErrNonFinite},
		{"ElementaryFromPowerSums empty", second(approx.ElementaryFromPowerSums(nil)), approx.ErrEmptySet},
		{"ElementaryFromPowerSums Inf", second(approx.ElementaryFromPowerSums([]float64{1, inf})), approx.ErrNonFinite},
		{"ElementaryFromPowerSums too long", second(approx.ElementaryFromPowerSums(make([]float64, approx.MaxDegree+1))), approx.ErrDegree},
		{"ElementaryFromPowerSums overflow", second(approx.ElementaryFromPowerSums([]float64{1e300, 1e300})), approx.ErrNonFinite},
		{"PowerSumsFromElementary empty", second(approx.PowerSumsFromElementary([]float64{})), approx.ErrEmptySet},
		{"PowerSumsFromElementary NaN", second(approx.PowerSumsFromElementary([]float64{nan})), approx.ErrNonFinite},
		{"PowerSumsFromElementary overflow", second(approx.PowerSumsFromElementary([]float64{1e300, 1e300})), approx.ErrNonFinite},
		{"ElementaryPolynomial 0", second(approx.ElementaryPolynomial(0)), approx.ErrDegree},
		{"Eval NaN coefficient", second(approx.Polynomial{{Coef: nan, Powers: []int{1}}}.Eval([]float64{1})), approx.ErrNonFinite},
		{"Eval power 0", second(approx.Polynomial{{Coef: 1, Powers: []int{0}}}.Eval([]float64{1})), approx.ErrDegree},
		{"Eval empty set", second(approx.Polynomial{{Coef: 1, Powers: []int{1}}}.Eval(nil)), approx.ErrEmptySet},
		{"Eval overflow", second(approx.Polynomial{{Coef: 1e300, Powers: []int{1, 1}}}.Eval([]float64{1e10})), approx.ErrNonFinite},
	}
	for _, c := range cases {
		checkErr(t, c.name, c.err, c.want)
	}
}

func second[T any](_ T, err error) error { return err }

// checkErr asserts that err wraps want and that its message carries the
// package prefix.
func checkErr(t *testing.T, name string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", name, err, want)
		return
	}
	if msg := err.Error(); len(msg) < 8 || msg[:8] != "approx: " {
		t.Errorf("%s: message %q does not start with \"approx: \"", name, msg)
	}
}

// FuzzNewton converts the power sums of a set of four values to elementary
// symmetric polynomials and back. Non-finite values must give ErrNonFinite;
// finite values must never panic; values of moderate size (|x| ≤ 4) must
// agree with the direct recurrence to a tolerance scaled by the largest
// term Newton's identities handle, (1+max|x|)^k · 2^4·4 (see newtonTol).
func FuzzNewton(f *testing.F) {
	f.Add(1.0, 2.0, 3.0, 4.0)
	f.Add(-1.0, 0.5, 0.0, 1e-300)
	f.Add(math.NaN(), 0.0, 0.0, 0.0)
	f.Add(1e200, -1e200, 1.0, 2.0)
	f.Fuzz(func(t *testing.T, a, b, c, d float64) {
		x := []float64{a, b, c, d}
		const k = 6
		p, err := approx.PowerSums(x, k)
		finite, big := true, 0.0
		for _, v := range x {
			finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
			big = math.Max(big, math.Abs(v))
		}
		if !finite {
			if !errors.Is(err, approx.ErrNonFinite) {
				t.Fatalf("set %v: got %v, want ErrNonFinite", x, err)
			}
			return
		}
		if err != nil {
			if !errors.Is(err, approx.ErrNonFinite) {
				t.Fatalf("set %v: unexpected error %v", x, err)
			}
			return
		}
		e, errE := approx.ElementaryFromPowerSums(p)
		p2, errP := approx.PowerSumsFromElementary(e)
		if errE != nil || errP != nil {
			if big <= 4 || !errors.Is(errors.Join(errE, errP), approx.ErrNonFinite) {
				t.Fatalf("set %v: conversion errors %v, %v", x, errE, errP)
			}
			return
		}
		if big > 4 {
			return
		}
		direct, err := approx.Elementary(x, k)
		if err != nil {
			t.Fatal(err)
		}
		scale := 64 * math.Pow(1+big, k)
		if dd := settest.MaxAbsDiff(e, direct); dd > 1e-12*scale {
			t.Errorf("set %v: Newton e = %v, recurrence %v", x, e, direct)
		}
		if dd := settest.MaxAbsDiff(p2, p); dd > 1e-12*scale {
			t.Errorf("set %v: round trip p = %v, started from %v", x, p2, p)
		}
	})
}
