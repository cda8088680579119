package mixbatch_test

import (
	"math"
	"testing"

	"github.com/leanovate/gopter"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

// namedPrior is a prior with the facts the tests need about it.
type namedPrior struct {
	mixbatch.Prior
	symmetric bool    // symmetric about 1/2
	pure      bool    // weight only on k = 0 and k = B (smoothing γ = 0)
	mean      float64 // E[p]
	second    float64 // E[p²]
}

func mustSmoothing(t testing.TB, g float64) mixbatch.Prior {
	t.Helper()
	p, err := mixbatch.Smoothing(g)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustBeta(t testing.TB, a, b float64) mixbatch.Prior {
	t.Helper()
	p, err := mixbatch.Beta(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// smoothingSecond returns E[p²] for p uniform on [0,γ] ∪ [1−γ,1]:
// (1/2)(γ²/3) + (1/2)(1 − (1−γ)³)/(3γ), or 1/2 for γ = 0.
func smoothingSecond(g float64) float64 {
	if g == 0 {
		return 0.5
	}
	return 0.5*g*g/3 + 0.5*(1-math.Pow(1-g, 3))/(3*g)
}

// allPriors covers every kind of prior and the edge parameters: pure
// batches (γ = 0), a narrow smoothing, the uniform limit (γ = 1/2), and
// Beta priors with a < 1 (singular density), integer and skewed
// parameters.
func allPriors(t testing.TB) []namedPrior {
	beta := func(a, b float64) namedPrior {
		m := a / (a + b)
		return namedPrior{mustBeta(t, a, b), a == b, false, m, m * (a + 1) / (a + b + 1)}
	}
	smooth := func(g float64) namedPrior {
		return namedPrior{mustSmoothing(t, g), true, false, 0.5, smoothingSecond(g)}
	}
	return []namedPrior{
		{mixbatch.Uniform(), true, false, 0.5, 1.0 / 3},
		{mustSmoothing(t, 0), true, true, 0.5, 0.5}, smooth(0.05), smooth(0.2), smooth(0.5),
		beta(0.5, 0.5), beta(2, 5), beta(0.3, 4), beta(3, 3),
	}
}

// propertyParams fixes gopter's seed so that a failure reproduces.
func propertyParams(n int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(20180710)
	p.MinSuccessfulTests = n
	return p
}

// relErr returns |a − b| / max(|a|, |b|), 0 when both are 0, +Inf for NaN.
func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	e := math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
	if math.IsNaN(e) {
		return math.Inf(1)
	}
	return e
}

// logDensities returns B log-density pairs drawn with scale scale.
func logDensities(seed uint64, b int, scale float64) (l1, l2 []float64) {
	rng := settest.Rand(seed)
	l1 = make([]float64, b)
	l2 = make([]float64, b)
	for i := range l1 {
		l1[i] = scale * rng.NormFloat64()
		l2[i] = scale * rng.NormFloat64()
	}
	return l1, l2
}

// logBinomial returns log C(n, k).
func logBinomial(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
