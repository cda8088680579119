package approx

import (
	"fmt"
	"math"
	"slices"
)

// Target is a symmetric function of a set of scalars that [Train] fits.
type Target int

// The targets. Variance is the
// population variance (1/B) Σ (x_b − mean)²; E2 is the second elementary
// symmetric polynomial Σ_{b<c} x_b x_c; Median is the middle element, or
// the mean of the two middle ones for an even set; CountPositive counts the
// elements above 0. Mean, Variance and E2 are polynomials; Max and Median
// are continuous but not smooth; CountPositive is not even continuous, so
// Thm. 1, which is about uniform approximation of continuous functions,
// promises nothing for it.
const (
	Mean Target = iota
	Variance
	Max
	E2
	Median
	CountPositive
)

// Targets returns every Target, in order.
func Targets() []Target { return []Target{Mean, Variance, Max, E2, Median, CountPositive} }

func (t Target) String() string {
	switch t {
	case Mean:
		return "mean"
	case Variance:
		return "variance"
	case Max:
		return "max"
	case E2:
		return "e2"
	case Median:
		return "median"
	case CountPositive:
		return "count>0"
	}
	return fmt.Sprintf("Target(%d)", int(t))
}

func (t Target) valid() bool { return t >= Mean && t <= CountPositive }

// ParseTarget returns the Target whose String is s.
func ParseTarget(s string) (Target, error) {
	for _, t := range Targets() {
		if t.String() == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("%w: unknown target %q", ErrConfig, s)
}

// Of returns the target's value on the set x. It returns NaN for an empty
// set or an invalid Target.
func (t Target) Of(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	n := float64(len(x))
	switch t {
	case Mean:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / n
	case Variance:
		m := Mean.Of(x)
		s := 0.0
		for _, v := range x {
			s += (v - m) * (v - m)
		}
		return s / n
	case Max:
		return slices.Max(x)
	case E2:
		// e_2 by the recurrence of Elementary: e_2 ← e_2 + x·e_1.
		e1, e2 := 0.0, 0.0
		for _, v := range x {
			e2 += v * e1
			e1 += v
		}
		return e2
	case Median:
		s := slices.Clone(x)
		slices.Sort(s)
		if len(s)%2 == 1 {
			return s[len(s)/2]
		}
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	case CountPositive:
		c := 0.0
		for _, v := range x {
			if v > 0 {
				c++
			}
		}
		return c
	}
	return math.NaN()
}
