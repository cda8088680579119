package mixbatch

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mathext"
)

// Prior is a distribution P of the mixing ratio p on [0, 1] (Sec. 3.1).
//
// Sample draws p; LogWeights gives, for a batch of b elements, the prior
// weight of one particular mixing vector β with k ones,
//
//	w_k = ∫ p^k (1−p)^(b−k) dP(p),  k = 0, …, b,
//
// as log w_k (−Inf for a weight of zero). The optimal discriminator needs
// only these weights, so a user-defined Prior works everywhere a built-in
// one does; its LogWeights must return b+1 values, none NaN or +Inf, not
// all −Inf, and its weights must satisfy Σ_k C(b,k) w_k = 1.
//
// The built-in priors are immutable and safe for concurrent use. Sample
// panics if rng is nil: the random source is always explicit.
type Prior interface {
	// Sample draws one ratio p ∈ [0, 1] from rng.
	Sample(rng *rand.Rand) float64
	// LogWeights returns log w_k for k = 0, …, b. It fails for b < 1.
	LogWeights(b int) ([]float64, error)
	// String names the prior and its parameters.
	String() string
}

// Uniform returns the uniform prior on [0, 1] of Eq. 4, for which
// w_k = 1 / ((b+1) C(b,k)) (Eq. 7).
func Uniform() Prior { return uniform{} }

// Smoothing returns the batch smoothing-γ prior of Sec. 3.1: p uniform on
// [0, γ] ∪ [1−γ, 1]. γ = 0 is pure batches (p = 0 or 1 with probability
// 1/2 each) and γ = 1/2 is [Uniform]. Its weights are
//
//	w_k = (1/(2γ)) [∫_0^γ + ∫_{1−γ}^1] p^k (1−p)^(b−k) dp
//	    = B(k+1, b−k+1) [I_γ(k+1, b−k+1) + I_γ(b−k+1, k+1)] / (2γ),
//
// with I the regularised incomplete beta function, and for γ = 0 they put
// 1/2 on k = 0 and k = b only. γ outside [0, 1/2] or NaN is an error.
func Smoothing(gamma float64) (Prior, error) {
	if !(gamma >= 0 && gamma <= 0.5) {
		return nil, fmt.Errorf("%w: smoothing γ = %v, want 0 ≤ γ ≤ 1/2", ErrPrior, gamma)
	}
	return smoothing{gamma: gamma}, nil
}

// Beta returns the Beta(a, b) prior on p (the non-uniform priors of the
// paper's Sec. 9), for which w_k = B(k+a, n−k+b) / B(a, b) for a batch of
// n elements. a and b must be positive and finite, with a+b finite.
func Beta(a, b float64) (Prior, error) {
	if !(a > 0 && b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsInf(a+b, 0) {
		return nil, fmt.Errorf("%w: Beta(%v, %v), want a > 0 and b > 0 finite", ErrPrior, a, b)
	}
	return betaPrior{a: a, b: b}, nil
}

func checkBatch(b int) error {
	if b < 1 {
		return fmt.Errorf("%w: prior weights for a batch of %d elements", ErrEmpty, b)
	}
	return nil
}

type uniform struct{}

func (uniform) String() string { return "Uniform" }

func (uniform) Sample(rng *rand.Rand) float64 { return rng.Float64() }

func (uniform) LogWeights(b int) ([]float64, error) {
	if err := checkBatch(b); err != nil {
		return nil, err
	}
	return uniformLogWeights(b), nil
}

// uniformLogWeights returns log(k! (b−k)! / (b+1)!) from prefix sums of
// log i.
func uniformLogWeights(b int) []float64 {
	lf := logFactorials(b + 1)
	w := make([]float64, b+1)
	for k := range w {
		w[k] = lf[k] + lf[b-k] - lf[b+1]
	}
	return w
}

// logFactorials returns log 0!, …, log n!.
func logFactorials(n int) []float64 {
	return logPochhammers(1, n)
}

// logPochhammers returns log Γ(a+k)/Γ(a) = Σ_{i<k} log(a+i) for
// k = 0, …, n. The prefix sums are compensated (Neumaier), so that their
// absolute error stays at a few ulps of the sum (about 1e−11 for n = 4096)
// instead of growing with the number of terms; unlike differences of
// log-gamma values, the form has no cancellation for large a.
func logPochhammers(a float64, n int) []float64 {
	out := make([]float64, n+1)
	var acc neumaier
	for i := 0; i < n; i++ {
		acc.add(math.Log(a + float64(i)))
		out[i+1] = acc.sum()
	}
	return out
}

type smoothing struct{ gamma float64 }

func (s smoothing) String() string { return fmt.Sprintf("Smoothing(%g)", s.gamma) }

// Sample maps one uniform draw u to [0, γ) for u < 1/2 and to (1−γ, 1]
// otherwise, so that one draw gives one p, as for the other priors.
func (s smoothing) Sample(rng *rand.Rand) float64 {
	u := rng.Float64()
	if u < 0.5 {
		return 2 * s.gamma * u
	}
	return 1 - 2*s.gamma*(u-0.5)
}

func (s smoothing) LogWeights(b int) ([]float64, error) {
	if err := checkBatch(b); err != nil {
		return nil, err
	}
	g := s.gamma
	if g == 0.5 {
		return uniformLogWeights(b), nil
	}
	w := make([]float64, b+1)
	if g == 0 {
		for k := range w {
			w[k] = math.Inf(-1)
		}
		w[0], w[b] = -math.Ln2, -math.Ln2
		return w, nil
	}
	// The prior is symmetric about 1/2, so w_k = w_{b−k}: compute one
	// half and mirror it, which also makes the weights exactly symmetric.
	lf := logFactorials(b + 1)
	logNorm := math.Log(2 * g)
	for k := 0; k <= b/2; k++ {
		lb := lf[k] + lf[b-k] - lf[b+1] // log B(k+1, b−k+1)
		lo := logRegIncBeta(float64(k+1), float64(b-k+1), g)
		hi := logRegIncBeta(float64(b-k+1), float64(k+1), g)
		w[k] = lb + logAddExp(lo, hi) - logNorm
		w[b-k] = w[k]
	}
	return w, nil
}

type betaPrior struct{ a, b float64 }

func (p betaPrior) String() string { return fmt.Sprintf("Beta(%g, %g)", p.a, p.b) }

// Sample draws X ~ Gamma(a) and Y ~ Gamma(b) in log space and returns
// X/(X+Y) = σ(log X − log Y), which stays exact for parameters so small
// that X and Y themselves underflow.
func (p betaPrior) Sample(rng *rand.Rand) float64 {
	t := logGammaVariate(rng, p.a) - logGammaVariate(rng, p.b)
	if math.IsNaN(t) {
		// Both logs are −Inf: only for parameters near the smallest
		// floats, where Beta(a, b) is Bernoulli(a/(a+b)) on {0, 1}.
		if rng.Float64()*(p.a+p.b) < p.a {
			return 1
		}
		return 0
	}
	return sigmoid(t)
}

// LogWeights uses B(k+a, n−k+b)/B(a, b) = Π_{i<k}(a+i) Π_{i<n−k}(b+i) /
// Π_{i<n}(a+b+i), summed as logarithms: exact in form for every positive
// a and b, where differences of log-gamma values would cancel
// catastrophically for large parameters.
func (p betaPrior) LogWeights(n int) ([]float64, error) {
	if err := checkBatch(n); err != nil {
		return nil, err
	}
	la := logPochhammers(p.a, n) // la[k] = Σ_{i<k} log(a+i)
	lb := logPochhammers(p.b, n)
	lab := logPochhammers(p.a+p.b, n)[n]
	w := make([]float64, n+1)
	for k := range w {
		w[k] = la[k] + lb[n-k] - lab
	}
	return w, nil
}

// logGammaVariate returns log X for X ~ Gamma(alpha, 1), by the method of
// Marsaglia and Tsang (2000) for alpha ≥ 1 and the boost
// Gamma(alpha) = Gamma(alpha+1)·U^(1/alpha) below 1.
func logGammaVariate(rng *rand.Rand, alpha float64) float64 {
	if alpha < 1 {
		u := 1 - rng.Float64() // in (0, 1]
		return logGammaVariate(rng, alpha+1) + math.Log(u)/alpha
	}
	d := alpha - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return math.Log(d) + math.Log(v)
		}
	}
}

// logRegIncBeta returns log I_x(a, b). Where gonum's RegIncBeta is far
// from underflow its value is used; in the far lower tail, where it
// underflows to 0 (for b = 4096 and γ = 0.05 the central weights are near
// e^−3400), the continued fraction is evaluated with its prefactor kept in
// log space.
func logRegIncBeta(a, b, x float64) float64 {
	if x <= 0 {
		return math.Inf(-1)
	}
	if x >= 1 {
		return 0
	}
	if v := mathext.RegIncBeta(a, b, x); v > 1e-280 {
		return math.Log(v)
	}
	if x < (a+1)/(a+b+2) {
		return logIncBetaCF(a, b, x)
	}
	// Above the mean the value is not small; reached only if gonum
	// returned a tiny value there, which it does not for b ≥ 1.
	return math.Log(mathext.RegIncBeta(a, b, x))
}

// logIncBetaCF evaluates log I_x(a, b) for x < (a+1)/(a+b+2) as
//
//	log[x^a (1−x)^b / (a B(a,b))] + log(1/(1+ d1/(1+ d2/(1+ …)))),
//
// with d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d_{2m} = m(b−m)x / ((a+2m−1)(a+2m)), the classical continued fraction
// of the incomplete beta function, run by the modified Lentz method. In
// this range it converges in O(√max(a,b)) terms.
func logIncBetaCF(a, b, x float64) float64 {
	const (
		tiny = 1e-300
		eps  = 1e-16
	)
	lead := a*math.Log(x) + b*math.Log1p(-x) - math.Log(a) - mathext.Lbeta(a, b)
	// Lentz on f = 1 + d1/(1 + d2/(1 + …)); then I = e^lead / f.
	f, c, d := 1.0, 1.0, 0.0
	for n := 1; n <= 20000; n++ {
		var dn float64
		if n%2 == 1 {
			m := float64((n - 1) / 2)
			dn = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		} else {
			m := float64(n / 2)
			dn = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		}
		d = 1 + dn*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + dn/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		delta := c * d
		f *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return lead - math.Log(f)
}

// logAddExp returns log(e^x + e^y) without overflow; −Inf is the
// identity.
func logAddExp(x, y float64) float64 {
	if x < y {
		x, y = y, x
	}
	if math.IsInf(y, -1) {
		return x
	}
	return x + math.Log1p(math.Exp(y-x))
}
