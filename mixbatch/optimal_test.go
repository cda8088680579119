package mixbatch_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

const eps = 0x1p-52

// bruteTol is the agreement asked of the recurrence and the 2^B
// enumeration. With log-densities of size up to about 60 (scale 20, B ≤ 14)
// both methods carry relative errors of a few 1e−14 (measured worst
// 4.3e−14), so 1e−12 leaves a margin and still catches any error in a
// weight or a coefficient, which shows at 1e−3 or more.
const bruteTol = 1e-12

// TestOptimalMatchesBruteForce compares the O(B²) recurrence with the
// definition (a sum over all 2^B mixing vectors) for every prior, every B
// from 1 to 14, several scales of log-densities and batches in which some
// element has density zero under p1 or p2.
func TestOptimalMatchesBruteForce(t *testing.T) {
	worst, cases := 0.0, 0
	for _, p := range allPriors(t) {
		for b := 1; b <= 14; b++ {
			od, err := mixbatch.NewOptimalDiscriminator(p, b)
			if err != nil {
				t.Fatal(err)
			}
			for seed := uint64(0); seed < 6; seed++ {
				for _, scale := range []float64{0.3, 2, 20} {
					l1, l2 := logDensities(seed*100+uint64(b), b, scale)
					zeros := false
					switch {
					case seed == 4:
						l1[0] = math.Inf(-1) // p1(y_1) = 0: y_1 is fake
					case seed == 5 && b > 1:
						// y_1 fake and y_B real for sure.
						l1[0], l2[b-1] = math.Inf(-1), math.Inf(-1)
						zeros = true
					}
					got, err := od.Value(l1, l2)
					want, errBF := mixbatch.OptimalBruteForce(l1, l2, p)
					if zeros && p.pure {
						// Neither all-real nor all-fake is possible.
						if !errors.Is(err, mixbatch.ErrImpossible) || !errors.Is(errBF, mixbatch.ErrImpossible) {
							t.Errorf("%v, B = %d: %v and %v, want ErrImpossible", p, b, err, errBF)
						}
						continue
					}
					if err != nil || errBF != nil {
						t.Fatalf("%v, B = %d: %v; brute force: %v", p, b, err, errBF)
					}
					e := relErr(got, want)
					worst = max(worst, e)
					cases++
					if e > bruteTol {
						t.Errorf("%v, B = %d, seed %d, scale %v: recurrence %.17g, brute force %.17g (rel %.2g)", p, b, seed, scale, got, want, e)
					}
				}
			}
		}
	}
	t.Logf("%d batches, largest relative difference from brute force %.2g", cases, worst)
}

// TestPropertyOptimalBruteForce (gopter) extends the agreement with the
// brute force to priors with random parameters: γ anywhere in [0, 1/2],
// Beta(a, b) with a, b from 0.05 to 20, B up to 14, log-densities of scale
// up to 20; tolerance bruteTol as above.
func TestPropertyOptimalBruteForce(t *testing.T) {
	props := gopter.NewProperties(propertyParams(300))
	props.Property("recurrence = 2^B enumeration for random priors", prop.ForAll(
		func(kind, b int, x, y, scale float64, seed uint64) bool {
			var p mixbatch.Prior = mixbatch.Uniform()
			var err error
			switch kind {
			case 1:
				p, err = mixbatch.Smoothing(x / 2)
			case 2:
				p, err = mixbatch.Beta(0.05+20*x, 0.05+20*y)
			}
			if err != nil {
				return false
			}
			l1, l2 := logDensities(seed, b, scale)
			got, err1 := mixbatch.Optimal(l1, l2, p)
			want, err2 := mixbatch.OptimalBruteForce(l1, l2, p)
			return err1 == nil && err2 == nil && relErr(got, want) <= bruteTol
		},
		gen.IntRange(0, 2), gen.IntRange(1, 14), gen.Float64Range(0, 1), gen.Float64Range(0, 1),
		gen.Float64Range(0.01, 20), gen.UInt64(),
	))
	props.TestingRun(t)
}

// optCase is a random batch for the property tests: a prior, B, a scale
// of the log-densities (up to gaps of several thousand) and a seed.
type optCase struct {
	prior, b, scale int
	seed            uint64
}

var propScales = []float64{0.01, 1, 10, 300, 1000}

func genOptCase(nPriors, maxB int) gopter.Gen {
	return gopter.CombineGens(
		gen.IntRange(0, nPriors-1), gen.IntRange(1, maxB), gen.IntRange(0, len(propScales)-1), gen.UInt64(),
	).Map(func(v []any) optCase {
		return optCase{v[0].(int), v[1].(int), v[2].(int), v[3].(uint64)}
	})
}

func (c optCase) batch() (l1, l2 []float64) {
	return logDensities(c.seed, c.b, propScales[c.scale])
}

// TestPropertyOptimal checks the symmetries of D* on random batches of up
// to 200 elements with log-density gaps up to several thousand.
func TestPropertyOptimal(t *testing.T) {
	priors := allPriors(t)
	props := gopter.NewProperties(propertyParams(1000))
	value := func(c optCase, l1, l2 []float64) float64 {
		d, err := mixbatch.Optimal(l1, l2, priors[c.prior])
		if err != nil {
			return math.NaN()
		}
		return d
	}
	props.Property("D* ∈ [0, 1]", prop.ForAll(
		func(c optCase) bool {
			l1, l2 := c.batch()
			d := value(c, l1, l2)
			return d >= 0 && d <= 1
		},
		genOptCase(len(priors), 200),
	))
	// The log-ratios are sorted before the recurrence runs, so the result
	// depends only on the multiset of (log p1, log p2) pairs: permuting
	// the batch must give the same float64, bit for bit.
	props.Property("D* invariant under permutations of the batch", prop.ForAll(
		func(c optCase) bool {
			l1, l2 := c.batch()
			perm := settest.Rand(c.seed + 1).Perm(c.b)
			p1, p2 := make([]float64, c.b), make([]float64, c.b)
			for i, j := range perm {
				p1[i], p2[i] = l1[j], l2[j]
			}
			a, b := value(c, l1, l2), value(c, p1, p2)
			return a == b && !math.IsNaN(a)
		},
		genOptCase(len(priors), 200),
	))
	// Swapping p1 and p2 maps β to 1 − β, which a prior symmetric about
	// 1/2 does not see: D*(swap) = 1 − D*. Each side carries an absolute
	// error of a few B·ε (B ≤ 200), so 1e−12 holds with margin.
	props.Property("D*(swap p1, p2) = 1 − D* for symmetric priors", prop.ForAll(
		func(c optCase) bool {
			if !priors[c.prior].symmetric {
				return true
			}
			l1, l2 := c.batch()
			return math.Abs(value(c, l2, l1)-(1-value(c, l1, l2))) <= 1e-12
		},
		genOptCase(len(priors), 200),
	))
	// Raising log p1(y_b) raises the posterior odds that y_b is real, so
	// D* cannot decrease. Rounding may move equal values by a few B·ε
	// relative; 1e−12 of slack covers it.
	props.Property("D* nondecreasing in each log p1(y_b)", prop.ForAll(
		func(c optCase, idx int, up float64) bool {
			l1, l2 := c.batch()
			i := idx % c.b
			before := value(c, l1, l2)
			l1[i] += up
			after := value(c, l1, l2)
			return after >= before-1e-12*before
		},
		genOptCase(len(priors), 200), gen.IntRange(0, 1000), gen.Float64Range(1e-6, 50),
	))
	// A strict version where the change is large enough to show: for a
	// prior with weight on every k (uniform) and moderate gaps, raising one
	// log-ratio by 2 must raise D* by a visible amount.
	props.Property("D* strictly increasing for the uniform prior", prop.ForAll(
		func(b int, seed uint64, idx int) bool {
			l1, l2 := logDensities(seed, b, 1)
			i := idx % b
			before, _ := mixbatch.Optimal(l1, l2, mixbatch.Uniform())
			l1[i] += 2
			after, _ := mixbatch.Optimal(l1, l2, mixbatch.Uniform())
			return after > before
		},
		gen.IntRange(1, 50), gen.UInt64(), gen.IntRange(0, 1000),
	))
	props.TestingRun(t)
}

// neumaierSum is a compensated sum, accurate to about ε|Σ| + ε²Σ|x|.
func neumaierSum(xs []float64) float64 {
	var s, c float64
	for _, x := range xs {
		t := s + x
		if math.Abs(s) >= math.Abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
	}
	return s + c
}

func sigmoid(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + math.Exp(-t))
	}
	e := math.Exp(t)
	return e / (1 + e)
}

// TestOptimalPureBatches: under γ = 0 the only mixing vectors are all-real
// and all-fake, each of prior weight 1/2, so
// D* = Π p1 / (Π p1 + Π p2) = σ(Σ_b log p1(y_b)/p2(y_b)). The reference
// sums the log-ratios with compensation (error ≤ 2ε|t|); the recurrence
// multiplies B mantissas (error ≤ 2Bε in t) and aligns exponents (error
// ≤ 745ε in t). An error Δt moves σ(t) by σ(1−σ)Δt, so the bound is
// σ(1−σ)·2(2ε|t| + 2Bε + 745ε), plus 4ε for the final rounding. This
// includes B = 4096 with gaps of ±1000.
func TestOptimalPureBatches(t *testing.T) {
	pure := mustSmoothing(t, 0)
	for _, b := range []int{1, 2, 7, 64, 4096} {
		for _, scale := range []float64{0.01, 1, 30, 1000} {
			for seed := uint64(0); seed < 3; seed++ {
				l1, l2 := logDensities(seed+uint64(b), b, scale)
				r := make([]float64, b)
				for i := range r {
					r[i] = l1[i] - l2[i]
				}
				ts := neumaierSum(r)
				want := sigmoid(ts)
				got, err := mixbatch.Optimal(l1, l2, pure)
				if err != nil {
					t.Fatal(err)
				}
				tol := want*(1-want)*2*(2*eps*math.Abs(ts)+2*float64(b)*eps+745*eps) + 4*eps
				if math.Abs(got-want) > tol {
					t.Errorf("B = %d, scale %v, seed %d: D* = %.17g, σ(Σ log-ratios = %.6g) = %.17g (diff %.2g, tol %.2g)",
						b, scale, seed, got, ts, want, math.Abs(got-want), tol)
				}
			}
		}
	}
}

// TestOptimalSingleElement: for B = 1 the only weights are w_0 = 1 − E[p]
// and w_1 = E[p], so D* = E[p] p1 / (E[p] p1 + (1−E[p]) p2); for the
// uniform prior that is the classical p1/(p1+p2). The densities are
// moderate, so the direct formula is accurate to a few ε; 1e−14 relative
// allows for that.
func TestOptimalSingleElement(t *testing.T) {
	for _, p := range allPriors(t) {
		for _, l := range [][2]float64{{0, 0}, {-1, -2}, {-3.5, 0.25}, {2, -10}, {-30, -1}} {
			p1, p2 := math.Exp(l[0]), math.Exp(l[1])
			want := p.mean * p1 / (p.mean*p1 + (1-p.mean)*p2)
			got, err := mixbatch.Optimal([]float64{l[0]}, []float64{l[1]}, p)
			if err != nil {
				t.Fatal(err)
			}
			if e := relErr(got, want); e > 1e-14 {
				t.Errorf("%v, log p1 = %v, log p2 = %v: D* = %.17g, want %.17g (rel %.2g)", p, l[0], l[1], got, want, e)
			}
		}
	}
	got, _ := mixbatch.Optimal([]float64{math.Log(0.3)}, []float64{math.Log(0.1)}, mixbatch.Uniform())
	if e := relErr(got, 0.75); e > 4*eps {
		t.Errorf("uniform prior, p1 = 0.3, p2 = 0.1: D* = %.17g, want p1/(p1+p2) = 0.75", got)
	}
}

// constantGapMean returns Σ_k k e^(c·k) / (B Σ_k e^(c·k)) over k = 0..B,
// each term scaled by the largest so that nothing overflows.
func constantGapMean(c float64, b int) float64 {
	top := math.Max(0, c*float64(b))
	var num, den float64
	for k := 0; k <= b; k++ {
		e := math.Exp(c*float64(k) - top)
		num += float64(k) * e
		den += e
	}
	return num / (float64(b) * den)
}

// TestOptimalLargeBatch checks B = 4096 against closed forms, with gaps up
// to ±1000 per element, where E_k spans about e^±4·10^6. With a constant
// gap c and the uniform prior, w_k E_k ∝ e^(c·k) (the binomial
// coefficients cancel), so D* = Σ k e^(ck) / (B Σ e^(ck)). The uniform
// log-weights at B = 4096 carry absolute errors of about 1e−11, which
// become relative errors of D* of the same size; 1e−10 allows for them.
// A batch whose gaps are ±g in equal numbers is its own swap, so for
// every symmetric prior D* = 1/2 (to the 1e−12 of the swap property).
func TestOptimalLargeBatch(t *testing.T) {
	const b = 4096
	for _, c := range []float64{0, 1e-4, -0.003, 0.5, -2, 1000, -1000} {
		l1 := make([]float64, b)
		l2 := make([]float64, b)
		for i := range l1 {
			l1[i] = c / 2
			l2[i] = -c / 2
		}
		got, err := mixbatch.Optimal(l1, l2, mixbatch.Uniform())
		if err != nil {
			t.Fatal(err)
		}
		want := constantGapMean(c, b)
		if e := relErr(got, want); e > 1e-10 {
			t.Errorf("constant gap %v: D* = %.17g, want %.17g (rel %.2g)", c, got, want, e)
		}
	}
	for _, np := range allPriors(t) {
		if !np.symmetric {
			continue
		}
		for _, g := range []float64{0.1, 7, 1000} {
			l1 := make([]float64, b)
			l2 := make([]float64, b)
			for i := range l1 {
				if i%2 == 0 {
					l1[i] = g
				} else {
					l2[i] = g
				}
			}
			got, err := mixbatch.Optimal(l1, l2, np.Prior)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-0.5) > 1e-12 {
				t.Errorf("%v, gaps ±%v: D* = %.17g, want 1/2", np, g, got)
			}
		}
	}
}

// TestOptimalNoOverflow: every prior, B up to 4096, log-densities with
// gaps of ±1000 and raw values near ±1e5: D* is a number in [0, 1].
func TestOptimalNoOverflow(t *testing.T) {
	for _, p := range allPriors(t) {
		for _, b := range []int{300, 4096} {
			l1, l2 := logDensities(uint64(b), b, 1)
			rng := settest.Rand(uint64(b) + 9)
			for i := range l1 {
				base := 1e5 * (2*rng.Float64() - 1)
				gap := 1000 * (2*rng.Float64() - 1)
				l1[i], l2[i] = base+gap, base
			}
			d, err := mixbatch.Optimal(l1, l2, p)
			if err != nil || !(d >= 0 && d <= 1) {
				t.Errorf("%v, B = %d: D* = %v, %v", p, b, d, err)
			}
		}
	}
}

// mc is one Monte-Carlo run of the generative process behind Prop. 1:
// p ~ P, β ~ Bernoulli(p)^B, y_b ~ N(μ1, 1) where β_b = 1 and N(μ2, 1)
// where β_b = 0. It keeps the target #β/B and the batch for every draw.
type mc struct {
	u []float64   // #β/B
	y [][]float64 // the batches
}

const (
	mcMu1 = 0.75
	mcMu2 = -0.75
)

func simulate(t *testing.T, p mixbatch.Prior, b, m int, seed uint64) mc {
	t.Helper()
	rng := settest.Rand(seed)
	mixer, err := mixbatch.NewMixer(p, rng)
	if err != nil {
		t.Fatal(err)
	}
	out := mc{u: make([]float64, m), y: make([][]float64, m)}
	for i := range m {
		d, err := mixer.Draw(b)
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, b)
		for j, real := range d.Beta {
			mu := mcMu2
			if real {
				mu = mcMu1
			}
			y[j] = mu + rng.NormFloat64()
		}
		out.u[i], out.y[i] = d.Target(), y
	}
	return out
}

// gaussLogs returns log N(y; μ1, 1) and log N(y; μ2, 1) up to the common
// constant, which cancels in D*.
func gaussLogs(y []float64, mu1, mu2 float64) (l1, l2 []float64) {
	l1, l2 = make([]float64, len(y)), make([]float64, len(y))
	for i, v := range y {
		l1[i] = -0.5 * (v - mu1) * (v - mu1)
		l2[i] = -0.5 * (v - mu2) * (v - mu2)
	}
	return l1, l2
}

// zScore returns mean(x) / (sd(x)/√n), the number of standard errors by
// which the sample mean of x differs from 0.
func zScore(x []float64) float64 {
	n := float64(len(x))
	var s, s2 float64
	for _, v := range x {
		s += v
	}
	mean := s / n
	for _, v := range x {
		s2 += (v - mean) * (v - mean)
	}
	se := math.Sqrt(s2 / (n - 1) / n)
	if se == 0 {
		if mean == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return mean / se
}

// testFunctions are functions of the batch y against which the residual
// #β/B − D*(y) must be uncorrelated: a constant, the batch mean, the mean
// square, the maximum, a sign statistic and the discriminator's own value.
var testFunctions = []struct {
	name string
	f    func(y []float64, d float64) float64
}{
	{"1", func([]float64, float64) float64 { return 1 }},
	{"mean(y)", func(y []float64, _ float64) float64 { return mean(y) }},
	{"mean(y²)", func(y []float64, _ float64) float64 {
		s := 0.0
		for _, v := range y {
			s += v * v
		}
		return s / float64(len(y))
	}},
	{"max(y)", func(y []float64, _ float64) float64 { return slices.Max(y) }},
	{"1{y_1 > 0}", func(y []float64, _ float64) float64 {
		if y[0] > 0 {
			return 1
		}
		return 0
	}},
	{"D*(y)", func(_ []float64, d float64) float64 { return d }},
}

func mean(y []float64) float64 {
	s := 0.0
	for _, v := range y {
		s += v
	}
	return s / float64(len(y))
}

// mcZLimit: each check is a z-score of a mean of 30000 independent terms,
// close to N(0, 1) when the property holds. |z| > 4.5 has probability
// 6.8e−6 per check, about 4e−4 over the 60 checks of the two Monte-Carlo
// tests below (the seed is fixed, so the outcome is reproducible rather
// than random).
const mcZLimit = 4.5

// residualZ returns, for each test function f, the z-score of the sample
// mean of (#β/B − D(y))·f(y), with D computed by od under means mu1, mu2.
func residualZ(t *testing.T, s mc, od *mixbatch.OptimalDiscriminator, mu1, mu2 float64) []float64 {
	t.Helper()
	terms := make([][]float64, len(testFunctions))
	for j := range terms {
		terms[j] = make([]float64, len(s.u))
	}
	for i, y := range s.y {
		l1, l2 := gaussLogs(y, mu1, mu2)
		d, err := od.Value(l1, l2)
		if err != nil {
			t.Fatal(err)
		}
		for j, tf := range testFunctions {
			terms[j][i] = (s.u[i] - d) * tf.f(y, d)
		}
	}
	z := make([]float64, len(terms))
	for j := range terms {
		z[j] = zScore(terms[j])
	}
	return z
}

// TestOptimalIsConditionalMean simulates the generative process and checks
// the defining property of a conditional expectation: the residual
// #β/B − D*(y) has mean zero and is uncorrelated with every function of y
// (six are tried), for eight priors. To show the check has power, it is
// repeated with a discriminator computed under a wrong prior, and with
// one computed from log-ratios half their true size (an underconfident
// discriminator); at least one z-score must then exceed the limit (the
// smallest such largest |z| measured is 34).
func TestOptimalIsConditionalMean(t *testing.T) {
	const (
		b = 6
		m = 30000
	)
	beta25 := mustBeta(t, 2, 5)
	priors := []mixbatch.Prior{mixbatch.Uniform(), mustSmoothing(t, 0.2), mustSmoothing(t, 0), mustSmoothing(t, 0.4), beta25, mustBeta(t, 0.5, 0.5), mustBeta(t, 3, 1), mustBeta(t, 6, 6)}
	wrong := []mixbatch.Prior{beta25, mixbatch.Uniform(), mustSmoothing(t, 0.2), beta25, mixbatch.Uniform(), mixbatch.Uniform(), mixbatch.Uniform(), mustSmoothing(t, 0.1)}
	worst, weakest := 0.0, math.Inf(1)
	for i, p := range priors {
		s := simulate(t, p, b, m, uint64(1000+i))
		od, err := mixbatch.NewOptimalDiscriminator(p, b)
		if err != nil {
			t.Fatal(err)
		}
		for j, z := range residualZ(t, s, od, mcMu1, mcMu2) {
			worst = max(worst, math.Abs(z))
			if math.Abs(z) > mcZLimit {
				t.Errorf("%v: residual × %s has z = %.2f, want |z| ≤ %v", p, testFunctions[j].name, z, mcZLimit)
			}
		}
		// Power: the wrong prior, and densities with the wrong means.
		odWrong, err := mixbatch.NewOptimalDiscriminator(wrong[i], b)
		if err != nil {
			t.Fatal(err)
		}
		for _, alt := range []struct {
			name     string
			od       *mixbatch.OptimalDiscriminator
			mu1, mu2 float64
		}{
			{fmt.Sprintf("prior %v", wrong[i]), odWrong, mcMu1, mcMu2},
			{"means ±0.375 (log-ratios halved)", od, mcMu1 / 2, mcMu2 / 2},
		} {
			zs := residualZ(t, s, alt.od, alt.mu1, alt.mu2)
			top := 0.0
			for _, z := range zs {
				top = max(top, math.Abs(z))
			}
			weakest = min(weakest, top)
			if top <= mcZLimit {
				t.Errorf("%v data, D* under %s: largest |z| = %.2f ≤ %v, the check cannot tell a wrong discriminator", p, alt.name, top, mcZLimit)
			}
		}
	}
	t.Logf("largest |z| with D*: %.2f; smallest largest |z| with a wrong discriminator: %.1f", worst, weakest)
}

// TestOptimalMinimisesLoss: on simulated batches, D* has a lower mean KL
// loss (Eq. 4) than perturbed discriminators: shifted in logit, shrunk
// towards 1/2, and the per-element discriminator that averages
// p1/(p1+p2) over the batch. The paired differences ℓ(u, D') − ℓ(u, D*)
// must be positive on average by more than mcZLimit standard errors.
// Given y, their expectation is exactly KL(B(D*) ‖ B(D')) (the excess
// risk of a proper scoring rule), so the test also checks that identity:
// the mean of ℓ(u, D') − ℓ(u, D*) − KL(B(D*) ‖ B(D')) must be within
// mcZLimit standard errors of 0.
func TestOptimalMinimisesLoss(t *testing.T) {
	const (
		b = 6
		m = 30000
	)
	loss := func(u, d float64) float64 {
		v, _, err := mixbatch.KL(u, math.Log(d)-math.Log1p(-d))
		if err != nil {
			t.Fatalf("KL(%v, logit %v): %v", u, d, err)
		}
		return v
	}
	logit := func(d float64) float64 { return math.Log(d) - math.Log1p(-d) }
	perturbations := []struct {
		name string
		f    func(d float64, l1, l2 []float64) float64
	}{
		{"logit + 0.3", func(d float64, _, _ []float64) float64 { return sigmoid(logit(d) + 0.3) }},
		{"logit − 0.3", func(d float64, _, _ []float64) float64 { return sigmoid(logit(d) - 0.3) }},
		{"shrunk 0.8", func(d float64, _, _ []float64) float64 { return 0.5 + 0.8*(d-0.5) }},
		{"per-element", func(_ float64, l1, l2 []float64) float64 {
			s := 0.0
			for i := range l1 {
				s += sigmoid(l1[i] - l2[i])
			}
			return s / float64(len(l1))
		}},
	}
	minZ, maxExcess := math.Inf(1), 0.0
	for i, p := range []mixbatch.Prior{mixbatch.Uniform(), mustSmoothing(t, 0.2), mustBeta(t, 2, 5)} {
		s := simulate(t, p, b, m, uint64(2000+i))
		od, _ := mixbatch.NewOptimalDiscriminator(p, b)
		for _, pert := range perturbations {
			diff := make([]float64, m)
			excess := make([]float64, m)
			for k, y := range s.y {
				l1, l2 := gaussLogs(y, mcMu1, mcMu2)
				d, err := od.Value(l1, l2)
				if err != nil {
					t.Fatal(err)
				}
				dp := pert.f(d, l1, l2)
				diff[k] = loss(s.u[k], dp) - loss(s.u[k], d)
				excess[k] = diff[k] - loss(d, dp)
			}
			z := zScore(diff)
			minZ = min(minZ, z)
			if z <= mcZLimit {
				t.Errorf("%v, %s: mean loss difference D' − D* has z = %.2f, want > %v", p, pert.name, z, mcZLimit)
			}
			ze := zScore(excess)
			maxExcess = max(maxExcess, math.Abs(ze))
			if math.Abs(ze) > mcZLimit {
				t.Errorf("%v, %s: loss difference minus KL(D* ‖ D') has z = %.2f, want |z| ≤ %v", p, pert.name, ze, mcZLimit)
			}
		}
	}
	t.Logf("smallest z of the loss gap: %.1f; largest |z| of the excess-risk identity: %.2f", minZ, maxExcess)
}

// badPrior is a user-defined Prior whose weights are unusable.
type badPrior struct {
	w []float64
}

func (badPrior) Sample(*rand.Rand) float64           { return 0.5 }
func (p badPrior) LogWeights(int) ([]float64, error) { return p.w, nil }
func (badPrior) String() string                      { return "badPrior" }

func TestOptimalBadInput(t *testing.T) {
	ok := []float64{0, -1, -2}
	inf, nan := math.Inf(1), math.NaN()
	ninf := math.Inf(-1)
	u := mixbatch.Uniform()
	pure := mustSmoothing(t, 0)
	cases := []struct {
		name   string
		l1, l2 []float64
		p      mixbatch.Prior
		want   error
	}{
		{"length mismatch", ok, ok[:2], u, mixbatch.ErrShape},
		{"empty", nil, nil, u, mixbatch.ErrEmpty},
		{"NaN log p1", []float64{0, nan, 0}, ok, u, mixbatch.ErrNotFinite},
		{"NaN log p2", ok, []float64{0, 0, nan}, u, mixbatch.ErrNotFinite},
		{"+Inf log p1", []float64{inf, 0, 0}, ok, u, mixbatch.ErrNotFinite},
		{"+Inf log p2", ok, []float64{0, inf, 0}, u, mixbatch.ErrNotFinite},
		{"both densities zero", []float64{0, ninf, 0}, []float64{0, ninf, 0}, u, mixbatch.ErrImpossible},
		{"gap beyond MaxLogRatio", []float64{0, 2 * mixbatch.MaxLogRatio, 0}, ok, u, mixbatch.ErrRange},
		{"nil prior", ok, ok, nil, mixbatch.ErrPrior},
		// Pure batches with one element impossible under p1 and another
		// under p2: neither the all-real nor the all-fake vector is
		// possible.
		{"impossible under pure batches", []float64{ninf, 0, 0}, []float64{0, ninf, 0}, pure, mixbatch.ErrImpossible},
		{"prior with too few weights", ok, ok, badPrior{[]float64{0, 0}}, mixbatch.ErrPrior},
		{"prior with a NaN weight", ok, ok, badPrior{[]float64{0, nan, 0, 0}}, mixbatch.ErrPrior},
		{"prior with a +Inf weight", ok, ok, badPrior{[]float64{0, inf, 0, 0}}, mixbatch.ErrPrior},
		{"prior with no positive weight", ok, ok, badPrior{[]float64{ninf, ninf, ninf, ninf}}, mixbatch.ErrPrior},
	}
	for _, c := range cases {
		d, err := mixbatch.Optimal(c.l1, c.l2, c.p)
		if !errors.Is(err, c.want) || d != 0 {
			t.Errorf("Optimal, %s: %v, %v; want %v", c.name, d, err, c.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("Optimal, %s: error %q lacks the package prefix", c.name, err)
		}
		d, err = mixbatch.OptimalBruteForce(c.l1, c.l2, c.p)
		if !errors.Is(err, c.want) || d != 0 {
			t.Errorf("OptimalBruteForce, %s: %v, %v; want %v", c.name, d, err, c.want)
		}
	}
	big := make([]float64, mixbatch.MaxBruteForce+1)
	if _, err := mixbatch.OptimalBruteForce(big, big, u); !errors.Is(err, mixbatch.ErrTooLarge) {
		t.Errorf("OptimalBruteForce of %d elements: %v, want ErrTooLarge", len(big), err)
	}
	for _, b := range []int{0, -1} {
		if o, err := mixbatch.NewOptimalDiscriminator(u, b); !errors.Is(err, mixbatch.ErrEmpty) || o != nil {
			t.Errorf("NewOptimalDiscriminator(B = %d): %v, %v; want ErrEmpty", b, o, err)
		}
	}
	if o, err := mixbatch.NewOptimalDiscriminator(u, mixbatch.MaxOptimalBatch+1); !errors.Is(err, mixbatch.ErrTooLarge) || o != nil {
		t.Errorf("NewOptimalDiscriminator(MaxOptimalBatch+1): %v, %v; want ErrTooLarge", o, err)
	}
	od, err := mixbatch.NewOptimalDiscriminator(u, 3)
	if err != nil {
		t.Fatal(err)
	}
	if od.BatchSize() != 3 || od.Prior() != u {
		t.Errorf("BatchSize, Prior = %d, %v; want 3, %v", od.BatchSize(), od.Prior(), u)
	}
	if _, err := od.Value(ok[:2], ok[:2]); !errors.Is(err, mixbatch.ErrShape) {
		t.Errorf("Value of 2 elements on a discriminator for 3: %v, want ErrShape", err)
	}
	// One density zero (but not both) is fine and decides that element:
	// with p2(y_1) = 0 the element is real, with p1(y_1) = 0 it is fake.
	real, err := mixbatch.Optimal([]float64{0}, []float64{ninf}, u)
	if err != nil || real != 1 {
		t.Errorf("p2 = 0 at the only element: D* = %v, %v; want 1", real, err)
	}
	fake, err := mixbatch.Optimal([]float64{ninf}, []float64{0}, u)
	if err != nil || fake != 0 {
		t.Errorf("p1 = 0 at the only element: D* = %v, %v; want 0", fake, err)
	}
}
