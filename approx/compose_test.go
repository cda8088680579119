package approx_test

import (
	"math"
	"testing"

	"github.com/symnet/symnet/approx"
	"github.com/symnet/symnet/internal/settest"
)

// TestApproximate checks the composed construction: for several symmetric
// polynomials and tolerances, the network built by Approximate has a bound
// at most the tolerance, the sup error measured by running it (in gorgonia)
// on random sets of the box, corners included, is at most the tolerance,
// and the number of sigmoid units never falls as the tolerance shrinks and
// grows over the range tested.
func TestApproximate(t *testing.T) {
	e2, _ := approx.ElementaryPolynomial(2)
	e3, _ := approx.ElementaryPolynomial(3)
	const b = 5
	polys := []struct {
		name string
		p    approx.Polynomial
		lo   float64
	}{
		{"p2", approx.Polynomial{{Coef: 1, Powers: []int{2}}}, -1},
		{"e2", e2, -1},
		{"e3", e3, -1},
		// The variance of the set, p2/B − p1²/B², on [0, 1].
		{"variance", approx.Polynomial{{Coef: 1.0 / b, Powers: []int{2}}, {Coef: -1.0 / (b * b), Powers: []int{1, 1}}}, 0},
	}
	tols := []float64{1e-1, 1e-2, 1e-3}
	rng := settest.Rand(11)
	for _, pc := range polys {
		sets, err := approx.RandomSets(rng, 300, b, pc.lo, 1)
		if err != nil {
			t.Fatal(err)
		}
		target := func(x []float64) float64 {
			v, err := pc.p.Eval(x)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		var hidden []int
		for _, tol := range tols {
			net, err := approx.Approximate(pc.p, approx.ApproxConfig{SetSize: b, Lo: pc.lo, Hi: 1, Tol: tol})
			if err != nil {
				t.Fatalf("%s to %g: %v", pc.name, tol, err)
			}
			bound := net.Outputs()[0].Err
			if bound > tol {
				t.Errorf("%s to %g: bound %.3g above the tolerance", pc.name, tol, bound)
			}
			if m := measured(t, net, 0, target, sets); m > tol || m > bound {
				t.Errorf("%s to %g: measured sup error %.3g (bound %.3g)", pc.name, tol, m, bound)
			}
			hidden = append(hidden, net.Hidden())
		}
		for i := 1; i < len(hidden); i++ {
			if hidden[i] < hidden[i-1] {
				t.Errorf("%s: hidden units %v fall as the tolerance shrinks", pc.name, hidden)
			}
		}
		if hidden[len(hidden)-1] <= hidden[0] {
			t.Errorf("%s: hidden units %v do not grow from tolerance %g to %g", pc.name, hidden, tols[0], tols[len(tols)-1])
		}
	}
}

// A constant polynomial is the constant network, exact.
func TestApproximateConstant(t *testing.T) {
	net, err := approx.Approximate(approx.Polynomial{{Coef: 2.5}}, approx.ApproxConfig{SetSize: 3, Lo: -1, Hi: 1, Tol: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	out, err := net.Eval([][][]float64{{{0.3}, {-1}, {1}}})
	if err != nil {
		t.Fatal(err)
	}
	if out[0][0] != 2.5 {
		t.Errorf("constant 2.5 computed as %v", out[0][0])
	}
}

func TestApproximateBadInput(t *testing.T) {
	p2 := approx.Polynomial{{Coef: 1, Powers: []int{2}}}
	ok := approx.ApproxConfig{SetSize: 4, Lo: -1, Hi: 1, Tol: 1e-2}
	with := func(f func(*approx.ApproxConfig)) approx.ApproxConfig {
		c := ok
		f(&c)
		return c
	}
	many := approx.Polynomial{{Coef: 1, Powers: make([]int, approx.MaxFactors+1)}}
	for i := range many[0].Powers {
		many[0].Powers[i] = 1
	}
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"NaN coefficient", second(approx.Approximate(approx.Polynomial{{Coef: math.NaN(), Powers: []int{1}}}, ok)), approx.ErrNonFinite},
		{"power 0", second(approx.Approximate(approx.Polynomial{{Coef: 1, Powers: []int{0}}}, ok)), approx.ErrDegree},
		{"too many factors", second(approx.Approximate(many, ok)), approx.ErrDegree},
		{"set size 0", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.SetSize = 0 }))), approx.ErrConfig},
		{"reversed box", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.Lo, c.Hi = 1, -1 }))), approx.ErrInterval},
		{"infinite box", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.Hi = math.Inf(1) }))), approx.ErrInterval},
		{"tolerance 0", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.Tol = 0 }))), approx.ErrTolerance},
		{"tolerance NaN", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.Tol = math.NaN() }))), approx.ErrTolerance},
		{"tolerance unreachable", second(approx.Approximate(p2, with(func(c *approx.ApproxConfig) { c.Tol = 1e-16 }))), approx.ErrUnreachable},
		{"overflow", second(approx.Approximate(approx.Polynomial{{Coef: 1, Powers: []int{30}}}, with(func(c *approx.ApproxConfig) { c.Hi = 1e12 }))), approx.ErrNonFinite},
	}
	for _, c := range cases {
		checkErr(t, c.name, c.err, c.want)
	}
}
