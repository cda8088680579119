package mixbatch

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

const (
	// MaxLogRatio bounds the log-density gap |log p1(y_b) − log p2(y_b)|
	// of one element accepted by the optimal discriminator; a gap of
	// exactly ±Inf (one density zero) is also accepted. The bound keeps
	// the exponent bookkeeping of the recurrence exact in int64 for every
	// batch up to MaxOptimalBatch.
	MaxLogRatio = 1e12
	// MaxOptimalBatch is the largest batch the O(B²) recurrence accepts.
	MaxOptimalBatch = 1 << 20
	// MaxBruteForce is the largest batch OptimalBruteForce enumerates
	// (2^20 mixing vectors).
	MaxBruteForce = 20
)

// OptimalDiscriminator evaluates the optimal discriminator of Prop. 1 for
// batches of a fixed size under one prior. It computes the prior weights
// once, which matters for [Smoothing], whose weights need 2(B+1)
// incomplete beta functions. It holds no scratch state and is safe for
// concurrent use.
type OptimalDiscriminator struct {
	prior Prior
	b     int
	logw  []float64
}

// NewOptimalDiscriminator prepares D* for batches of b elements under
// prior.
func NewOptimalDiscriminator(prior Prior, b int) (*OptimalDiscriminator, error) {
	if prior == nil {
		return nil, fmt.Errorf("%w: nil prior", ErrPrior)
	}
	if b < 1 {
		return nil, fmt.Errorf("%w: optimal discriminator for %d elements", ErrEmpty, b)
	}
	if b > MaxOptimalBatch {
		return nil, fmt.Errorf("%w: %d elements, at most %d", ErrTooLarge, b, MaxOptimalBatch)
	}
	logw, err := checkedLogWeights(prior, b)
	if err != nil {
		return nil, err
	}
	return &OptimalDiscriminator{prior: prior, b: b, logw: logw}, nil
}

// BatchSize returns the batch size B the discriminator was prepared for.
func (o *OptimalDiscriminator) BatchSize() int { return o.b }

// Prior returns the prior the discriminator was prepared for.
func (o *OptimalDiscriminator) Prior() Prior { return o.prior }

// Optimal returns D*(y) = E[#β/B | y] for one batch y, given
// logP1[b] = log p1(y_b) (the data density) and logP2[b] = log p2(y_b)
// (the generator's density), under prior. It is
//
//	D*(y) = Σ_k (k/B) w_k E_k(y) / Σ_k w_k E_k(y),
//	E_k(y) = Σ_{#β=k} Π_b p1(y_b)^β_b p2(y_b)^(1−β_b),
//
// Eq. 6–7 of the paper for the uniform prior and its extension to any
// prior (Sec. 9); E_k is computed exactly by the elementary-symmetric
// recurrence in O(B²). A log-density may be −Inf (density zero) but not
// both of one element; NaN, +Inf and gaps beyond MaxLogRatio are errors.
// For repeated calls with one batch size use [NewOptimalDiscriminator].
func Optimal(logP1, logP2 []float64, prior Prior) (float64, error) {
	o, err := NewOptimalDiscriminator(prior, len(logP1))
	if err != nil {
		if len(logP1) != len(logP2) {
			return 0, fmt.Errorf("%w: %d values of log p1, %d of log p2", ErrShape, len(logP1), len(logP2))
		}
		return 0, err
	}
	return o.Value(logP1, logP2)
}

// Value returns D*(y) for one batch; see [Optimal].
func (o *OptimalDiscriminator) Value(logP1, logP2 []float64) (float64, error) {
	r, err := logRatios(logP1, logP2, o.b)
	if err != nil {
		return 0, err
	}
	return posteriorMean(r, o.logw)
}

// logRatios validates the inputs and returns r_b = log p1(y_b) − log p2(y_b)
// sorted ascending. The result depends only on the multiset of ratios, so
// sorting makes D* bitwise invariant under permutations of the batch.
func logRatios(logP1, logP2 []float64, b int) ([]float64, error) {
	if len(logP1) != len(logP2) {
		return nil, fmt.Errorf("%w: %d values of log p1, %d of log p2", ErrShape, len(logP1), len(logP2))
	}
	if len(logP1) != b {
		return nil, fmt.Errorf("%w: batch of %d elements, discriminator prepared for %d", ErrShape, len(logP1), b)
	}
	r := make([]float64, b)
	for i := range r {
		l1, l2 := logP1[i], logP2[i]
		switch {
		case math.IsNaN(l1) || math.IsNaN(l2) || math.IsInf(l1, 1) || math.IsInf(l2, 1):
			return nil, fmt.Errorf("%w: element %d has log p1 = %v, log p2 = %v", ErrNotFinite, i, l1, l2)
		case math.IsInf(l1, -1) && math.IsInf(l2, -1):
			return nil, fmt.Errorf("%w: element %d has zero density under both p1 and p2", ErrImpossible, i)
		}
		r[i] = l1 - l2
		if math.Abs(r[i]) > MaxLogRatio && !math.IsInf(l1, -1) && !math.IsInf(l2, -1) {
			return nil, fmt.Errorf("%w: element %d has log p1 − log p2 = %v, |gap| at most %g", ErrRange, i, r[i], MaxLogRatio)
		}
	}
	slices.Sort(r)
	return r, nil
}

// checkedLogWeights asks the prior for its weights and checks them, so that
// a user-defined Prior cannot make D* return NaN.
func checkedLogWeights(prior Prior, b int) ([]float64, error) {
	logw, err := prior.LogWeights(b)
	if err != nil {
		return nil, fmt.Errorf("mixbatch: weights of %v for %d elements: %w", prior, b, err)
	}
	if len(logw) != b+1 {
		return nil, fmt.Errorf("%w: %v returned %d weights for %d elements, want %d", ErrPrior, prior, len(logw), b, b+1)
	}
	positive := false
	for k, v := range logw {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			return nil, fmt.Errorf("%w: %v has log w_%d = %v for %d elements", ErrPrior, prior, k, v, b)
		}
		if !math.IsInf(v, -1) {
			positive = true
		}
	}
	if !positive {
		return nil, fmt.Errorf("%w: %v gives zero weight to every mixing vector of %d elements", ErrPrior, prior, b)
	}
	return logw, nil
}

// Extended-range numbers for the recurrence: the value of entry k is
// m[k]·2^x[k], with the mantissa m[k] kept within [2^−renorm, 2^renorm]
// and the integer exponent x[k] unbounded (int64). A zero value has the
// exponent zeroExp, far below any real exponent, so that aligning it with
// a nonzero value always yields the nonzero one.
//
// The window is narrow because two entries are aligned by their
// exponents, not by their values: the term with the smaller exponent is
// dropped when the exponents differ by more than 1022, which is safe only
// if the mantissas cannot make up the difference. Every mantissa stays in
// [2^−61, 2^61] (an update multiplies the entry at the larger exponent by
// at least 1/2 and adds at most one more in-range mantissa), so a dropped
// term is below 2^−900 of the kept one; a window of 2^±600 would allow a
// dropped term 2^179 times the kept one.
const (
	renorm  = 60
	zeroExp = math.MinInt64 / 4
)

var (
	renormHi = math.Ldexp(1, renorm)
	renormLo = math.Ldexp(1, -renorm)
)

// pow2 returns 2^d for d ≤ 0, and 0 below the normal range. It builds the
// float64 from its exponent bits: no call to Exp or Ldexp.
func pow2(d int64) float64 {
	if d < -1022 {
		return 0
	}
	return math.Float64frombits(uint64(d+1023) << 52)
}

// expNeg returns μ, η with e^−t = μ·2^η for t ≥ 0 (μ ∈ [1/2, 1), or
// μ = 0 and η = zeroExp for t = +Inf). For t > 700, where e^−t leaves
// the float64 range, t is reduced by a multiple n of ln 2 split into a
// head and a tail (Cody–Waite), so the result keeps full precision.
func expNeg(t float64) (float64, int64) {
	if math.IsInf(t, 1) {
		return 0, zeroExp
	}
	if t <= 700 {
		fr, e := math.Frexp(math.Exp(-t))
		return fr, int64(e)
	}
	const (
		ln2Hi = 6.93147180369123816490e-01 // ln 2 with its low 32 bits zero
		ln2Lo = 1.90821492927058770002e-10 // ln 2 − ln2Hi
	)
	n := math.Round(t / math.Ln2)
	f := (t - n*ln2Hi) - n*ln2Lo
	fr, e := math.Frexp(math.Exp(-f))
	return fr, int64(e) - int64(n)
}

// posteriorMean computes Σ_k (k/B) w_k E_k / Σ_k w_k E_k from the sorted
// log-ratios r and log-weights logw.
//
// Each element contributes the factor (p2 + p1 z) to the generating
// polynomial Σ_k E_k z^k. Dividing it by max(p1, p2), which cancels in the
// ratio, leaves (b + a z) with one of a, b equal to 1 and the other e^−|r|.
// The coefficients then span far more than the float64 range: with gaps of
// ±1000 per element and B = 4096 they range over e^±4·10^6, and the prior
// weights alone over e^±2836 (uniform) or more (smoothing). So every
// coefficient carries its own binary exponent.
//
// Why per-entry exponents rather than one global scale or a binomial
// normalisation: a single scale flushes coefficients that the prior
// weights later multiply by up to e^2836 (for r ≡ 0 and the uniform
// prior the posterior over k is flat while E_k = C(B,k) spans e^2836), and
// e^−|r| itself underflows for |r| > 745, which for pure-batch priors
// (weights only on k = 0 and k = B) would turn a well-defined D* into 0/0.
// With one exponent per entry nothing is flushed that could matter: a term
// is dropped only when it is below 2^−900 of the other term of the same
// sum, which is rounding, not underflow. And no log or exp is needed in
// the O(B²) loop: aligning two entries is an integer subtraction and a
// power of two built from its bits, and a mantissa is renormalised (one
// Frexp) only when it leaves [2^−60, 2^60], which for the common updates
// (the mantissa halved or at most doubled) happens once in 60 or more.
//
// The terms of every sum are nonnegative, so the recurrence has no
// cancellation: each E_k carries a relative error of at most about 2Bε.
func posteriorMean(r, logw []float64) (float64, error) {
	n := len(r)
	m := make([]float64, n+1)
	x := make([]int64, n+1)
	for k := range x {
		x[k] = zeroExp
	}
	m[0], x[0] = 1, 0
	for j, rj := range r {
		// Factor (b + a z) with max(a, b) = 1, as mantissa and exponent.
		var am, bm float64
		var ax, bx int64
		if rj >= 0 {
			am, ax = 1, 0
			bm, bx = expNeg(rj)
		} else {
			bm, bx = 1, 0
			am, ax = expNeg(-rj)
		}
		// Entries 0..j are live; update from the top so that entry k−1 is
		// still the previous step's when entry k reads it.
		for k := j + 1; k >= 1; k-- {
			v1, e1 := m[k]*bm, x[k]+bx
			v2, e2 := m[k-1]*am, x[k-1]+ax
			if e1 < e2 {
				v1, v2 = v2, v1
				e1, e2 = e2, e1
			}
			v := v1 + v2*pow2(e2-e1)
			if v > renormHi || v < renormLo {
				v, e1 = normalise(v, e1)
			}
			m[k], x[k] = v, e1
		}
		v, e := m[0]*bm, x[0]+bx
		if v > renormHi || v < renormLo {
			v, e = normalise(v, e)
		}
		m[0], x[0] = v, e
	}
	return combine(m, x, logw)
}

// normalise rescales v·2^e to a mantissa in [1/2, 1), or to the zero
// representation.
func normalise(v float64, e int64) (float64, int64) {
	if v == 0 {
		return 0, zeroExp
	}
	fr, d := math.Frexp(v)
	return fr, e + int64(d)
}

// combine forms the posterior over k, π_k ∝ w_k E_k, relative to its
// largest term, and returns Σ (k/B) π_k / Σ π_k. The differences of
// exponents are taken in integers before scaling by ln 2, so that large
// common exponents do not cost precision.
func combine(m []float64, x []int64, logw []float64) (float64, error) {
	n := len(m) - 1
	// Locate the largest term approximately, then measure every term
	// against it exactly.
	ref, best := -1, math.Inf(-1)
	for k := range m {
		if m[k] == 0 || math.IsInf(logw[k], -1) {
			continue
		}
		if lp := logw[k] + math.Log(m[k]) + float64(x[k])*math.Ln2; lp > best {
			ref, best = k, lp
		}
	}
	if ref < 0 {
		return 0, fmt.Errorf("%w: every mixing vector with positive prior weight has a zero density", ErrImpossible)
	}
	base := logw[ref] + math.Log(m[ref])
	var num, den float64
	for k := range m {
		if m[k] == 0 || math.IsInf(logw[k], -1) {
			continue
		}
		d := x[k] - x[ref]
		if d < -1<<40 {
			continue // e^(d ln 2) is far below any representable ratio
		}
		t := math.Exp(logw[k] + math.Log(m[k]) - base + float64(d)*math.Ln2)
		num += float64(k) * t
		den += t
	}
	// The exact ratio lies in [0, 1]; rounding in num can put it one ulp
	// above 1 when nearly all the mass is on k = B.
	return min(num/(float64(n)*den), 1), nil
}

// OptimalBruteForce returns D*(y) as [Optimal] does, by enumerating all
// 2^B mixing vectors: the definition, used as the test oracle and as the
// baseline of the benchmarks. B must be at most MaxBruteForce. Each
// vector's log-probability is one addition of two precomputed partial sums
// (low and high half of the vector), and the sums over vectors are
// compensated (Neumaier), so the oracle's own error stays near ε.
func OptimalBruteForce(logP1, logP2 []float64, prior Prior) (float64, error) {
	if len(logP1) != len(logP2) {
		return 0, fmt.Errorf("%w: %d values of log p1, %d of log p2", ErrShape, len(logP1), len(logP2))
	}
	b := len(logP1)
	if b < 1 {
		return 0, fmt.Errorf("%w: brute-force optimal discriminator of %d elements", ErrEmpty, b)
	}
	if b > MaxBruteForce {
		return 0, fmt.Errorf("%w: brute force over 2^%d vectors, at most 2^%d", ErrTooLarge, b, MaxBruteForce)
	}
	if prior == nil {
		return 0, fmt.Errorf("%w: nil prior", ErrPrior)
	}
	if _, err := logRatios(logP1, logP2, b); err != nil {
		return 0, err
	}
	logw, err := checkedLogWeights(prior, b)
	if err != nil {
		return 0, err
	}
	lo := b / 2
	hi := b - lo
	partial := func(off, size int) []float64 {
		s := make([]float64, 1<<size)
		for mask := range s {
			for i := 0; i < size; i++ {
				if mask&(1<<i) != 0 {
					s[mask] += logP1[off+i]
				} else {
					s[mask] += logP2[off+i]
				}
			}
		}
		return s
	}
	sLo, sHi := partial(0, lo), partial(lo, hi)
	loMask := 1<<lo - 1
	logTerm := func(mask int) float64 {
		k := bits.OnesCount(uint(mask))
		return logw[k] + (sLo[mask&loMask] + sHi[mask>>lo])
	}
	top := math.Inf(-1)
	for mask := 0; mask < 1<<b; mask++ {
		top = max(top, logTerm(mask))
	}
	if math.IsInf(top, -1) {
		return 0, fmt.Errorf("%w: every mixing vector with positive prior weight has a zero density", ErrImpossible)
	}
	var num, den neumaier
	for mask := 0; mask < 1<<b; mask++ {
		t := math.Exp(logTerm(mask) - top)
		den.add(t)
		num.add(float64(bits.OnesCount(uint(mask))) * t)
	}
	return min(num.sum()/(float64(b)*den.sum()), 1), nil
}

// neumaier is a compensated sum.
type neumaier struct{ s, c float64 }

func (n *neumaier) add(v float64) {
	t := n.s + v
	if math.Abs(n.s) >= math.Abs(v) {
		n.c += (n.s - t) + v
	} else {
		n.c += (v - t) + n.s
	}
	n.s = t
}

func (n *neumaier) sum() float64 { return n.s + n.c }
