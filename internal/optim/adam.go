package optim

import (
	"errors"
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var (
	// ErrConfig reports invalid hyper-parameters or parameter lists.
	ErrConfig = errors.New("optim: invalid configuration")
	// ErrGradient reports a missing, mis-shaped or non-finite gradient.
	ErrGradient = errors.New("optim: bad gradient")
	// ErrState reports an optimiser state that does not fit the parameters.
	ErrState = errors.New("optim: state does not match the parameters")
)

// AdamConfig holds Adam's hyper-parameters. A zero field means PyTorch's
// default: LR 1e-3, Beta1 0.9, Beta2 0.999, Eps 1e-8.
type AdamConfig struct {
	LR, Beta1, Beta2, Eps float64
}

// WithDefaults returns c with its zero fields replaced by the defaults.
func (c AdamConfig) WithDefaults() AdamConfig {
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-8
	}
	return c
}

// Check reports whether the configuration, after defaults, is usable:
// LR > 0, 0 ≤ Beta1, Beta2 < 1, Eps > 0, all finite.
func (c AdamConfig) Check() error {
	c = c.WithDefaults()
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !finite(c.LR) || c.LR <= 0 || !finite(c.Eps) || c.Eps <= 0 ||
		!(c.Beta1 >= 0 && c.Beta1 < 1) || !(c.Beta2 >= 0 && c.Beta2 < 1) {
		return fmt.Errorf("%w: Adam lr %v, betas %v/%v, eps %v", ErrConfig, c.LR, c.Beta1, c.Beta2, c.Eps)
	}
	return nil
}

// Adam updates parameters in place with PyTorch's form of the update,
//
//	m ← β1 m + (1−β1) g,   v ← β2 v + (1−β2) g²,
//	θ ← θ − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε).
//
// Gradients are read from the parameter nodes' dual values, which a
// TapeMachine built with BindDualValues fills. gorgonia adds into those
// values across runs, so every successful step zeroes them.
type Adam struct {
	cfg    AdamConfig
	t      int
	params gorgonia.Nodes
	// One moment buffer pair per parameter, in the parameter's dtype:
	// float32 models keep float32 moments, as PyTorch does.
	moments []moments
}

type moments struct {
	m64, v64 []float64
	m32, v32 []float32
}

// NewAdam returns an Adam over params, each of which must hold a float32 or
// float64 *tensor.Dense value.
func NewAdam(params gorgonia.Nodes, cfg AdamConfig) (*Adam, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("%w: no parameters", ErrConfig)
	}
	a := &Adam{cfg: cfg.WithDefaults(), params: params, moments: make([]moments, len(params))}
	for i, p := range params {
		d, ok := p.Value().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%w: parameter %q holds %T, want *tensor.Dense", ErrConfig, p.Name(), p.Value())
		}
		switch d.Dtype() {
		case tensor.Float64:
			a.moments[i] = moments{m64: make([]float64, d.Size()), v64: make([]float64, d.Size())}
		case tensor.Float32:
			a.moments[i] = moments{m32: make([]float32, d.Size()), v32: make([]float32, d.Size())}
		default:
			return nil, fmt.Errorf("%w: parameter %q has dtype %v", ErrConfig, p.Name(), d.Dtype())
		}
	}
	return a, nil
}

// Config returns the hyper-parameters in use, defaults filled in.
func (a *Adam) Config() AdamConfig { return a.cfg }

// SetLR changes the learning rate for the following steps (a schedule).
// A non-positive or non-finite rate is refused and nothing changes.
func (a *Adam) SetLR(lr float64) error {
	c := a.cfg
	c.LR = lr
	if lr == 0 {
		return fmt.Errorf("%w: Adam lr 0", ErrConfig)
	}
	if err := c.Check(); err != nil {
		return err
	}
	a.cfg = c
	return nil
}

// Steps returns the number of successful steps taken.
func (a *Adam) Steps() int { return a.t }

// Params returns the parameters the optimiser updates, in order.
func (a *Adam) Params() gorgonia.Nodes { return a.params }

// Step updates every parameter from its gradient and zeroes the gradient.
// If any gradient is missing, mis-shaped or not finite it returns an error
// wrapping ErrGradient and changes nothing: no parameter, moment or step
// count moves.
func (a *Adam) Step() error { return a.StepNodes(a.params) }

// StepNodes is Step with the gradients read from nodes, which must match
// the parameters one to one in order, dtype and size. A model rebuilt in
// several graphs on the same weight tensors (equivariant's ShareIn) has one
// node, and so one gradient, per graph; StepNodes applies the gradient of
// whichever graph just ran, with one set of moments for all of them. The
// values updated are those of nodes; pass nodes that share their weight
// tensors with the parameters.
func (a *Adam) StepNodes(nodes gorgonia.Nodes) error {
	grads, err := a.gradients(nodes)
	if err != nil {
		return err
	}
	a.t++
	c := a.cfg
	bc1 := 1 - math.Pow(c.Beta1, float64(a.t))
	bc2 := math.Sqrt(1 - math.Pow(c.Beta2, float64(a.t)))
	lr := c.LR / bc1
	for i, p := range nodes {
		mo := &a.moments[i]
		switch w := p.Value().Data().(type) {
		case []float64:
			update64(w, grads[i].Data().([]float64), mo.m64, mo.v64, c.Beta1, c.Beta2, lr, bc2, c.Eps)
		case []float32:
			update32(w, grads[i].Data().([]float32), mo.m32, mo.v32, float32(c.Beta1), float32(c.Beta2), float32(lr), float32(bc2), float32(c.Eps))
		}
	}
	return nil
}

// update64 and update32 apply one Adam step to w and zero g. They are
// written out per type, not as one generic function with a square root
// passed in, so that the square root compiles to one instruction instead
// of a call per entry.
func update64(w, g, m, v []float64, b1, b2, lr, bc2, eps float64) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	c1, c2 := 1-b1, 1-b2
	for j, gj := range g {
		mj := b1*m[j] + c1*gj
		vj := b2*v[j] + c2*gj*gj
		m[j], v[j] = mj, vj
		w[j] -= lr * mj / (math.Sqrt(vj)/bc2 + eps)
	}
	clear(g)
}

func update32(w, g, m, v []float32, b1, b2, lr, bc2, eps float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	c1, c2 := 1-b1, 1-b2
	for j, gj := range g {
		mj := b1*m[j] + c1*gj
		vj := b2*v[j] + c2*gj*gj
		m[j], v[j] = mj, vj
		// The compiler turns this conversion pattern into a float32
		// square root.
		w[j] -= lr * mj / (float32(math.Sqrt(float64(vj)))/bc2 + eps)
	}
	clear(g)
}

// gradients collects and checks every gradient before anything moves.
func (a *Adam) gradients(nodes gorgonia.Nodes) ([]*tensor.Dense, error) {
	if len(nodes) != len(a.params) {
		return nil, fmt.Errorf("%w: Adam over %d parameters given %d nodes", ErrConfig, len(a.params), len(nodes))
	}
	grads := make([]*tensor.Dense, len(nodes))
	for i, p := range nodes {
		w, ok := p.Value().(*tensor.Dense)
		if !ok || w.Dtype() != a.params[i].Dtype() || w.Size() != a.moments[i].size() {
			return nil, fmt.Errorf("%w: node %q does not match parameter %q", ErrConfig, p.Name(), a.params[i].Name())
		}
		gv, err := p.Grad()
		if err != nil {
			return nil, fmt.Errorf("%w: %q has none (%v)", ErrGradient, p.Name(), err)
		}
		g, ok := gv.(*tensor.Dense)
		if !ok || g.Dtype() != w.Dtype() || g.Size() != w.Size() {
			return nil, fmt.Errorf("%w: gradient of %q does not match the parameter's dtype and size", ErrGradient, p.Name())
		}
		if j, x, bad := firstNonFinite(g); bad {
			return nil, fmt.Errorf("%w: gradient of %q entry %d is %v", ErrGradient, p.Name(), j, x)
		}
		grads[i] = g
	}
	return grads, nil
}

func (m moments) size() int {
	if m.m64 != nil {
		return len(m.m64)
	}
	return len(m.m32)
}

// firstNonFinite finds the first NaN or infinity in t: an entry whose
// exponent bits are all ones. Testing the bits costs half of what
// math.IsNaN and math.IsInf on a widened float32 cost.
func firstNonFinite(t *tensor.Dense) (int, float64, bool) {
	switch d := t.Data().(type) {
	case []float64:
		for i, x := range d {
			if math.Float64bits(x)&0x7ff0000000000000 == 0x7ff0000000000000 {
				return i, x, true
			}
		}
	case []float32:
		for i, x := range d {
			if math.Float32bits(x)&0x7f800000 == 0x7f800000 {
				return i, float64(x), true
			}
		}
	}
	return 0, 0, false
}

// ZeroGrads sets every parameter's gradient to zero, for a caller that
// discards a step's gradients (after Step refused them, say).
func (a *Adam) ZeroGrads() {
	for _, p := range a.params {
		gv, err := p.Grad()
		if err != nil {
			continue
		}
		if g, ok := gv.(*tensor.Dense); ok {
			g.Zero()
		}
	}
}
