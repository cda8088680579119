package equivariant

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// LinearConfig describes a [Linear] layer.
type LinearConfig struct {
	In, Out    int
	Activation Activation
	Init       Init
	// Dtype, Name and Rand are as in [DenseConfig]; the default name is
	// "linear".
	Dtype tensor.Dtype
	Name  string
	Rand  *rand.Rand
}

// Linear is an ordinary dense layer μ(β + x W) applied to each row on its
// own. It serves as the per-set head of a [Network], as the pointwise
// baseline of the paper's comparisons, and, since it treats rows
// independently, as a trivially equivariant [Layer].
type Linear struct {
	// W is n×L, B is 1×L.
	W, B *gorgonia.Node

	in, out    int
	activation Activation
}

// NewLinear creates the parameters of a Linear layer in g, drawn by the
// chosen scheme (no reweighting: there is no set term).
func NewLinear(g *gorgonia.ExprGraph, cfg LinearConfig) (*Linear, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	if cfg.In < 1 || cfg.Out < 1 {
		return nil, fmt.Errorf("%w: linear sizes %d→%d", ErrConfig, cfg.In, cfg.Out)
	}
	if !cfg.Activation.valid() {
		return nil, fmt.Errorf("%w: activation %v", ErrConfig, cfg.Activation)
	}
	if !cfg.Init.valid() {
		return nil, fmt.Errorf("%w: init %v", ErrConfig, cfg.Init)
	}
	if cfg.Rand == nil {
		return nil, fmt.Errorf("%w: nil Rand", ErrConfig)
	}
	dt := cfg.Dtype
	if dt == (tensor.Dtype{}) {
		dt = tensor.Float64
	}
	if err := checkDtype(dt); err != nil {
		return nil, err
	}
	scheme := cfg.Init
	if scheme == DefaultInit {
		scheme = cfg.Activation.defaultInit()
	}
	name := cfg.Name
	if name == "" {
		name = uniqueName(g, "linear", ".W", ".B")
	}
	if err := checkNames(g, name+".W", name+".B"); err != nil {
		return nil, err
	}
	return &Linear{
		W:          param(g, name+".W", drawWeights(cfg.Rand, dt, scheme, cfg.In, cfg.Out, 1, cfg.In, cfg.Out)),
		B:          param(g, name+".B", tensor.New(tensor.WithShape(1, cfg.Out), tensor.Of(dt))),
		in:         cfg.In,
		out:        cfg.Out,
		activation: cfg.Activation,
	}, nil
}

// Learnables returns W and B.
func (l *Linear) Learnables() gorgonia.Nodes { return gorgonia.Nodes{l.W, l.B} }

// Forward applies the layer to every row of x, of shape (n), (M, n) or
// (N, B, n); the mask is ignored, since rows do not interact.
func (l *Linear) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) {
	if err := checkInput(x, l.W.Dtype(), l.in, 1, 2, 3); err != nil {
		return nil, err
	}
	out, err := l.forward(x)
	if err != nil {
		return nil, fmt.Errorf("equivariant: linear %s on %v: %w", l.W.Name(), x.Shape(), err)
	}
	return out, nil
}

func (l *Linear) forward(x *gorgonia.Node) (*gorgonia.Node, error) {
	shape := x.Shape()
	rows := shape.TotalSize() / l.in
	flat := x
	var err error
	if shape.Dims() != 2 {
		if flat, err = gorgonia.Reshape(x, tensor.Shape{rows, l.in}); err != nil {
			return nil, err
		}
	}
	y, err := gorgonia.Mul(flat, l.W)
	if err != nil {
		return nil, err
	}
	// Reshape before μ, as in Dense.forward: gorgonia's Reshape shares
	// its input's tensor, which μ's backward pass may need intact.
	if shape.Dims() != 2 {
		outShape := shape.Clone()
		outShape[len(outShape)-1] = l.out
		if y, err = gorgonia.Reshape(y, outShape); err != nil {
			return nil, err
		}
	}
	return l.activation.addRows(y, l.B)
}
