package equivariant

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/fused"
	"github.com/symnet/symnet/invariant"
)

// Conv2DConfig describes a [Conv2D] layer.
type Conv2DConfig struct {
	// InChannels and OutChannels are C and L.
	InChannels, OutChannels int
	// Kernel is the side of the square kernels; 0 means 3, the paper's
	// choice. It must be odd, so that padding (Kernel−1)/2 keeps H×W.
	Kernel int
	// SetSize, Activation, Rho, Init, Dtype, Name and Rand are as in
	// [DenseConfig]; the default name is "eqconv".
	SetSize    int
	Activation Activation
	Rho        invariant.Reduction
	Init       Init
	Dtype      tensor.Dtype
	Name       string
	Rand       *rand.Rand
}

// Conv2D is the convolutional equivariant layer of Sec. 4.3 (Figure 1),
//
//	φ(x)_b = μ(β + conv_Λ(x_b) + conv_Γ(ρ(x))),
//
// on a set of B images x of shape (B, C, H, W), where ρ(x) is the pooled
// feature map (by default the mean image of the set). Stride 1 and padding
// (k−1)/2 keep H×W. Both convolutions are fused.Conv2D, which computes
// gorgonia.Conv2d's result without its transposes.
type Conv2D struct {
	// Lambda and Gamma are (L, C, k, k) kernels; Beta is (1, L, 1, 1).
	Lambda, Gamma, Beta *gorgonia.Node

	in, out, kernel int
	activation      Activation
	rho             invariant.Reduction
}

// NewConv2D creates the parameters of a Conv2D layer in g.
func NewConv2D(g *gorgonia.ExprGraph, cfg Conv2DConfig) (*Conv2D, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	k := cfg.Kernel
	if k == 0 {
		k = 3
	}
	if cfg.InChannels < 1 || cfg.OutChannels < 1 {
		return nil, fmt.Errorf("%w: conv channels %d→%d", ErrConfig, cfg.InChannels, cfg.OutChannels)
	}
	if k < 1 || k%2 == 0 {
		return nil, fmt.Errorf("%w: kernel %d (want odd ≥ 1, so that padding keeps H×W)", ErrConfig, k)
	}
	if cfg.SetSize < 1 {
		return nil, fmt.Errorf("%w: set size %d for the reweighting (want ≥ 1)", ErrConfig, cfg.SetSize)
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
		name = uniqueName(g, "eqconv", ".Lambda", ".Gamma", ".Beta")
	}
	rho := cfg.Rho
	if rho == nil {
		rho = invariant.Mean
	}
	if err := checkNames(g, name+".Lambda", name+".Gamma", name+".Beta"); err != nil {
		return nil, err
	}

	lw, gw := Reweighting(cfg.SetSize)
	fanIn, fanOut := cfg.InChannels*k*k, cfg.OutChannels*k*k
	shape := []int{cfg.OutChannels, cfg.InChannels, k, k}
	return &Conv2D{
		Lambda:     param(g, name+".Lambda", drawWeights(cfg.Rand, dt, scheme, fanIn, fanOut, lw, shape...)),
		Gamma:      param(g, name+".Gamma", drawWeights(cfg.Rand, dt, scheme, fanIn, fanOut, gw, shape...)),
		Beta:       param(g, name+".Beta", tensor.New(tensor.WithShape(1, cfg.OutChannels, 1, 1), tensor.Of(dt))),
		in:         cfg.InChannels,
		out:        cfg.OutChannels,
		kernel:     k,
		activation: cfg.Activation,
		rho:        rho,
	}, nil
}

// Learnables returns Λ, Γ and β.
func (c *Conv2D) Learnables() gorgonia.Nodes { return gorgonia.Nodes{c.Lambda, c.Gamma, c.Beta} }

// Forward builds φ(x) for x of shape (B, C, H, W). mask, if not nil, has
// shape (B) and marks real images with 1.
func (c *Conv2D) Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	if err := checkInput(x, c.Lambda.Dtype(), -1, 4); err != nil {
		return nil, err
	}
	if x.Shape()[1] != c.in {
		return nil, fmt.Errorf("%w: input %q has %d channels, layer takes %d", ErrShape, x.Name(), x.Shape()[1], c.in)
	}
	out, err := c.forward(x, mask)
	if err != nil {
		return nil, fmt.Errorf("equivariant: conv %s on %v: %w", c.Lambda.Name(), x.Shape(), err)
	}
	return out, nil
}

func (c *Conv2D) forward(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	// ρ first, as in Dense: it validates the set before the graph grows.
	opts := []invariant.Option{invariant.KeepSetAxis(), invariant.SetAxis(0)}
	if mask != nil {
		opts = append(opts, invariant.WithMask(mask))
	}
	pooled, err := c.rho(x, opts...) // (1, C, H, W)
	if err != nil {
		return nil, err
	}
	pg, err := fused.Conv2D(pooled, c.Gamma) // (1, L, H, W)
	if err != nil {
		return nil, err
	}
	setTerm, err := fused.AddChannels(pg, c.Beta) // conv_Γ(ρ(x)) + β, (1, L, H, W)
	if err != nil {
		return nil, err
	}
	xl, err := fused.Conv2D(x, c.Lambda) // (B, L, H, W)
	if err != nil {
		return nil, err
	}
	// The set term is added to every image in one pass: as rows of
	// L·H·W entries, it is AddRows's bias. μ stays gorgonia's, whose
	// derivative at 0 is 1, reached exactly where the images are 0.
	shape := xl.Shape().Clone()
	flat, err := gorgonia.Reshape(xl, tensor.Shape{shape[0], shape.TotalSize() / shape[0]})
	if err != nil {
		return nil, err
	}
	row, err := gorgonia.Reshape(setTerm, tensor.Shape{1, shape.TotalSize() / shape[0]})
	if err != nil {
		return nil, err
	}
	pre, err := fused.AddRows(flat, row)
	if err != nil {
		return nil, err
	}
	if pre, err = gorgonia.Reshape(pre, shape); err != nil {
		return nil, err
	}
	return c.activation.apply(pre)
}
