package approx_test

import (
	"math"
	"testing"

	"github.com/symnet/symnet/approx"
	"github.com/symnet/symnet/internal/settest"
)

// Smooth test functions on [−1, 1] with bounds on |f″|.
var (
	square  = approx.Func{F: func(t float64) float64 { return t * t }, Lo: -1, Hi: 1, Curv: 2}
	sin3    = approx.Func{F: func(t float64) float64 { return math.Sin(3 * t) }, Lo: -1, Hi: 1, Curv: 9}
	expFunc = approx.Func{F: math.Exp, Lo: -1, Hi: 1, Curv: math.E}
	// Positive ones, for products: 1 + t² ∈ [1, 2] and 2 + sin 3t ∈ [1, 3].
	onePlusSquare = approx.Func{F: func(t float64) float64 { return 1 + t*t }, Lo: -1, Hi: 1, Curv: 2}
	twoPlusSin3   = approx.Func{F: func(t float64) float64 { return 2 + math.Sin(3*t) }, Lo: -1, Hi: 1, Curv: 9}
)

// setMean returns (1/B) Σ_b f(x_b).
func setMean(f approx.Func) func([]float64) float64 {
	return func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += f.F(v)
		}
		return s / float64(len(x))
	}
}

// testSets returns n random sets of 1..maxSize scalars in [−1, 1] (with the
// corners ±1 over-represented, see RandomSets), of mixed sizes.
func testSets(t *testing.T, seed uint64, n, maxSize int) [][][]float64 {
	t.Helper()
	rng := settest.Rand(seed)
	var sets [][][]float64
	for len(sets) < n {
		s, err := approx.RandomSets(rng, 1, 1+rng.IntN(maxSize), -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s...)
	}
	return sets
}

// measured returns the largest error of output out of net over sets,
// running the gorgonia network.
func measured(t *testing.T, net *approx.Net, out int, target func([]float64) float64, sets [][][]float64) float64 {
	t.Helper()
	e, err := approx.MaxError(net, out, target, sets)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestFitShallowBound checks the certified bound of the one-hidden-layer
// fits against the error measured on a grid 10 times finer than the one the
// bound is certified on, and that the width sets the error: from width 2 to
// width 32 the bound of these smooth functions falls by more than 10³ (it
// falls by 10⁵ to 10⁸ in fact; 10³ leaves room for other fits).
func TestFitShallowBound(t *testing.T) {
	for _, f := range []approx.Func{square, sin3, expFunc, {F: math.Log, Lo: 0.5, Hi: 2, Curv: 4}} {
		var bounds []float64
		for _, w := range []int{1, 2, 4, 8, 16, 32} {
			s, err := approx.FitShallow(f, w)
			if err != nil {
				t.Fatal(err)
			}
			if s.Width() != w {
				t.Fatalf("width %d fit has %d units", w, s.Width())
			}
			worst := 0.0
			const n = 40000
			for i := 0; i <= n; i++ {
				x := f.Lo + (f.Hi-f.Lo)*float64(i)/n
				worst = math.Max(worst, math.Abs(s.At(x)-f.F(x)))
			}
			if worst > s.Bound {
				t.Errorf("f on [%v, %v], width %d: measured error %.3g above the bound %.3g", f.Lo, f.Hi, w, worst, s.Bound)
			}
			bounds = append(bounds, s.Bound)
		}
		if bounds[5] > 1e-3*bounds[1] {
			t.Errorf("f on [%v, %v]: bound %.3g at width 2, %.3g at width 32: want a 10³ drop", f.Lo, f.Hi, bounds[1], bounds[5])
		}
	}
}

func TestFitShallowTol(t *testing.T) {
	prev := 0
	for _, tol := range []float64{1e-1, 1e-3, 1e-5, 1e-7} {
		s, err := approx.FitShallowTol(sin3, tol)
		if err != nil {
			t.Fatal(err)
		}
		if s.Bound > tol {
			t.Errorf("tol %g: bound %.3g", tol, s.Bound)
		}
		if s.Width() < prev {
			t.Errorf("tol %g: width %d below the width %d of a looser tolerance", tol, s.Width(), prev)
		}
		prev = s.Width()
	}
	if prev <= 4 {
		t.Errorf("sin 3t to 1e-7 with %d units: the ladder did not grow", prev)
	}
}

// TestAverage checks step 3 of Thm. 1: the network (1/B) Σ_b ĝ(x_b)
// computed by gorgonia is within its stated error of (1/B) Σ_b f(x_b) on
// sets of every size, and the error falls with the width.
func TestAverage(t *testing.T) {
	sets := testSets(t, 6, 200, 12)
	for _, f := range []approx.Func{square, sin3, expFunc} {
		prevErr := math.Inf(1)
		for _, w := range []int{2, 8, 32} {
			net, err := approx.Average(f, w)
			if err != nil {
				t.Fatal(err)
			}
			if got := net.Widths(); len(got) != 2 || got[0] != w || got[1] != 1 {
				t.Errorf("Average of width %d has layer widths %v, want [%d 1]", w, got, w)
			}
			bound := net.Outputs()[0].Err
			if m := measured(t, net, 0, setMean(f), sets); m > bound {
				t.Errorf("width %d: measured %.3g above bound %.3g", w, m, bound)
			}
			if !(bound < prevErr) {
				t.Errorf("width %d: bound %.3g did not fall (previous %.3g)", w, bound, prevErr)
			}
			prevErr = bound
		}
	}
}

// TestSumAndConcat checks step 1: networks side by side keep their
// outputs, and their sum is within the sum of their errors, including
// when the two have different depths (the shallower is padded with
// sigmoid identity layers).
func TestSumAndConcat(t *testing.T) {
	sets := testSets(t, 7, 150, 10)
	a, err := approx.Average(square, 8)
	if err != nil {
		t.Fatal(err)
	}
	b, err := approx.Average(sin3, 16)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := approx.Average(onePlusSquare, 8)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := approx.Average(twoPlusSin3, 8)
	if err != nil {
		t.Fatal(err)
	}
	deep, err := approx.Multiply(pa, pb, 1e-4) // depth 4
	if err != nil {
		t.Fatal(err)
	}
	both, err := approx.Concat(a, b, deep)
	if err != nil {
		t.Fatal(err)
	}
	if both.Depth() != deep.Depth() || len(both.Outputs()) != 3 {
		t.Fatalf("Concat: depth %d with %d outputs, want depth %d and 3 outputs", both.Depth(), len(both.Outputs()), deep.Depth())
	}
	product := func(x []float64) float64 { return setMean(onePlusSquare)(x) * setMean(twoPlusSin3)(x) }
	for i, target := range []func([]float64) float64{setMean(square), setMean(sin3), product} {
		ch := both.Outputs()[i]
		if m := measured(t, both, i, target, sets); m > ch.Err {
			t.Errorf("Concat output %d: measured %.3g above bound %.3g", i, m, ch.Err)
		}
	}
	sum, err := approx.Sum(a, deep)
	if err != nil {
		t.Fatal(err)
	}
	target := func(x []float64) float64 { return setMean(square)(x) + product(x) }
	ch := sum.Outputs()[0]
	if m := measured(t, sum, 0, target, sets); m > ch.Err {
		t.Errorf("Sum: measured %.3g above bound %.3g", m, ch.Err)
	}
	if want := a.Outputs()[0].Err + deep.Outputs()[0].Err; ch.Err < want {
		t.Errorf("Sum: bound %.3g below the sum of the parts' bounds %.3g", ch.Err, want)
	}
	// The box of the sum is where both bounds hold.
	if lo, hi := sum.Box(); lo != -1 || hi != 1 {
		t.Errorf("Sum: box [%v, %v], want [-1, 1]", lo, hi)
	}
}

// TestLinear checks the folding of a linear map into the output layer:
// y = 2 F_0 − 3 F_1 + 0.5.
func TestLinear(t *testing.T) {
	sets := testSets(t, 8, 100, 8)
	a, _ := approx.Average(square, 8)
	b, _ := approx.Average(sin3, 8)
	both, err := approx.Concat(a, b)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := approx.Linear(both, [][]float64{{2, -3}}, []float64{0.5})
	if err != nil {
		t.Fatal(err)
	}
	if lin.Depth() != both.Depth() {
		t.Errorf("Linear added a layer: depth %d, was %d", lin.Depth(), both.Depth())
	}
	target := func(x []float64) float64 { return 2*setMean(square)(x) - 3*setMean(sin3)(x) + 0.5 }
	ch := lin.Outputs()[0]
	if m := measured(t, lin, 0, target, sets); m > ch.Err {
		t.Errorf("measured %.3g above bound %.3g", m, ch.Err)
	}
	// 2·[0, 1] − 3·[−1, 1] + 0.5 ⊂ [−2.5, 5.5] (sin 3t reaches ±1 on [−1, 1]).
	if ch.Lo > -2.5+1e-3 || ch.Hi < 5.5-1e-3 || ch.Lo < -2.5-0.01 || ch.Hi > 5.5+0.01 {
		t.Errorf("range [%.4g, %.4g], want about [-2.5, 5.5]", ch.Lo, ch.Hi)
	}
}

// TestMultiply checks step 2: the product of two positive invariant
// networks by log, add, exp, each a one-hidden-layer sigmoid fit, is within
// its bound of the product of the targets, and the bound of the new fits
// follows the requested tolerance.
func TestMultiply(t *testing.T) {
	sets := testSets(t, 9, 150, 10)
	a, _ := approx.Average(onePlusSquare, 16)
	b, _ := approx.Average(twoPlusSin3, 16)
	product := func(x []float64) float64 { return setMean(onePlusSquare)(x) * setMean(twoPlusSin3)(x) }
	inherited := 0.0
	for _, tol := range []float64{1e-2, 1e-4} {
		p, err := approx.Multiply(a, b, tol)
		if err != nil {
			t.Fatal(err)
		}
		ch := p.Outputs()[0]
		if m := measured(t, p, 0, product, sets); m > ch.Err {
			t.Errorf("tol %g: measured %.3g above bound %.3g", tol, m, ch.Err)
		}
		// The factors' own errors reach the product multiplied by at
		// most e^ω·(1/a) with ω ≤ log 6 + tol and a ≥ 1: the bound must
		// not exceed tol plus that inherited part.
		inherited = 6.1 * (a.Outputs()[0].Err + b.Outputs()[0].Err) * 1.01
		if ch.Err > tol+inherited {
			t.Errorf("tol %g: bound %.3g above tol + inherited %.3g", tol, ch.Err, tol+inherited)
		}
		// Products use three layers (log, exp, output) after the factors'
		// hidden layers.
		if p.Depth() != 4 {
			t.Errorf("product depth %d, want 4", p.Depth())
		}
	}
}

// TestProductMonomials checks Product with repeated factors, a single
// factor (passed through) and the empty monomial (the constant 1).
func TestProductMonomials(t *testing.T) {
	sets := testSets(t, 10, 100, 8)
	a, _ := approx.Average(onePlusSquare, 16)
	b, _ := approx.Average(twoPlusSin3, 16)
	both, _ := approx.Concat(a, b)
	p, err := approx.Product(both, [][]int{{0, 0, 1}, {1}, {}}, 1e-4)
	if err != nil {
		t.Fatal(err)
	}
	ma, mb := setMean(onePlusSquare), setMean(twoPlusSin3)
	targets := []func([]float64) float64{
		func(x []float64) float64 { return ma(x) * ma(x) * mb(x) },
		mb,
		func([]float64) float64 { return 1 },
	}
	for i, target := range targets {
		ch := p.Outputs()[i]
		if m := measured(t, p, i, target, sets); m > ch.Err {
			t.Errorf("monomial %d: measured %.3g above bound %.3g", i, m, ch.Err)
		}
	}
}

func TestConstructBadInput(t *testing.T) {
	a, _ := approx.Average(square, 4)
	pos, _ := approx.Average(onePlusSquare, 4)
	twoIn, _ := approx.Concat(pos, pos)
	otherBox, _ := approx.Average(approx.Func{F: math.Exp, Lo: 2, Hi: 3, Curv: 21}, 4)
	nan := math.NaN()
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"FitShallow nil F", second(approx.FitShallow(approx.Func{Lo: 0, Hi: 1}, 4)), approx.ErrConfig},
		{"FitShallow reversed", second(approx.FitShallow(approx.Func{F: math.Sin, Lo: 1, Hi: 0}, 4)), approx.ErrInterval},
		{"FitShallow NaN end", second(approx.FitShallow(approx.Func{F: math.Sin, Lo: nan, Hi: 0}, 4)), approx.ErrInterval},
		{"FitShallow negative curvature", second(approx.FitShallow(approx.Func{F: math.Sin, Lo: 0, Hi: 1, Curv: -1}, 4)), approx.ErrConfig},
		{"FitShallow width 0", second(approx.FitShallow(square, 0)), approx.ErrWidth},
		{"FitShallow width too large", second(approx.FitShallow(square, approx.MaxShallowWidth+1)), approx.ErrWidth},
		{"FitShallow f NaN", second(approx.FitShallow(approx.Func{F: math.Log, Lo: -1, Hi: 1}, 4)), approx.ErrNonFinite},
		{"FitShallowTol tol 0", second(approx.FitShallowTol(square, 0)), approx.ErrTolerance},
		{"FitShallowTol tol NaN", second(approx.FitShallowTol(square, nan)), approx.ErrTolerance},
		{"FitShallowTol unreachable", second(approx.FitShallowTol(sin3, 1e-15)), approx.ErrUnreachable},
		{"Average width 0", second(approx.Average(square, 0)), approx.ErrWidth},
		{"AverageTol negative", second(approx.AverageTol(square, -1)), approx.ErrTolerance},
		{"Concat none", second(approx.Concat()), approx.ErrEmptySet},
		{"Concat nil", second(approx.Concat(a, nil)), approx.ErrConfig},
		{"Concat disjoint boxes", second(approx.Concat(a, otherBox)), approx.ErrInterval},
		{"Linear nil", second(approx.Linear(nil, [][]float64{{1}}, nil)), approx.ErrConfig},
		{"Linear no rows", second(approx.Linear(a, nil, nil)), approx.ErrEmptySet},
		{"Linear row length", second(approx.Linear(a, [][]float64{{1, 2}}, nil)), approx.ErrSize},
		{"Linear offsets", second(approx.Linear(a, [][]float64{{1}}, []float64{1, 2})), approx.ErrSize},
		{"Linear NaN", second(approx.Linear(a, [][]float64{{nan}}, nil)), approx.ErrNonFinite},
		{"Sum nil", second(approx.Sum(a, nil)), approx.ErrConfig},
		{"Sum outputs", second(approx.Sum(a, twoIn)), approx.ErrSize},
		{"Multiply not positive", second(approx.Multiply(a, pos, 1e-2)), approx.ErrNotPositive},
		{"Multiply outputs", second(approx.Multiply(pos, twoIn, 1e-2)), approx.ErrSize},
		{"Multiply tol", second(approx.Multiply(pos, pos, 0)), approx.ErrTolerance},
		{"Product nil", second(approx.Product(nil, [][]int{{0}}, 1e-2)), approx.ErrConfig},
		{"Product no monomials", second(approx.Product(pos, nil, 1e-2)), approx.ErrEmptySet},
		{"Product index", second(approx.Product(pos, [][]int{{0, 1}}, 1e-2)), approx.ErrSize},
		{"Product unreachable", second(approx.Product(twoIn, [][]int{{0, 1}}, 1e-14)), approx.ErrUnreachable},
		{"RandomSets nil rng", second(approx.RandomSets(nil, 1, 1, 0, 1)), approx.ErrConfig},
		{"RandomSets none", second(approx.RandomSets(settest.Rand(1), 0, 1, 0, 1)), approx.ErrEmptySet},
		{"RandomSets box", second(approx.RandomSets(settest.Rand(1), 1, 1, 1, 1)), approx.ErrInterval},
		{"MaxError nil", second(approx.MaxError(nil, 0, setMean(square), [][][]float64{{{0}}})), approx.ErrConfig},
		{"MaxError output", second(approx.MaxError(a, 1, setMean(square), [][][]float64{{{0}}})), approx.ErrSize},
		{"Eval no sets", second(a.Eval(nil)), approx.ErrEmptySet},
		{"Eval empty set", second(a.Eval([][][]float64{{}})), approx.ErrEmptySet},
		{"Eval features", second(a.Eval([][][]float64{{{0, 1}}})), approx.ErrSize},
		{"Eval NaN", second(a.Eval([][][]float64{{{nan}}})), approx.ErrNonFinite},
		{"Build nil graph", second(a.Build(nil, "n")), approx.ErrConfig},
	}
	for _, c := range cases {
		checkErr(t, c.name, c.err, c.want)
	}
	// A refused construction leaves its inputs as they were.
	before := a.Outputs()[0]
	if _, err := approx.Multiply(a, pos, 1e-2); err == nil {
		t.Fatal("Multiply of a non-positive network succeeded")
	}
	if a.Outputs()[0] != before || a.Depth() != 2 {
		t.Error("a refused Multiply changed its input network")
	}
}
