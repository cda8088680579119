package approx

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Func is a function of one real variable on the interval [Lo, Hi], twice
// differentiable there, with Curv a bound on |F″| over the interval. The
// bound turns an error measured on a grid into an error bound for the
// whole interval (see [Shallow]).
type Func struct {
	F      func(float64) float64
	Lo, Hi float64
	Curv   float64
}

func (f Func) check() error {
	if f.F == nil {
		return fmt.Errorf("%w: nil function", ErrConfig)
	}
	if err := checkInterval(f.Lo, f.Hi); err != nil {
		return err
	}
	if math.IsNaN(f.Curv) || math.IsInf(f.Curv, 0) || f.Curv < 0 {
		return fmt.Errorf("%w: curvature bound %v (want finite, ≥ 0)", ErrConfig, f.Curv)
	}
	return nil
}

func checkInterval(lo, hi float64) error {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(lo < hi) {
		return fmt.Errorf("%w: [%v, %v]", ErrInterval, lo, hi)
	}
	return nil
}

func checkTol(tol float64) error {
	if math.IsNaN(tol) || math.IsInf(tol, 0) || tol <= 0 {
		return fmt.Errorf("%w: %v (want finite, > 0)", ErrTolerance, tol)
	}
	return nil
}

// MaxShallowWidth is the largest width [FitShallow] builds. Its least-squares
// solve costs O(width³); at this width a fit takes a fraction of a second
// and reaches errors near 1e-10 on smooth functions of unit scale.
const MaxShallowWidth = 256

// Shallow is a one-hidden-layer sigmoid network of one real variable,
//
//	ĝ(t) = C0 + Σ_j C[j] σ(W[j] t + B[j]),   σ(u) = 1/(1 + e^{−u}),
//
// fitted to a [Func] on [Lo, Hi]. Bound is a bound on sup |ĝ − F| over
// [Lo, Hi], valid in exact arithmetic up to a rounding allowance that is
// included (see [FitShallow]).
type Shallow struct {
	Lo, Hi  float64
	W, B, C []float64
	C0      float64
	Bound   float64
}

// Width returns the number of hidden units.
func (s *Shallow) Width() int { return len(s.W) }

// At returns ĝ(t).
func (s *Shallow) At(t float64) float64 {
	v := s.C0
	for j := range s.W {
		v += s.C[j] * sigmoid(s.W[j]*t+s.B[j])
	}
	return v
}

func sigmoid(u float64) float64 { return 1 / (1 + math.Exp(-u)) }

// The hidden units of a fit share one slope w = κ/h, h the spacing of their
// centres. Differences of neighbouring units, σ(κ(u+½)) − σ(κ(u−½)), form
// a partition of unity; it reproduces linear functions up to a ripple of
// relative size about (4π²/κ)·e^{−2π²/κ}: 1e-7 for κ = 1, 3e-11 for
// κ = 0.7. The ripple sets a floor under the fits; smaller κ lowers it but
// makes the least-squares system worse conditioned and the units' tails
// longer. κ = 0.7 was chosen by measuring fits of t², log and exp.
const shallowKappa = 0.7

// shallowRidge is the Tikhonov weight on the output weights C, relative to
// the unit-scale rows of the design matrix: small enough not to bias fits
// at the 1e-10 level (1e-12 did, measurably), large enough to keep Σ|C|
// of the order of f's variation when neighbouring units are nearly
// collinear.
const shallowRidge = 1e-18

// centres places width centres with spacing h: up to 8 of them (a quarter
// of the width) beyond each end of [lo, hi], so that the fit near the ends
// has the same units around it as in the middle; the others evenly
// through [lo, hi], with lo and hi on centres.
func centres(width int, lo, hi float64) (c []float64, h float64) {
	out := min(width/4, 8)
	inner := width - 1 - 2*out
	c = make([]float64, width)
	if inner < 1 {
		c[0] = (lo + hi) / 2
		return c, hi - lo
	}
	h = (hi - lo) / float64(inner)
	for j := range c {
		c[j] = lo + float64(j-out)*h
	}
	return c, h
}

// FitShallow fits a [Shallow] network of the given width to f.
//
// The construction: width sigmoid units σ(w (t − c_j)) with centres c_j
// evenly spaced at distance h (a few beyond each end of the interval) and
// slope w = κ/h (κ = 0.7), and output weights C0, C chosen by least squares on
// 4·width + 32 evenly spaced points of [Lo, Hi] (with a tiny ridge
// penalty). Wider layers have more, narrower units: the width sets the
// error, which falls quickly at small widths, then roughly as 1/width,
// to about 1e-10 at width 256 for smooth functions of unit scale.
//
// The error bound: on a grid t_0 < … < t_n of step δ, the error
// E = ĝ − F satisfies, on each cell, |E(t)| ≤ max(|E(t_i)|, |E(t_{i+1})|)
// + δ²/8 · sup|E″| (the chord bound for linear interpolation), and
// |E″| ≤ f.Curv + Σ_j |C_j| w² |σ″(w(t − c_j))| with |σ″(u)| ≤
// min(1/(6√3), e^{−|u|}). The grid is refined until the second term is a
// tenth of the first or the grid has 4096 points per spacing.
func FitShallow(f Func, width int) (*Shallow, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if width < 1 || width > MaxShallowWidth {
		return nil, fmt.Errorf("%w: %d (want 1..%d)", ErrWidth, width, MaxShallowWidth)
	}
	cs, h := centres(width, f.Lo, f.Hi)
	w := shallowKappa / h

	m := 4*width + 32
	a := mat.NewDense(m+width, width+1, nil)
	y := mat.NewVecDense(m+width, nil)
	ridge := math.Sqrt(shallowRidge)
	for i := 0; i < m; i++ {
		t := f.Lo + (f.Hi-f.Lo)*float64(i)/float64(m-1)
		v := f.F(t)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: f(%v) = %v", ErrNonFinite, t, v)
		}
		a.Set(i, 0, 1)
		for j, c := range cs {
			a.Set(i, j+1, sigmoid(w*(t-c)))
		}
		y.SetVec(i, v)
	}
	for j := range cs {
		a.Set(m+j, j+1, ridge)
	}
	var coef mat.VecDense
	if err := coef.SolveVec(a, y); err != nil {
		return nil, fmt.Errorf("approx: least-squares fit of width %d: %w", width, err)
	}
	s := &Shallow{
		Lo: f.Lo, Hi: f.Hi,
		W: make([]float64, width), B: make([]float64, width), C: make([]float64, width),
		C0: coef.AtVec(0),
	}
	for j, c := range cs {
		s.W[j] = w
		s.B[j] = -w * c
		s.C[j] = coef.AtVec(j + 1)
	}
	if err := checkFinite("output weight", append([]float64{s.C0}, s.C...)); err != nil {
		return nil, fmt.Errorf("approx: fit of width %d: %w", width, err)
	}
	bound, err := certify(s, f, cs, h)
	if err != nil {
		return nil, err
	}
	s.Bound = bound
	return s, nil
}

// sigma2Max is max_u |σ″(u)| = 1/(6√3), reached at σ(u) = ½ ± 1/(2√3).
var sigma2Max = 1 / (6 * math.Sqrt(3))

// window is the number of centre spacings beyond which a unit is treated
// as saturated (σ = 0 or 1) when evaluating on the certification grid;
// e^{−window·κ} ≈ 2e-18 times Σ|C| is added to the bound for it.
const window = 58

// certify returns the bound described in FitShallow. The grid has d
// points per centre spacing and is aligned with the centres, so that
// w(t_i − c_j) = κ·r/d for an integer r and the sigmoids come from one
// table; the curvature bound is taken once per spacing.
func certify(s *Shallow, f Func, cs []float64, h float64) (float64, error) {
	width := len(cs)
	w := s.W[0]
	sumC, curvUnits := math.Abs(s.C0), 0.0
	prefix := make([]float64, width+1) // prefix[j] = Σ_{i<j} C_i
	for j, c := range s.C {
		sumC += math.Abs(c)
		curvUnits += math.Abs(c) * w * w
		prefix[j+1] = prefix[j] + c
	}
	// Index of the first centre at or after Lo, and the number of spacings
	// in [Lo, Hi]: with one unit the single centre is the midpoint and
	// the interval is one spacing.
	first, spacings := 0, 1
	for first < width && cs[first] < f.Lo-h/4 {
		first++
	}
	if width > 1 {
		spacings = int(math.Round((f.Hi - f.Lo) / h))
	}
	origin := f.Lo // grid point 0; centre j sits at origin + (j−first)·h
	if width == 1 {
		origin = cs[0] - h/2
	}
	eps := math.Nextafter(1, 2) - 1
	for d := 16; ; d *= 4 {
		kd := (window + 1) * d
		table := make([]float64, 2*kd+1) // table[r+kd] = σ(κ r/d)
		for r := -kd; r <= kd; r++ {
			table[r+kd] = sigmoid(shallowKappa * float64(r) / float64(d))
		}
		// Curvature bound of ĝ − F on each spacing [origin + q h, origin + (q+1) h].
		curv := make([]float64, spacings)
		for q := range curv {
			a, b := origin+float64(q)*h, origin+float64(q+1)*h
			m := f.Curv + curvUnits*math.Exp(-window*shallowKappa)
			lo, hi := max(0, first+q-window-1), min(width, first+q+window+2)
			for j := lo; j < hi; j++ {
				dist := 0.0
				if cs[j] < a {
					dist = a - cs[j]
				} else if cs[j] > b {
					dist = cs[j] - b
				}
				m += math.Abs(s.C[j]) * w * w * math.Min(sigma2Max, math.Exp(-w*dist))
			}
			curv[q] = m
		}
		n := spacings * d
		step := h / float64(d)
		if width == 1 {
			step = (f.Hi - f.Lo) / float64(n)
		}
		prev := 0.0
		gridMax, slackMax, cellMax, fMax := 0.0, 0.0, 0.0, 0.0
		for i := 0; i <= n; i++ {
			t := origin + step*float64(i) // t = Hi, up to rounding, at i = n
			fv := f.F(t)
			if math.IsNaN(fv) || math.IsInf(fv, 0) {
				return 0, fmt.Errorf("%w: f(%v) = %v", ErrNonFinite, t, fv)
			}
			fMax = math.Max(fMax, math.Abs(fv))
			// Units j with |r| ≤ kd, r = i − (j−first)·d, come from the
			// table; those to the left (r > kd) are saturated at 1.
			// ic is i counted from the grid point on centre `first`: the
			// origin itself, except for a single unit, whose centre is the
			// midpoint, d/2 points in.
			ic := i
			if width == 1 {
				ic -= d / 2
			}
			j0 := max(0, first+ceilDiv(ic-kd, d))
			j1 := min(width-1, first+floorDiv(ic+kd, d))
			v := s.C0 + prefix[min(j0, width)]
			for j := j0; j <= j1; j++ {
				v += s.C[j] * table[ic-(j-first)*d+kd]
			}
			e := math.Abs(v - fv)
			gridMax = math.Max(gridMax, e)
			if i > 0 {
				slack := step * step / 8 * curv[min((i-1)/d, spacings-1)]
				slackMax = math.Max(slackMax, slack)
				cellMax = math.Max(cellMax, math.Max(prev, e)+slack)
			}
			prev = e
		}
		rounding := 8*eps*(sumC+fMax) + 2*math.Exp(-window*shallowKappa)*sumC
		if slackMax <= 0.1*gridMax || d >= 4096 {
			return cellMax + rounding, nil
		}
	}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func ceilDiv(a, b int) int { return -floorDiv(-a, b) }

// shallowLadder lists the widths [FitShallowTol] tries, growing by about
// √2 so that the width found is within that factor of the smallest that
// reaches the tolerance.
var shallowLadder = []int{2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 90, 128, 181, 256}

// FitShallowTol returns the first fit along a ladder of widths (2, 3, 4,
// 6, 8, 11, 16, … growing by about √2, up to [MaxShallowWidth]) whose
// Bound is at most tol. If no width reaches it, the error wraps
// [ErrUnreachable] and names the best bound found.
func FitShallowTol(f Func, tol float64) (*Shallow, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	if err := checkTol(tol); err != nil {
		return nil, err
	}
	// Every bound carries a rounding allowance of at least 8 ulps of
	// max|f| (see certify): a tolerance below it cannot be certified at
	// any width, so refuse it before fitting the whole ladder.
	lo, hi, err := fRange(f, 256)
	if err != nil {
		return nil, err
	}
	eps := math.Nextafter(1, 2) - 1
	if floor := 8 * eps * math.Max(math.Abs(lo), math.Abs(hi)); tol <= floor {
		return nil, fmt.Errorf("%w: one-hidden-layer fit on [%v, %v] to %.3g: below the rounding floor %.3g",
			ErrUnreachable, f.Lo, f.Hi, tol, floor)
	}
	best := math.Inf(1)
	for _, w := range shallowLadder {
		s, err := FitShallow(f, w)
		if err != nil {
			return nil, err
		}
		if s.Bound <= tol {
			return s, nil
		}
		best = math.Min(best, s.Bound)
	}
	return nil, fmt.Errorf("%w: one-hidden-layer fit on [%v, %v] to %.3g: best bound %.3g at width ≤ %d",
		ErrUnreachable, f.Lo, f.Hi, tol, best, MaxShallowWidth)
}
