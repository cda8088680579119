package approx

import (
	"fmt"
	"math"
	"slices"
)

// fRange returns bounds on f over [Lo, Hi]: the extremes on a grid,
// widened by the chord bound δ²/8·Curv that covers the points between.
func fRange(f Func, points int) (lo, hi float64, err error) {
	lo, hi = math.Inf(1), math.Inf(-1)
	step := (f.Hi - f.Lo) / float64(points)
	for i := 0; i <= points; i++ {
		t := f.Lo + step*float64(i)
		if i == points {
			t = f.Hi
		}
		v := f.F(t)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, 0, fmt.Errorf("%w: f(%v) = %v", ErrNonFinite, t, v)
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	slack := step * step / 8 * f.Curv
	return lo - slack, hi + slack, nil
}

// Average returns the network of step 3 of Thm. 1 for the scalar function
// f: on a set x of scalars in [f.Lo, f.Hi] it computes
//
//	(1/B) Σ_b ĝ(x_b) ≈ (1/B) Σ_b f(x_b),
//
// where ĝ is the [Shallow] fit of f of the given width. The first layer
// holds ĝ's hidden units (Λ = W, β = B, Γ = 0: each element on its own),
// the output layer its output weights, and the readout averages over the
// set. The error is at most the fit's bound, whatever the set's size.
func Average(f Func, width int) (*Net, error) {
	s, err := FitShallow(f, width)
	if err != nil {
		return nil, err
	}
	return averageOf(s, f)
}

// AverageTol is [Average] with the smallest width on the ladder of
// [FitShallowTol] whose bound is at most tol.
func AverageTol(f Func, tol float64) (*Net, error) {
	s, err := FitShallowTol(f, tol)
	if err != nil {
		return nil, err
	}
	return averageOf(s, f)
}

func averageOf(s *Shallow, f Func) (*Net, error) {
	w := s.Width()
	lo, hi, err := fRange(f, 64*w+1024)
	if err != nil {
		return nil, err
	}
	hidden := newLayer(1, w, true)
	copy(hidden.lambda, s.W)
	copy(hidden.beta, s.B)
	out := newLayer(w, 1, false)
	copy(out.lambda, s.C)
	out.beta[0] = s.C0
	return &Net{
		in: 1, lo: f.Lo, hi: f.Hi,
		layers: []layer{hidden, out},
		outs:   []Channel{{Lo: lo, Hi: hi, Err: s.Bound, elemLo: lo - s.Bound, elemHi: hi + s.Bound}},
	}, nil
}

// padEps is the slope of the sigmoid units that stand in for the identity:
// σ(ε u) = ½ + ε u/4 + O(ε³u³), so (4/ε)(σ(ε u) − ½) = u up to ε²|u|³/12.
// Rounding in σ, amplified by 4/ε, adds about 8·2⁻⁵²/ε; ε = 2e-5 balances
// the two near 2e-10 per unit of scale.
const padEps = 2e-5

// padErr bounds the error of one identity stage on values within s of
// the centre (see padEps), with a 1% margin for the centre's own rounding.
func padErr(s float64) float64 {
	eps := math.Nextafter(1, 2) - 1
	return 1.01 * s * (padEps*padEps/12 + 8*eps/padEps)
}

func centreScale(lo, hi float64) (m, s float64) {
	m, s = (lo+hi)/2, (hi-lo)/2
	if s <= 0 {
		s = math.Max(math.Abs(m), 1)
	}
	return m, s
}

// pad adds one layer to n without changing what it computes, beyond
// padErr: the output layer becomes a sigmoid layer in its linear regime,
// z = σ(ε (y − m)/s) per channel, with m and s the centre and half-width of
// the channel's per-element range, and a new output layer undoes it,
// y ≈ m + (4s/ε)(z − ½). This is the paper's "filling in with the
// identity", realised with sigmoids.
func pad(n *Net) *Net {
	c := n.clone()
	last := &c.layers[len(c.layers)-1]
	k := last.out
	next := newLayer(k, k, false)
	for o := 0; o < k; o++ {
		ch := &c.outs[o]
		m, s := centreScale(ch.elemLo, ch.elemHi)
		scale := padEps / s
		for i := 0; i < last.in; i++ {
			last.lambda[i*k+o] *= scale
			last.gamma[i*k+o] *= scale
		}
		last.beta[o] = (last.beta[o] - m) * scale
		next.lambda[o*k+o] = 4 * s / padEps
		next.beta[o] = m - 2*s/padEps
		e := padErr(s)
		ch.Err += e
		ch.elemLo -= e
		ch.elemHi += e
	}
	last.sigmoid = true
	c.layers = append(c.layers, next)
	return c
}

// Concat puts nets side by side (step 1 of Thm. 1): the result has the
// outputs of nets[0], then those of nets[1], and so on, each computed in
// its own channels. Layer i holds the units of layer i of every net, with
// Λ and Γ block-diagonal (the first layer shares the input). Nets of
// different depths are first padded with identity layers ([Concat] adds
// their small error to the channels). All nets must take the same number
// of features; the result's box is the intersection of their boxes, where
// every channel's bound holds.
func Concat(nets ...*Net) (*Net, error) {
	if len(nets) == 0 {
		return nil, fmt.Errorf("%w: no networks to concatenate", ErrEmptySet)
	}
	depth := 0
	lo, hi := math.Inf(-1), math.Inf(1)
	for i, n := range nets {
		if n == nil {
			return nil, fmt.Errorf("%w: network %d is nil", ErrConfig, i)
		}
		if n.in != nets[0].in {
			return nil, fmt.Errorf("%w: network %d takes %d features, network 0 takes %d", ErrSize, i, n.in, nets[0].in)
		}
		depth = max(depth, n.Depth())
		lo, hi = math.Max(lo, n.lo), math.Min(hi, n.hi)
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("%w: the networks' boxes do not overlap", ErrInterval)
	}
	padded := make([]*Net, len(nets))
	for i, n := range nets {
		for n.Depth() < depth {
			n = pad(n)
		}
		padded[i] = n
	}
	out := &Net{in: nets[0].in, lo: lo, hi: hi}
	for d := 0; d < depth; d++ {
		in, width := 0, 0
		for _, n := range padded {
			in += n.layers[d].in
			width += n.layers[d].out
		}
		if d == 0 {
			in = out.in
		}
		l := newLayer(in, width, d < depth-1)
		rowOff, colOff := 0, 0
		for _, n := range padded {
			src := n.layers[d]
			for i := 0; i < src.in; i++ {
				for o := 0; o < src.out; o++ {
					l.lambda[(rowOff+i)*width+colOff+o] = src.lambda[i*src.out+o]
					l.gamma[(rowOff+i)*width+colOff+o] = src.gamma[i*src.out+o]
				}
			}
			copy(l.beta[colOff:], src.beta)
			if d > 0 {
				rowOff += src.in
			}
			colOff += src.out
		}
		out.layers = append(out.layers, l)
	}
	for _, n := range padded {
		out.outs = append(out.outs, n.outs...)
	}
	return out, nil
}

// Linear returns the network whose outputs are y_r = Σ_k a[r][k] F_k + c[r]
// for the outputs F_k of n: sums and scalings of invariant networks
// (step 1 of Thm. 1, with the mean readout being linear). The map is folded
// into n's output layer, so no layer is added. c may be nil for zeros.
// Errors add up as Σ_k |a[r][k]| Err_k; ranges follow by interval
// arithmetic.
func Linear(n *Net, a [][]float64, c []float64) (*Net, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", ErrConfig)
	}
	if len(a) == 0 {
		return nil, fmt.Errorf("%w: no output rows", ErrEmptySet)
	}
	if c != nil && len(c) != len(a) {
		return nil, fmt.Errorf("%w: %d offsets for %d outputs", ErrSize, len(c), len(a))
	}
	k := len(n.outs)
	for r, row := range a {
		if len(row) != k {
			return nil, fmt.Errorf("%w: row %d has %d coefficients, the network has %d outputs", ErrSize, r, len(row), k)
		}
		if err := checkFinite(fmt.Sprintf("row %d coefficient", r), row); err != nil {
			return nil, err
		}
	}
	if c != nil {
		if err := checkFinite("offset", c); err != nil {
			return nil, err
		}
	}
	res := n.clone()
	last := n.layers[len(n.layers)-1]
	rows := len(a)
	l := newLayer(last.in, rows, false)
	res.outs = make([]Channel, rows)
	for r, row := range a {
		for i := 0; i < last.in; i++ {
			var sl, sg float64
			for j, v := range row {
				sl += v * last.lambda[i*k+j]
				sg += v * last.gamma[i*k+j]
			}
			l.lambda[i*rows+r] = sl
			l.gamma[i*rows+r] = sg
		}
		var ch Channel
		if c != nil {
			l.beta[r] = c[r]
			ch.Lo, ch.Hi, ch.elemLo, ch.elemHi = c[r], c[r], c[r], c[r]
		}
		for j, v := range row {
			l.beta[r] += v * last.beta[j]
			src := n.outs[j]
			lo, hi := v*src.Lo, v*src.Hi
			elo, ehi := v*src.elemLo, v*src.elemHi
			if v < 0 {
				lo, hi, elo, ehi = hi, lo, ehi, elo
			}
			ch.Lo += lo
			ch.Hi += hi
			ch.elemLo += elo
			ch.elemHi += ehi
			ch.Err += math.Abs(v) * src.Err
		}
		res.outs[r] = ch
	}
	res.layers[len(res.layers)-1] = l
	return res, nil
}

// Sum returns the network computing a + b output by output: Concat puts
// them side by side, Linear adds the channels. Both must have the same
// number of outputs.
func Sum(a, b *Net) (*Net, error) {
	if a == nil || b == nil {
		return nil, fmt.Errorf("%w: nil network", ErrConfig)
	}
	k := len(a.outs)
	if len(b.outs) != k {
		return nil, fmt.Errorf("%w: sum of networks with %d and %d outputs", ErrSize, k, len(b.outs))
	}
	both, err := Concat(a, b)
	if err != nil {
		return nil, err
	}
	m := make([][]float64, k)
	for r := range m {
		m[r] = make([]float64, 2*k)
		m[r][r], m[r][k+r] = 1, 1
	}
	return Linear(both, m, nil)
}

// Multiply returns the network computing a·b output by output, for
// networks with positive outputs: [Product] of [Concat](a, b) with the
// monomials {k, K+k}.
func Multiply(a, b *Net, tol float64) (*Net, error) {
	if a == nil || b == nil {
		return nil, fmt.Errorf("%w: nil network", ErrConfig)
	}
	k := len(a.outs)
	if len(b.outs) != k {
		return nil, fmt.Errorf("%w: product of networks with %d and %d outputs", ErrSize, k, len(b.outs))
	}
	both, err := Concat(a, b)
	if err != nil {
		return nil, err
	}
	mono := make([][]int, k)
	for r := range mono {
		mono[r] = []int{r, k + r}
	}
	return Product(both, mono, tol)
}

// Product returns the network of step 2 of Thm. 1: for each monomial (a
// list of output indices of n, repeats allowed) one output approximating
// the product of those outputs, Π_{k∈M} F_k. The outputs used in products
// must be positive on the box: their range less their error must lie above
// zero (else [ErrNotPositive]; shift a network by a constant with [Linear]
// first).
//
// Two sigmoid layers replace n's output layer:
//
//   - the log layer: for each factor F_k, the hidden units of a
//     [Shallow] fit ℓ_k of log on [Lo_k − Err_k, Hi_k + Err_k]. F_k is
//     the readout of n, the mean over the set of n's last layer, so each
//     unit reads it through Γ (the ρ(x) term of Eq. 12), and every
//     element sees the same value;
//   - the exp layer: for each monomial, the hidden units of a fit ê of exp
//     on the range of S = Σ_{k∈M} ℓ_k(F_k), reading S as a linear map of
//     the log layer;
//
// and the output layer holds the fits' output weights: ê(Σ_k log F_k) =
// Π_k F_k. A monomial with one factor is passed through both layers as
// the identity (see [Concat]); an empty monomial is the constant 1.
//
// Error: if n's outputs are within E_k of their targets F*_k, each product
// is within
//
//	η + e^ω Σ_{k∈M} (δ_k + E_k/(Lo_k − E_k))
//
// of Π F*_k, with δ_k and η the bounds of the log and exp fits and ω the
// top of the exp fit's interval. The inherited part, e^ω Σ E_k/(Lo_k−E_k),
// is fixed by n; Product chooses the fits so that the rest is at most tol.
func Product(n *Net, monomials [][]int, tol float64) (*Net, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", ErrConfig)
	}
	if len(monomials) == 0 {
		return nil, fmt.Errorf("%w: no monomials", ErrEmptySet)
	}
	if err := checkTol(tol); err != nil {
		return nil, err
	}
	k := len(n.outs)
	var logCh, passCh []int // channels needing a log fit, channels passed through
	for mi, m := range monomials {
		for _, c := range m {
			if c < 0 || c >= k {
				return nil, fmt.Errorf("%w: monomial %d uses output %d of a network with %d", ErrSize, mi, c, k)
			}
		}
		switch {
		case len(m) == 1:
			if !slices.Contains(passCh, m[0]) {
				passCh = append(passCh, m[0])
			}
		case len(m) > 1:
			for _, c := range m {
				if !slices.Contains(logCh, c) {
					logCh = append(logCh, c)
				}
			}
		}
	}
	for _, c := range logCh {
		if ch := n.outs[c]; !(ch.Lo-ch.Err > 0) {
			return nil, fmt.Errorf("%w: output %d lies in [%.3g, %.3g] with error %.3g", ErrNotPositive, c, ch.Lo, ch.Hi, ch.Err)
		}
	}
	for _, c := range passCh {
		ch := n.outs[c]
		if _, s := centreScale(ch.Lo-ch.Err, ch.Hi+ch.Err); 2*padErr(s) > tol {
			return nil, fmt.Errorf("%w: passing output %d through costs %.3g > tol %.3g", ErrUnreachable, c, 2*padErr(s), tol)
		}
	}

	// Exponents per monomial, and ω0, the top of each exp interval
	// before the log fits' own error.
	type mono struct {
		mult     map[int]int
		deg      int
		inherit  float64 // Σ μ_k E_k/a_k
		logLo    float64 // Σ μ_k log Lo_k
		logHi    float64 // Σ μ_k log Hi_k
		fit      *Shallow
		lambda   float64 // Λ_M, the bound on |S̃ − log Π F*|
		expTopHi float64 // ω
	}
	ms := make([]mono, len(monomials))
	delta := math.Inf(1)
	for i, m := range monomials {
		mm := mono{mult: map[int]int{}, deg: len(m)}
		for _, c := range m {
			mm.mult[c]++
		}
		if mm.deg > 1 {
			for c, mu := range mm.mult {
				ch := n.outs[c]
				mm.inherit += float64(mu) * ch.Err / (ch.Lo - ch.Err)
				mm.logLo += float64(mu) * math.Log(ch.Lo)
				mm.logHi += float64(mu) * math.Log(ch.Hi)
			}
			omega0 := mm.logHi + mm.inherit + tol
			if omega0 > 700 {
				return nil, fmt.Errorf("%w: product %d would reach e^%.0f", ErrNonFinite, i, omega0)
			}
			// A quarter of the budget to the log fits.
			delta = math.Min(delta, tol/(4*math.Exp(omega0)*float64(mm.deg)))
		}
		ms[i] = mm
	}

	logFits := map[int]*Shallow{}
	for _, c := range logCh {
		ch := n.outs[c]
		a, b := ch.Lo-ch.Err, ch.Hi+ch.Err
		fit, err := FitShallowTol(Func{F: math.Log, Lo: a, Hi: b, Curv: 1 / (a * a)}, delta)
		if err != nil {
			return nil, fmt.Errorf("approx: log fit for output %d: %w", c, err)
		}
		logFits[c] = fit
	}
	for i := range ms {
		mm := &ms[i]
		if mm.deg < 2 {
			continue
		}
		mm.lambda = mm.inherit
		added := 0.0
		for c, mu := range mm.mult {
			added += float64(mu) * logFits[c].Bound
		}
		mm.lambda += added
		alpha, omega := mm.logLo-mm.lambda, mm.logHi+mm.lambda
		mm.expTopHi = omega
		eta := tol - math.Exp(omega)*added
		if eta <= 0 {
			return nil, fmt.Errorf("%w: log fits leave no budget for monomial %d", ErrUnreachable, i)
		}
		fit, err := FitShallowTol(Func{F: math.Exp, Lo: alpha, Hi: omega, Curv: math.Exp(omega)}, eta)
		if err != nil {
			return nil, fmt.Errorf("approx: exp fit for monomial %d: %w", i, err)
		}
		mm.fit = fit
	}

	// The log layer: units of each log fit, then one pass unit per
	// passed channel. It reads F_c = β_c + ρ(h)(Λ + Γ)_{:,c} of n's last
	// layer through Γ.
	last := n.layers[len(n.layers)-1]
	logWidth := len(passCh)
	logOff := map[int]int{}
	for _, c := range logCh {
		logOff[c] = logWidth - len(passCh)
		logWidth += logFits[c].Width()
	}
	lg := newLayer(last.in, logWidth, true)
	// pass units first, at columns 0..len(passCh)-1
	passM, passS := map[int]float64{}, map[int]float64{}
	readInto := func(col int, scale, shift float64, c int) {
		for i := 0; i < last.in; i++ {
			lg.gamma[i*logWidth+col] = scale * (last.lambda[i*k+c] + last.gamma[i*k+c])
		}
		lg.beta[col] = scale*last.beta[c] + shift
	}
	for p, c := range passCh {
		ch := n.outs[c]
		m, s := centreScale(ch.Lo-ch.Err, ch.Hi+ch.Err)
		passM[c], passS[c] = m, s
		readInto(p, padEps/s, -padEps*m/s, c)
	}
	for _, c := range logCh {
		fit := logFits[c]
		for j := range fit.W {
			readInto(len(passCh)+logOff[c]+j, fit.W[j], fit.B[j], c)
		}
	}

	// The exp layer: one pass unit per passed channel, then the units of
	// each monomial's exp fit, reading S = Σ μ_c (c0_c + Σ_j C_cj u_cj)
	// through Λ (every element holds the same u).
	expWidth := len(passCh)
	expOff := make([]int, len(ms))
	for i, mm := range ms {
		expOff[i] = expWidth
		if mm.fit != nil {
			expWidth += mm.fit.Width()
		}
	}
	ex := newLayer(logWidth, expWidth, true)
	for p := range passCh {
		ex.lambda[p*expWidth+p] = 4
		ex.beta[p] = -2
	}
	for i, mm := range ms {
		if mm.fit == nil {
			continue
		}
		for u := range mm.fit.W {
			col := expOff[i] + u
			v := mm.fit.W[u]
			ex.beta[col] = mm.fit.B[u]
			for c, mu := range mm.mult {
				lf := logFits[c]
				ex.beta[col] += v * float64(mu) * lf.C0
				for j, cj := range lf.C {
					row := len(passCh) + logOff[c] + j
					ex.lambda[row*expWidth+col] += v * float64(mu) * cj
				}
			}
		}
	}

	// The output layer.
	outs := len(monomials)
	ol := newLayer(expWidth, outs, false)
	res := &Net{in: n.in, lo: n.lo, hi: n.hi}
	for _, l := range n.layers[:len(n.layers)-1] {
		res.layers = append(res.layers, l.clone())
	}
	res.outs = make([]Channel, outs)
	for i, m := range monomials {
		mm := ms[i]
		var ch Channel
		switch {
		case mm.deg == 0:
			ol.beta[i] = 1
			ch = Channel{Lo: 1, Hi: 1}
		case mm.deg == 1:
			c := m[0]
			p := slices.Index(passCh, c)
			s := passS[c]
			ol.lambda[p*outs+i] = 4 * s / padEps
			ol.beta[i] = passM[c] - 2*s/padEps
			src := n.outs[c]
			ch = Channel{Lo: src.Lo, Hi: src.Hi, Err: src.Err + 2*padErr(s*(1+padEps))}
		default:
			for u, d := range mm.fit.C {
				ol.lambda[(expOff[i]+u)*outs+i] = d
			}
			ol.beta[i] = mm.fit.C0
			ch = Channel{Lo: math.Exp(mm.logLo), Hi: math.Exp(mm.logHi),
				Err: mm.fit.Bound + math.Exp(mm.expTopHi)*mm.lambda}
			// Lo and Hi as products rather than exponentials, where that
			// is exact.
			plo, phi := 1.0, 1.0
			for c, mu := range mm.mult {
				for r := 0; r < mu; r++ {
					plo *= n.outs[c].Lo
					phi *= n.outs[c].Hi
				}
			}
			ch.Lo, ch.Hi = plo, phi
		}
		// Every element holds the same value from the log layer on.
		ch.elemLo, ch.elemHi = ch.Lo-ch.Err, ch.Hi+ch.Err
		res.outs[i] = ch
	}
	res.layers = append(res.layers, lg, ex, ol)
	return res, nil
}
