package mixbatch_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

func TestPriorParameterErrors(t *testing.T) {
	for _, g := range []float64{-1e-300, -0.1, 0.5000001, 1, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if p, err := mixbatch.Smoothing(g); !errors.Is(err, mixbatch.ErrPrior) || p != nil {
			t.Errorf("Smoothing(%v) = %v, %v; want ErrPrior", g, p, err)
		}
	}
	bad := [][2]float64{{0, 1}, {1, 0}, {-1, 1}, {1, -2}, {math.NaN(), 1}, {1, math.NaN()},
		{math.Inf(1), 1}, {1, math.Inf(1)}, {1e308, 1e308}}
	for _, ab := range bad {
		if p, err := mixbatch.Beta(ab[0], ab[1]); !errors.Is(err, mixbatch.ErrPrior) || p != nil {
			t.Errorf("Beta(%v, %v) = %v, %v; want ErrPrior", ab[0], ab[1], p, err)
		}
	}
	for _, p := range allPriors(t) {
		for _, b := range []int{0, -3} {
			if w, err := p.LogWeights(b); !errors.Is(err, mixbatch.ErrEmpty) || w != nil {
				t.Errorf("%v.LogWeights(%d) = %v, %v; want ErrEmpty", p, b, w, err)
			}
		}
	}
}

// normTol is the tolerance of Σ_k C(B,k) w_k = 1 in log space. The
// log-weights are sums of about B rounded logarithms of size up to log B,
// and log C(B,k) differs large log-gamma values, so each term carries an
// absolute log error of order B·ε·log B; 64·(B+1)·ε covers that with a
// wide margin (1.4e−14 at B = 1, 5.8e−11 at B = 4096) while any wrong
// weight formula misses by far more.
func normTol(b int) float64 { return 64 * float64(b+1) * 0x1p-52 }

// TestLogWeightsNormalised checks that the weights of all 2^B mixing
// vectors sum to one: Σ_k C(B,k) w_k = 1.
func TestLogWeightsNormalised(t *testing.T) {
	for _, p := range allPriors(t) {
		for _, b := range []int{1, 2, 3, 7, 50, 500, 4096} {
			w, err := p.LogWeights(b)
			if err != nil {
				t.Fatalf("%v.LogWeights(%d): %v", p, b, err)
			}
			if len(w) != b+1 {
				t.Fatalf("%v.LogWeights(%d) has %d entries", p, b, len(w))
			}
			tot := math.Inf(-1)
			for k, lw := range w {
				if math.IsNaN(lw) || math.IsInf(lw, 1) {
					t.Fatalf("%v: log w_%d = %v for B = %d", p, k, lw, b)
				}
				if v := lw + logBinomial(b, k); !math.IsInf(v, -1) {
					m := math.Max(tot, v)
					tot = m + math.Log(math.Exp(tot-m)+math.Exp(v-m))
				}
			}
			if math.Abs(tot) > normTol(b) {
				t.Errorf("%v, B = %d: log Σ C(B,k) w_k = %.3g, want 0 within %.2g", p, b, tot, normTol(b))
			}
		}
	}
}

// TestLogWeightsPascal checks w_k(B) = w_k(B+1) + w_{k+1}(B+1), which
// holds for every prior because p^k (1−p)^(B−k) = p^k (1−p)^(B+1−k) +
// p^(k+1) (1−p)^(B−k). It ties the weights of consecutive batch sizes
// together without any closed form. The tolerance is normTol(B+1) in
// relative terms, for the same reason as in the normalisation test.
func TestLogWeightsPascal(t *testing.T) {
	for _, p := range allPriors(t) {
		for _, b := range []int{1, 2, 5, 13, 60} {
			w, _ := p.LogWeights(b)
			w1, _ := p.LogWeights(b + 1)
			for k := 0; k <= b; k++ {
				want := math.Exp(w[k])
				got := math.Exp(w1[k]) + math.Exp(w1[k+1])
				if want == 0 && got == 0 {
					continue
				}
				if e := relErr(got, want); e > normTol(b+1) {
					t.Errorf("%v, B = %d, k = %d: w_k(B+1) + w_k+1(B+1) = %.17g, w_k(B) = %.17g (rel %.2g)", p, b, k, got, want, e)
				}
			}
		}
	}
}

// TestLogWeightsQuadrature compares each weight with ∫ p^k (1−p)^(B−k)
// dP(p) by Gauss–Legendre quadrature. The integrand is a polynomial for
// the uniform, smoothing and integer Beta priors, and n-point
// Gauss–Legendre is exact for degree ≤ 2n − 1, so the only error is
// rounding in a sum of n positive terms: 1e−12 relative is a safe bound
// for B ≤ 40 and far below the size of any formula error.
func TestLogWeightsQuadrature(t *testing.T) {
	const tol = 1e-12
	legendre := func(f func(float64) float64, lo, hi float64, degree int) float64 {
		return quad.Fixed(f, lo, hi, degree/2+2, quad.Legendre{}, 0)
	}
	type integrable struct {
		p     mixbatch.Prior
		value func(b, k int) float64
	}
	poly := func(b, k int) func(float64) float64 {
		return func(x float64) float64 { return math.Pow(x, float64(k)) * math.Pow(1-x, float64(b-k)) }
	}
	cases := []integrable{
		{mixbatch.Uniform(), func(b, k int) float64 { return legendre(poly(b, k), 0, 1, b) }},
	}
	for _, g := range []float64{0.01, 0.05, 0.2, 0.37, 0.5} {
		cases = append(cases, integrable{mustSmoothing(t, g), func(b, k int) float64 {
			f := poly(b, k)
			return (legendre(f, 0, g, b) + legendre(f, 1-g, 1, b)) / (2 * g)
		}})
	}
	for _, ab := range [][2]int{{1, 1}, {2, 5}, {4, 2}, {7, 7}} {
		a, bb := float64(ab[0]), float64(ab[1])
		lbeta, _ := math.Lgamma(a)
		l2, _ := math.Lgamma(bb)
		l3, _ := math.Lgamma(a + bb)
		norm := math.Exp(lbeta + l2 - l3)
		cases = append(cases, integrable{mustBeta(t, a, bb), func(b, k int) float64 {
			f := func(x float64) float64 {
				return poly(b, k)(x) * math.Pow(x, a-1) * math.Pow(1-x, bb-1) / norm
			}
			return legendre(f, 0, 1, b+ab[0]+ab[1])
		}})
	}
	for _, c := range cases {
		for _, b := range []int{1, 2, 3, 8, 14, 40} {
			w, err := c.p.LogWeights(b)
			if err != nil {
				t.Fatal(err)
			}
			for k := 0; k <= b; k++ {
				want := c.value(b, k)
				if e := relErr(math.Exp(w[k]), want); e > tol {
					t.Errorf("%v, B = %d, k = %d: w_k = %.17g, quadrature %.17g (rel %.2g)", c.p, b, k, math.Exp(w[k]), want, e)
				}
			}
		}
	}
}

// TestSmoothingLimits checks the two ends of the smoothing family: γ = 1/2
// has exactly the uniform weights, γ = 0 puts 1/2 on k = 0 and k = B, and a
// tiny γ approaches γ = 0, with w_0 = 1/2 + O(Bγ).
func TestSmoothingLimits(t *testing.T) {
	for _, b := range []int{1, 4, 100} {
		wu, _ := mixbatch.Uniform().LogWeights(b)
		wh, _ := mustSmoothing(t, 0.5).LogWeights(b)
		w0, _ := mustSmoothing(t, 0).LogWeights(b)
		wt, _ := mustSmoothing(t, 1e-9).LogWeights(b)
		for k := 0; k <= b; k++ {
			if wu[k] != wh[k] {
				t.Errorf("B = %d, k = %d: Smoothing(1/2) log w = %v, Uniform %v", b, k, wh[k], wu[k])
			}
			want := math.Inf(-1)
			if k == 0 || k == b {
				want = -math.Ln2
				// Bγ = 1e−7 at most: the edge weight is 1/2 to that accuracy.
				if math.Abs(math.Exp(wt[k])-0.5) > 1e-6 {
					t.Errorf("B = %d, k = %d: Smoothing(1e-9) w = %v, want ≈ 1/2", b, k, math.Exp(wt[k]))
				}
			}
			if w0[k] != want {
				t.Errorf("B = %d, k = %d: Smoothing(0) log w = %v, want %v", b, k, w0[k], want)
			}
		}
	}
}

// TestSamplerMoments checks E[p] and E[p²] of each prior's sampler against
// their exact values. With M draws the sample means have standard errors
// sd/√M; a correct sampler lands within 4 standard errors except with
// probability 6e−5 per check, and the fixed seed makes the outcome
// reproducible.
func TestSamplerMoments(t *testing.T) {
	const m = 40000
	for _, p := range allPriors(t) {
		rng := settest.Rand(11)
		var s1, s2, s4 float64
		for i := 0; i < m; i++ {
			x := p.Sample(rng)
			if !(x >= 0 && x <= 1) {
				t.Fatalf("%v sampled %v", p, x)
			}
			s1 += x
			s2 += x * x
			s4 += x * x * x * x
		}
		mean, second := s1/m, s2/m
		sdMean := math.Sqrt((p.second - p.mean*p.mean) / m)
		sdSecond := math.Sqrt((s4/m - second*second) / m)
		if d := math.Abs(mean - p.mean); d > 4*sdMean {
			t.Errorf("%v: mean of p = %.5f, want %.5f ± %.5f", p, mean, p.mean, 4*sdMean)
		}
		if d := math.Abs(second - p.second); d > 4*sdSecond {
			t.Errorf("%v: mean of p² = %.5f, want %.5f ± %.5f", p, second, p.second, 4*sdSecond)
		}
	}
}

// chiSquare returns Pearson's statistic of counts against the pmf and its
// degrees of freedom; a count in a cell of probability 0 makes it +Inf.
func chiSquare(counts []int, pmf []float64, m int) (stat float64, df int) {
	for k, c := range counts {
		e := float64(m) * pmf[k]
		if e == 0 {
			if c != 0 {
				return math.Inf(1), 0
			}
			continue
		}
		d := float64(c) - e
		stat += d * d / e
		df++
	}
	return stat, df - 1
}

// TestDrawsMatchWeights ties each prior's sampler to its weights: the
// number of ones #β of a Mixer draw has the pmf C(B,k) w_k. Pearson's
// statistic must stay below the 1 − 1e−4 quantile of χ²(df); the same
// statistic computed against another prior's weights must exceed it, which
// shows the check can fail.
func TestDrawsMatchWeights(t *testing.T) {
	const (
		b = 6
		m = 30000
	)
	priors := allPriors(t)
	pmfOf := func(p mixbatch.Prior) []float64 {
		w, err := p.LogWeights(b)
		if err != nil {
			t.Fatal(err)
		}
		pmf := make([]float64, b+1)
		for k := range pmf {
			pmf[k] = math.Exp(w[k] + logBinomial(b, k))
		}
		return pmf
	}
	for i, p := range priors {
		mixer, err := mixbatch.NewMixer(p, settest.Rand(uint64(100+i)))
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int, b+1)
		for j := 0; j < m; j++ {
			d, err := mixer.Draw(b)
			if err != nil {
				t.Fatal(err)
			}
			counts[d.Ones()]++
		}
		stat, df := chiSquare(counts, pmfOf(p), m)
		limit := distuv.ChiSquared{K: float64(max(df, 1))}.Quantile(1 - 1e-4)
		if !(stat < limit) {
			t.Errorf("%v: χ² = %.1f with %d df, limit %.1f; counts %v", p, stat, df, limit, counts)
		}
		other := priors[(i+3)%len(priors)]
		ostat, odf := chiSquare(counts, pmfOf(other), m)
		olimit := distuv.ChiSquared{K: float64(max(odf, 1))}.Quantile(1 - 1e-4)
		if ostat < olimit {
			t.Errorf("%v draws pass the χ² check against %v (χ² = %.1f, limit %.1f): the check has no power", p, other, ostat, olimit)
		}
	}
}

// TestSameSeedSameDraws: two Mixers on sources with one seed draw the
// same p and β; another seed draws differently.
func TestSameSeedSameDraws(t *testing.T) {
	for _, p := range allPriors(t) {
		a, _ := mixbatch.NewMixer(p, settest.Rand(5))
		b, _ := mixbatch.NewMixer(p, settest.Rand(5))
		c, _ := mixbatch.NewMixer(p, settest.Rand(6))
		differ := false
		for i := 0; i < 50; i++ {
			da, _ := a.Draw(16)
			db, _ := b.Draw(16)
			dc, _ := c.Draw(16)
			if da.P != db.P || !equalBools(da.Beta, db.Beta) {
				t.Fatalf("%v: draw %d differs between two sources with one seed", p, i)
			}
			if da.P != dc.P || !equalBools(da.Beta, dc.Beta) {
				differ = true
			}
		}
		if !differ {
			t.Errorf("%v: seeds 5 and 6 gave the same 50 draws", p)
		}
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestBetaExtremeParameters: very small parameters make Beta(a, b) nearly
// Bernoulli(a/(a+b)) on {0, 1}, very large ones concentrate it at
// a/(a+b); the sampler must stay in [0, 1] and follow both limits, and the
// weights must stay finite.
func TestBetaExtremeParameters(t *testing.T) {
	const m = 4000
	cases := []struct {
		a, b, mean, sd float64
	}{
		{1e-300, 1e-300, 0.5, 0.5},               // sd of Bernoulli(1/2)
		{1e-300, 3e-300, 0.25, math.Sqrt(3) / 4}, // Bernoulli(1/4)
		{1e6, 1e6, 0.5, math.Sqrt(0.25 / (2e6 + 1))},
		{1e12, 3e12, 0.25, math.Sqrt(0.25 * 0.75 / (4e12 + 1))},
	}
	for _, c := range cases {
		p := mustBeta(t, c.a, c.b)
		rng := settest.Rand(3)
		var s float64
		for i := 0; i < m; i++ {
			x := p.Sample(rng)
			if !(x >= 0 && x <= 1) {
				t.Fatalf("%v sampled %v", p, x)
			}
			s += x
		}
		if d := math.Abs(s/m - c.mean); d > 4*c.sd/math.Sqrt(m) {
			t.Errorf("%v: mean %.6f, want %.6f ± %.2g", p, s/m, c.mean, 4*c.sd/math.Sqrt(m))
		}
		w, err := p.LogWeights(64)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range w {
			if math.IsNaN(v) || math.IsInf(v, 1) {
				t.Errorf("%v: log w_%d = %v", p, k, v)
			}
		}
	}
}
