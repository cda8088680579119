package approx

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// MaxFactors is the largest number of power sums in one [Term] that
// [Approximate] accepts. A product of r factors costs an exp fit on an
// interval of length about r·log 2 and amplifies the factors' errors by
// about 2^r; beyond 8 the widths needed leave the package's range.
const MaxFactors = 8

// ApproxConfig describes the target of [Approximate].
type ApproxConfig struct {
	// SetSize is the number of elements B of the sets the network is
	// built for. The polynomial is in the power sums p_k = Σ_b x_b^k, which
	// the network reaches as B times the averages of the theorem, so the
	// bound holds for sets of exactly this size.
	SetSize int
	// Lo and Hi bound every element: the network approximates the
	// polynomial on the box [Lo, Hi]^B.
	Lo, Hi float64
	// Tol is the requested bound on the error, sup over the box of
	// |network − polynomial|.
	Tol float64
}

// Approximate builds an invariant network that approximates the symmetric
// polynomial p to cfg.Tol on sets of cfg.SetSize scalars in
// [cfg.Lo, cfg.Hi], from the constructions of Thm. 1 alone:
//
//  1. (step 3) For each power k used, [AverageTol] builds the average
//     q_k = (1/B) Σ_b f_k(x_b) of f_k(t) = 1 + (t^k − m_k)/R_k, the power
//     t^k shifted and scaled into [1, 2] (m_k and R_k are the minimum
//     and range of t^k on the box), so that p_k = B(R_k q_k + m_k − R_k).
//     [Concat] puts them side by side.
//  2. Substituting, each term c·Π_i p_{k_i} expands into a combination of
//     products of the positive q_k. (step 2) [Product] builds each product
//     by log, add, exp.
//  3. (step 1) [Linear] adds the products with their coefficients.
//
// A polynomial linear in the power sums (p_2, say) needs no product: its
// coefficients fold into the averages' output layer, and the network has
// two layers instead of four.
//
// The fits' tolerances are split so that the network's error bound (its
// single output [Channel]'s Err) is at most Tol; the widths grow as Tol
// shrinks. The error budget: half to the averages, whose errors reach the
// output amplified by the coefficients and by the products' sensitivity,
// and half to the products. A Tol too small for fits of width
// [MaxShallowWidth] gives [ErrUnreachable].
func Approximate(p Polynomial, cfg ApproxConfig) (*Net, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if cfg.SetSize < 1 || cfg.SetSize > 1<<20 {
		return nil, fmt.Errorf("%w: set size %d (want 1..%d)", ErrConfig, cfg.SetSize, 1<<20)
	}
	if err := checkInterval(cfg.Lo, cfg.Hi); err != nil {
		return nil, err
	}
	if err := checkTol(cfg.Tol); err != nil {
		return nil, err
	}
	for i, t := range p {
		if len(t.Powers) > MaxFactors {
			return nil, fmt.Errorf("%w: term %d has %d factors (at most %d)", ErrDegree, i, len(t.Powers), MaxFactors)
		}
	}
	powers := distinctPowers(p)
	b := float64(cfg.SetSize)

	// f_k maps t^k into [1, 2]; then p_k = scale_k·q_k + offset_k.
	fs := make([]Func, len(powers))
	scale := make([]float64, len(powers))
	offset := make([]float64, len(powers))
	for i, k := range powers {
		m, r := powRange(cfg.Lo, cfg.Hi, k)
		kk := k
		amax := math.Max(math.Abs(cfg.Lo), math.Abs(cfg.Hi))
		curv := 0.0
		if k >= 2 {
			curv = float64(k*(k-1)) * math.Pow(amax, float64(k-2)) / r
		}
		fs[i] = Func{F: func(t float64) float64 { return 1 + (ipow(t, kk)-m)/r }, Lo: cfg.Lo, Hi: cfg.Hi, Curv: curv}
		scale[i] = b * r
		offset[i] = b * (m - r)
	}
	if math.IsInf(maxAbs(scale), 0) || math.IsInf(maxAbs(offset), 0) {
		return nil, fmt.Errorf("%w: power sums overflow on the box", ErrNonFinite)
	}

	// Expand every term into monomials in q (multisets of indices into
	// powers, sorted) with coefficients.
	coef := map[string]float64{}
	monos := map[string][]int{}
	add := func(m []int, c float64) {
		key := fmt.Sprint(m)
		if _, ok := monos[key]; !ok {
			monos[key] = m
		}
		coef[key] += c
	}
	for _, t := range p {
		idx := make([]int, len(t.Powers))
		for j, k := range t.Powers {
			idx[j] = slices.Index(powers, k)
		}
		r := len(idx)
		for subset := 0; subset < 1<<r; subset++ {
			c := t.Coef
			var m []int
			for j := 0; j < r; j++ {
				if subset&(1<<j) != 0 {
					m = append(m, idx[j])
					c *= scale[idx[j]]
				} else {
					c *= offset[idx[j]]
				}
			}
			slices.Sort(m)
			add(m, c)
		}
	}
	constant := coef[fmt.Sprint([]int(nil))]
	var keys []string
	for key, c := range coef {
		if len(monos[key]) > 0 && c != 0 {
			keys = append(keys, key)
		}
	}
	// Fixed order: by degree, then lexicographically.
	slices.SortFunc(keys, func(a, b string) int {
		ma, mb := monos[a], monos[b]
		if len(ma) != len(mb) {
			return len(ma) - len(mb)
		}
		return slices.Compare(ma, mb)
	})
	if math.IsNaN(constant) || math.IsInf(constant, 0) {
		return nil, fmt.Errorf("%w: expanded constant overflows", ErrNonFinite)
	}

	if len(keys) == 0 {
		// A constant polynomial: the constant network, one unit wide.
		zero := Func{F: func(float64) float64 { return 0 }, Lo: cfg.Lo, Hi: cfg.Hi}
		n, err := Average(zero, 1)
		if err != nil {
			return nil, err
		}
		return Linear(n, [][]float64{{0}}, []float64{constant})
	}

	// Sensitivities: an error e in every q_k moves a product of d factors
	// in [1, 2] by at most about 2^d·d·e, a single q_k by e.
	var sensAvg, sensProd float64
	for _, key := range keys {
		c, d := math.Abs(coef[key]), len(monos[key])
		sensProd += c
		if d == 1 {
			sensAvg += c
		} else {
			sensAvg += c * math.Pow(2, float64(d)) * float64(d) * 1.25
		}
	}
	if math.IsInf(sensAvg, 0) || sensAvg == 0 {
		return nil, fmt.Errorf("%w: expanded coefficients overflow", ErrNonFinite)
	}
	// The sensitivities are worst cases, so the first split usually
	// leaves the bound well under Tol: loosen both budgets by factors of
	// 2 while the bound stays within Tol (narrower fits), or tighten them
	// if even the first split misses.
	tolAvg := cfg.Tol / (2 * sensAvg)
	tolProd := cfg.Tol / (2 * sensProd)
	var best *Net
	var bestErr error
	for try, g := 0, 1.0; try < 8; try++ {
		n, err := buildPoly(fs, monos, coef, keys, constant, g*tolAvg, g*tolProd)
		switch {
		case err == nil && n.outs[0].Err <= cfg.Tol:
			best = n
			if g < 1 {
				return best, nil
			}
			g *= 2
			continue
		case best != nil:
			return best, nil
		case err != nil && !errors.Is(err, ErrUnreachable):
			return nil, err
		case err != nil:
			bestErr = err
		}
		if g > 1 || try >= 4 {
			break
		}
		g /= 2
	}
	if best != nil {
		return best, nil
	}
	if bestErr != nil {
		return nil, fmt.Errorf("approx: %v to %.3g: %w", p, cfg.Tol, bestErr)
	}
	return nil, fmt.Errorf("%w: error budget for %v to %.3g not met", ErrUnreachable, p, cfg.Tol)
}

func buildPoly(fs []Func, monos map[string][]int, coef map[string]float64, keys []string, constant, tolAvg, tolProd float64) (*Net, error) {
	avgs := make([]*Net, len(fs))
	for i, f := range fs {
		a, err := AverageTol(f, tolAvg)
		if err != nil {
			return nil, fmt.Errorf("approx: average of power %d: %w", i, err)
		}
		avgs[i] = a
	}
	q, err := Concat(avgs...)
	if err != nil {
		return nil, err
	}
	ms := make([][]int, len(keys))
	row := make([]float64, len(keys))
	linear := true
	for i, key := range keys {
		ms[i] = monos[key]
		row[i] = coef[key]
		linear = linear && len(ms[i]) == 1
	}
	if linear {
		// A combination of power sums alone (p_2, or 3p_1 − p_3) needs no
		// product: the coefficients fold into the averages' output layer.
		full := make([]float64, len(fs))
		for i, m := range ms {
			full[m[0]] += row[i]
		}
		return Linear(q, [][]float64{full}, []float64{constant})
	}
	prod, err := Product(q, ms, tolProd)
	if err != nil {
		return nil, err
	}
	return Linear(prod, [][]float64{row}, []float64{constant})
}

func distinctPowers(p Polynomial) []int {
	var ks []int
	for _, t := range p {
		for _, k := range t.Powers {
			if !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	slices.Sort(ks)
	return ks
}

// powRange returns the minimum of t^k over [lo, hi] and the range
// max − min, which is positive since lo < hi.
func powRange(lo, hi float64, k int) (minV, rng float64) {
	a, b := ipow(lo, k), ipow(hi, k)
	minV, maxV := math.Min(a, b), math.Max(a, b)
	if k%2 == 0 && lo < 0 && hi > 0 {
		minV = 0
	}
	return minV, maxV - minV
}

func ipow(t float64, k int) float64 {
	v := 1.0
	for i := 0; i < k; i++ {
		v *= t
	}
	return v
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// RandomSets returns n sets of size scalars in [lo, hi] drawn from rng:
// each element is lo or hi with probability 1/10 each, and uniform
// otherwise, so that the corners of the box, where polynomial errors
// peak, are visited.
func RandomSets(rng *rand.Rand, n, size int, lo, hi float64) ([][][]float64, error) {
	if rng == nil {
		return nil, fmt.Errorf("%w: nil Rand", ErrConfig)
	}
	if n < 1 || size < 1 {
		return nil, fmt.Errorf("%w: %d sets of %d elements", ErrEmptySet, n, size)
	}
	if err := checkInterval(lo, hi); err != nil {
		return nil, err
	}
	sets := make([][][]float64, n)
	for s := range sets {
		set := make([][]float64, size)
		for b := range set {
			v := lo + (hi-lo)*rng.Float64()
			switch u := rng.Float64(); {
			case u < 0.1:
				v = lo
			case u < 0.2:
				v = hi
			}
			set[b] = []float64{v}
		}
		sets[s] = set
	}
	return sets, nil
}

// MaxError runs n ([Net.Eval]) on the sets and returns the largest
// |output out − target(set)|, the set's elements passed to target as
// scalars. n must take scalar elements.
func MaxError(n *Net, out int, target func([]float64) float64, sets [][][]float64) (float64, error) {
	if n == nil || target == nil {
		return 0, fmt.Errorf("%w: nil network or target", ErrConfig)
	}
	if n.in != 1 {
		return 0, fmt.Errorf("%w: MaxError needs scalar elements, the network takes %d features", ErrSize, n.in)
	}
	if out < 0 || out >= len(n.outs) {
		return 0, fmt.Errorf("%w: output %d of %d", ErrSize, out, len(n.outs))
	}
	got, err := n.Eval(sets)
	if err != nil {
		return 0, err
	}
	worst := 0.0
	for s, set := range sets {
		x := make([]float64, len(set))
		for b, row := range set {
			x[b] = row[0]
		}
		d := math.Abs(got[s][out] - target(x))
		if math.IsNaN(d) {
			return 0, fmt.Errorf("%w: error on set %d is NaN", ErrNonFinite, s)
		}
		worst = math.Max(worst, d)
	}
	return worst, nil
}
