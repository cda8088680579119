package approx

import (
	"fmt"
	"math"
)

// MultiIndices returns every multi-index α ∈ ℕ^n with 1 ≤ |α| ≤ degree,
// where |α| = α_1 + … + α_n, in graded order: by total degree, then with
// larger leading exponents first. They index the multisymmetric power sums
// of degree at most degree in n variables ([MultiPowerSum]).
func MultiIndices(n, degree int) ([][]int, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d variables (want ≥ 1)", ErrSize, n)
	}
	if err := checkDegree(degree); err != nil {
		return nil, err
	}
	// The number of indices is C(n+degree, n) − 1; refuse lists that would
	// not fit in memory rather than try.
	count := 1.0
	for i := 1; i <= n; i++ {
		count = count * float64(degree+i) / float64(i)
	}
	if count > 1<<20 {
		return nil, fmt.Errorf("%w: %.0f multi-indices for %d variables and degree %d", ErrSize, count-1, n, degree)
	}
	var out [][]int
	cur := make([]int, n)
	var fill func(pos, left int)
	fill = func(pos, left int) {
		if pos == n-1 {
			cur[pos] = left
			out = append(out, append([]int(nil), cur...))
			return
		}
		for a := left; a >= 0; a-- {
			cur[pos] = a
			fill(pos+1, left-a)
		}
	}
	for d := 1; d <= degree; d++ {
		fill(0, d)
	}
	return out, nil
}

// MultiPowerSum returns the multisymmetric power sum of the set x of
// vectors (x[b] is element b, of length n = len(alpha)),
//
//	p_α(x) = Σ_b Π_j x_{b,j}^{α_j}.
//
// It is invariant under reordering the elements (not their coordinates).
// For n = 1 it is the power sum p_{α_1}. The p_α with |α| ≤ B generate the
// symmetric polynomials of B vectors (the multisymmetric functions); the
// paper's Thm. 1 needs them for vector-valued elements. It returns an error
// for an empty set, rows of the wrong length, non-finite entries, an α
// with a negative entry or |α| outside 1..[MaxDegree], and overflow.
func MultiPowerSum(x [][]float64, alpha []int) (float64, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("%w: no elements", ErrEmptySet)
	}
	if len(alpha) == 0 {
		return 0, fmt.Errorf("%w: empty multi-index", ErrSize)
	}
	total := 0
	for j, a := range alpha {
		if a < 0 {
			return 0, fmt.Errorf("%w: exponent %d of multi-index %v is negative", ErrDegree, j, alpha)
		}
		total += a
	}
	if err := checkDegree(total); err != nil {
		return 0, fmt.Errorf("%w (multi-index %v)", err, alpha)
	}
	s := 0.0
	for b, row := range x {
		if len(row) != len(alpha) {
			return 0, fmt.Errorf("%w: element %d has %d coordinates, multi-index %d", ErrSize, b, len(row), len(alpha))
		}
		m := 1.0
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%w: element %d coordinate %d is %v", ErrNonFinite, b, j, v)
			}
			for a := 0; a < alpha[j]; a++ {
				m *= v
			}
		}
		s += m
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return 0, fmt.Errorf("%w: p_%v overflows", ErrNonFinite, alpha)
	}
	return s, nil
}

// MultiPowerSums returns the multisymmetric power sums p_α(x) for every α
// of [MultiIndices](n, degree), in that order, with the indices.
func MultiPowerSums(x [][]float64, degree int) ([]float64, [][]int, error) {
	if len(x) == 0 {
		return nil, nil, fmt.Errorf("%w: no elements", ErrEmptySet)
	}
	idx, err := MultiIndices(len(x[0]), degree)
	if err != nil {
		return nil, nil, err
	}
	out := make([]float64, len(idx))
	for i, a := range idx {
		if out[i], err = MultiPowerSum(x, a); err != nil {
			return nil, nil, err
		}
	}
	return out, idx, nil
}
