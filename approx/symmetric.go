package approx

import (
	"fmt"
	"math"
)

// MaxDegree is the largest degree accepted by the power-sum and
// elementary-polynomial functions. Newton's identities divide by k and
// alternate in sign; beyond a few dozen terms float64 cancellation makes the
// conversions meaningless for any set that is not tiny, so the package
// refuses them rather than return noise.
const MaxDegree = 32

func checkSet(x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("%w: no elements", ErrEmptySet)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: element %d is %v", ErrNonFinite, i, v)
		}
	}
	return nil
}

func checkDegree(k int) error {
	if k < 1 || k > MaxDegree {
		return fmt.Errorf("%w: degree %d (want 1..%d)", ErrDegree, k, MaxDegree)
	}
	return nil
}

func checkFinite(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%w: %s %d is %v", ErrNonFinite, what, i+1, x)
		}
	}
	return nil
}

// PowerSums returns [p_1, …, p_k] for the set x, where
//
//	p_j(x) = Σ_b x_b^j.
//
// The power sums are symmetric: they do not depend on the order of x. With
// the elementary symmetric polynomials they generate every symmetric
// polynomial (see [ElementaryFromPowerSums]). PowerSums returns an error for
// an empty set, a non-finite element, k outside 1..[MaxDegree], and sums
// that overflow.
func PowerSums(x []float64, k int) ([]float64, error) {
	if err := checkSet(x); err != nil {
		return nil, err
	}
	if err := checkDegree(k); err != nil {
		return nil, err
	}
	p := make([]float64, k)
	for _, v := range x {
		pow := 1.0
		for j := range p {
			pow *= v
			p[j] += pow
		}
	}
	if err := checkFinite("power sum p_", p); err != nil {
		return nil, fmt.Errorf("%w (overflow)", err)
	}
	return p, nil
}

// Elementary returns [e_1, …, e_k] for the set x, where
//
//	e_j(x) = Σ_{b_1 < … < b_j} x_{b_1} ⋯ x_{b_j},
//
// the coefficients of Π_b (1 + x_b t) = Σ_j e_j t^j; e_j = 0 for j larger
// than the set. It multiplies the factors in one at a time
// (e_j ← e_j + x_b e_{j−1}, j from high to low), O(B·k) operations.
// Errors are as for [PowerSums].
func Elementary(x []float64, k int) ([]float64, error) {
	if err := checkSet(x); err != nil {
		return nil, err
	}
	if err := checkDegree(k); err != nil {
		return nil, err
	}
	// e[j] holds e_j; e[0] = 1 is the empty product.
	e := make([]float64, k+1)
	e[0] = 1
	for _, v := range x {
		for j := k; j >= 1; j-- {
			e[j] += v * e[j-1]
		}
	}
	if err := checkFinite("elementary polynomial e_", e[1:]); err != nil {
		return nil, fmt.Errorf("%w (overflow)", err)
	}
	return e[1:], nil
}

// ElementaryFromPowerSums converts power sums p = [p_1, …, p_k] into
// elementary symmetric polynomials [e_1, …, e_k] of the same set by
// Newton's identities,
//
//	k e_k = Σ_{i=1}^{k} (−1)^{i−1} e_{k−i} p_i,   e_0 = 1.
//
// The identities hold whatever the set's size, so the result is exact in
// exact arithmetic for any p that are the power sums of some set. In
// floating point the alternating sum loses relative accuracy as k grows.
// It returns an error for an empty p, a non-finite entry, more than
// [MaxDegree] entries, and overflow.
func ElementaryFromPowerSums(p []float64) ([]float64, error) {
	if len(p) == 0 {
		return nil, fmt.Errorf("%w: no power sums", ErrEmptySet)
	}
	if err := checkDegree(len(p)); err != nil {
		return nil, err
	}
	if err := checkFinite("power sum p_", p); err != nil {
		return nil, err
	}
	e := make([]float64, len(p)+1)
	e[0] = 1
	for k := 1; k <= len(p); k++ {
		s, sign := 0.0, 1.0
		for i := 1; i <= k; i++ {
			s += sign * e[k-i] * p[i-1]
			sign = -sign
		}
		e[k] = s / float64(k)
	}
	if err := checkFinite("elementary polynomial e_", e[1:]); err != nil {
		return nil, fmt.Errorf("%w (overflow)", err)
	}
	return e[1:], nil
}

// PowerSumsFromElementary converts elementary symmetric polynomials
// e = [e_1, …, e_k] into power sums [p_1, …, p_k] of the same set by
// Newton's identities solved the other way,
//
//	p_k = (−1)^{k−1} k e_k + Σ_{i=1}^{k−1} (−1)^{k−1+i} e_{k−i} p_i.
//
// Errors are as for [ElementaryFromPowerSums].
func PowerSumsFromElementary(e []float64) ([]float64, error) {
	if len(e) == 0 {
		return nil, fmt.Errorf("%w: no elementary polynomials", ErrEmptySet)
	}
	if err := checkDegree(len(e)); err != nil {
		return nil, err
	}
	if err := checkFinite("elementary polynomial e_", e); err != nil {
		return nil, err
	}
	// ee[j] = e_j with e_0 = 1.
	ee := make([]float64, len(e)+1)
	ee[0] = 1
	copy(ee[1:], e)
	p := make([]float64, len(e))
	for k := 1; k <= len(e); k++ {
		s := float64(k) * ee[k]
		if k%2 == 0 {
			s = -s
		}
		for i := 1; i < k; i++ {
			term := ee[k-i] * p[i-1]
			if (k-1+i)%2 == 1 {
				term = -term
			}
			s += term
		}
		p[k-1] = s
	}
	if err := checkFinite("power sum p_", p); err != nil {
		return nil, fmt.Errorf("%w (overflow)", err)
	}
	return p, nil
}
