package mixbatch

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestLogIncBetaCF checks the log-space continued fraction against gonum's
// RegIncBeta where both are representable (values from 1e−250 to 1e−3, in
// the lower tail where the fraction is used). Both are accurate to a few
// hundred ε relative there, so 1e−11 separates agreement from any error in
// the coefficients, which shows up at O(1).
func TestLogIncBetaCF(t *testing.T) {
	worst := 0.0
	for _, a := range []float64{1, 2, 7.5, 40, 300, 2049, 4000} {
		for _, b := range []float64{1, 3, 50, 1000, 2048, 4096} {
			for _, x := range []float64{1e-6, 0.001, 0.01, 0.05, 0.2, 0.4} {
				if x >= (a+1)/(a+b+2) {
					continue
				}
				want := mathext.RegIncBeta(a, b, x)
				if want < 1e-250 || want > 1e-3 {
					continue
				}
				got := math.Exp(logIncBetaCF(a, b, x))
				e := math.Abs(got-want) / want
				worst = max(worst, e)
				if e > 1e-11 {
					t.Errorf("I_%v(%v, %v): continued fraction %.17g, gonum %.17g (rel %.2g)", x, a, b, got, want, e)
				}
			}
		}
	}
	t.Logf("largest relative difference from gonum: %.2g", worst)
}

// TestExpNeg checks the split e^−t = μ·2^η against math.Exp where that is
// representable and against the identity e^−(t+u) = e^−t e^−u beyond it.
func TestExpNeg(t *testing.T) {
	for _, v := range []float64{0, 1e-300, 0.3, 1, 20, 699.9, 700, 700.1, 744} {
		mu, eta := expNeg(v)
		got := math.Ldexp(mu, int(eta))
		if e := math.Abs(got-math.Exp(-v)) / math.Exp(-v); e > 4e-16 {
			t.Errorf("expNeg(%v) = %v·2^%d = %v, want %v", v, mu, eta, got, math.Exp(-v))
		}
	}
	// Beyond the float64 range: e^−(t) for t = 1000 + 0.5 equals
	// e^−1000 · e^−0.5; compare mantissas after aligning exponents.
	for _, v := range []float64{800, 1000, 12345.678, 1e6, 1e12} {
		mu, eta := expNeg(v + 0.5)
		mu0, eta0 := expNeg(v)
		ratio := math.Ldexp(mu/mu0, int(eta-eta0))
		// t·ε relative error from rounding v + 0.5 itself.
		tol := 8e-16 + 2*v*0x1p-52
		if e := math.Abs(ratio-math.Exp(-0.5)) / math.Exp(-0.5); e > tol {
			t.Errorf("expNeg(%v)/expNeg(%v) = %v, want e^-0.5 = %v", v+0.5, v, ratio, math.Exp(-0.5))
		}
	}
	if mu, eta := expNeg(math.Inf(1)); mu != 0 || eta != zeroExp {
		t.Errorf("expNeg(+Inf) = %v, %v", mu, eta)
	}
}

func TestPow2(t *testing.T) {
	for _, d := range []int64{0, -1, -52, -1022} {
		if got, want := pow2(d), math.Ldexp(1, int(d)); got != want {
			t.Errorf("pow2(%d) = %v, want %v", d, got, want)
		}
	}
	for _, d := range []int64{-1023, -5000, zeroExp} {
		if got := pow2(d); got != 0 {
			t.Errorf("pow2(%d) = %v, want 0", d, got)
		}
	}
}
