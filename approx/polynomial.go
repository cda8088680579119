package approx

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Term is one product of power sums with a coefficient,
//
//	Coef · p_{Powers[0]} · p_{Powers[1]} ⋯,
//
// where p_k(x) = Σ_b x_b^k. An empty Powers is the constant Coef.
type Term struct {
	Coef   float64
	Powers []int
}

// Polynomial is a symmetric polynomial of a set of scalars written as a sum
// of [Term]s, that is, as a polynomial in the power sums. Every symmetric
// polynomial has this form: it is a polynomial in the elementary symmetric
// polynomials (the fundamental theorem of symmetric polynomials), and each
// e_k is a polynomial in p_1, …, p_k by Newton's identities
// ([ElementaryPolynomial]).
type Polynomial []Term

// Validate reports whether every coefficient is finite and every power is
// in 1..[MaxDegree]. An empty Polynomial is the zero polynomial and valid.
func (p Polynomial) Validate() error {
	for i, t := range p {
		if math.IsNaN(t.Coef) || math.IsInf(t.Coef, 0) {
			return fmt.Errorf("%w: coefficient of term %d is %v", ErrNonFinite, i, t.Coef)
		}
		for _, k := range t.Powers {
			if err := checkDegree(k); err != nil {
				return fmt.Errorf("%w (term %d)", err, i)
			}
		}
	}
	return nil
}

// MaxPower returns the largest power sum index used, 0 for a constant.
func (p Polynomial) MaxPower() int {
	m := 0
	for _, t := range p {
		for _, k := range t.Powers {
			m = max(m, k)
		}
	}
	return m
}

// Eval returns the polynomial's value on the set x, computed from the
// exact power sums in float64.
func (p Polynomial) Eval(x []float64) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if err := checkSet(x); err != nil {
		return 0, err
	}
	m := p.MaxPower()
	var ps []float64
	if m > 0 {
		var err error
		if ps, err = PowerSums(x, m); err != nil {
			return 0, err
		}
	}
	s := 0.0
	for _, t := range p {
		v := t.Coef
		for _, k := range t.Powers {
			v *= ps[k-1]
		}
		s += v
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return 0, fmt.Errorf("%w: polynomial value overflows", ErrNonFinite)
	}
	return s, nil
}

// String writes the polynomial with p1, p2, … for the power sums, e.g.
// "0.5*p1^2 - 0.5*p2".
func (p Polynomial) String() string {
	if len(p) == 0 {
		return "0"
	}
	var sb strings.Builder
	for i, t := range p {
		c := t.Coef
		switch {
		case i == 0 && c < 0:
			sb.WriteString("-")
			c = -c
		case i > 0 && c < 0:
			sb.WriteString(" - ")
			c = -c
		case i > 0:
			sb.WriteString(" + ")
		}
		pw := slices.Clone(t.Powers)
		slices.Sort(pw)
		var factors []string
		for j := 0; j < len(pw); {
			n := 1
			for j+n < len(pw) && pw[j+n] == pw[j] {
				n++
			}
			f := fmt.Sprintf("p%d", pw[j])
			if n > 1 {
				f += fmt.Sprintf("^%d", n)
			}
			factors = append(factors, f)
			j += n
		}
		switch {
		case len(factors) == 0:
			sb.WriteString(fmt.Sprintf("%g", c))
		case c == 1:
			sb.WriteString(strings.Join(factors, "*"))
		default:
			sb.WriteString(fmt.Sprintf("%g*%s", c, strings.Join(factors, "*")))
		}
	}
	return sb.String()
}

// ElementaryPolynomial returns e_k written in power sums, by running
// Newton's identities k e_k = Σ_{i=1}^{k} (−1)^{i−1} e_{k−i} p_i on
// polynomials instead of numbers. For example e_2 = p1²/2 − p2/2 and
// e_3 = p1³/6 − p1 p2/2 + p3/3. Like terms are collected, so the result
// has one term per partition of k.
func ElementaryPolynomial(k int) (Polynomial, error) {
	if err := checkDegree(k); err != nil {
		return nil, err
	}
	// Each e_j is a map from a sorted power list (as a key) to its
	// coefficient; e_0 = 1.
	type poly map[string]Term
	key := func(pw []int) string { return fmt.Sprint(pw) }
	e := []poly{{key(nil): {Coef: 1}}}
	for n := 1; n <= k; n++ {
		next := poly{}
		sign := 1.0
		for i := 1; i <= n; i++ {
			for _, t := range e[n-i] {
				pw := append(slices.Clone(t.Powers), i)
				slices.Sort(pw)
				c := next[key(pw)]
				c.Powers = pw
				c.Coef += sign * t.Coef / float64(n)
				next[key(pw)] = c
			}
			sign = -sign
		}
		e = append(e, next)
	}
	var out Polynomial
	for _, t := range e[k] {
		if t.Coef != 0 {
			out = append(out, t)
		}
	}
	// A fixed order: by number of factors (most first), then
	// lexicographically by powers, so that String and the networks built
	// from the polynomial do not depend on map order.
	slices.SortFunc(out, func(a, b Term) int {
		if len(a.Powers) != len(b.Powers) {
			return len(b.Powers) - len(a.Powers)
		}
		return slices.Compare(a.Powers, b.Powers)
	})
	return out, nil
}
