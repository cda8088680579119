package equivariant

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/invariant"
)

// Layer is a permutation-equivariant map of a set: [Dense], [Conv2D] and
// [Linear] are Layers.
type Layer interface {
	// Forward builds the layer's output for x; mask (nil for full sets)
	// marks the real rows as in package invariant.
	Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error)
	// Learnables returns the layer's parameters.
	Learnables() gorgonia.Nodes
}

// Stack applies its layers in order. A stack of equivariant layers is
// equivariant.
type Stack []Layer

// Forward builds the stack's output, passing the same mask to every layer.
func (s Stack) Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	var err error
	for _, l := range s {
		if x, err = l.Forward(x, mask); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// Learnables returns the parameters of every layer, in order.
func (s Stack) Learnables() gorgonia.Nodes {
	var out gorgonia.Nodes
	for _, l := range s {
		out = append(out, l.Learnables()...)
	}
	return out
}

// Network is the invariant network of Eq. 10: an equivariant stack, a
// reduction over the set axis, and an optional per-set head,
//
//	f(x) = head(ρ_out((φ_p ∘ … ∘ φ_0)(x))).
//
// With the mean as ρ_out and no head this is (1/B) Σ_b (φ_p ∘ … ∘ φ_0)(x)_b,
// the paper's form. Networks of Conv2D layers fit too: the pooled feature
// maps are flattened before the head.
type Network struct {
	Stack   Stack
	Readout invariant.Reduction // nil means invariant.Mean
	Head    Stack               // applied per set; may be empty
}

// NetworkConfig describes a network of [Dense] layers and a [Linear] head.
type NetworkConfig struct {
	// In is the element feature size n.
	In int
	// Widths are the output sizes of the equivariant layers, at least one.
	Widths []int
	// Head are the output sizes of the per-set dense layers after the
	// readout; empty for none.
	Head []int
	// Activation is used on every layer but the last; OutputActivation
	// (zero value Identity) on the last layer of the whole network. The
	// paper's Thm. 1 uses Sigmoid; its experiments use ReLU.
	Activation, OutputActivation Activation
	// Rho is the pooling inside the equivariant layers and Readout the
	// final one; nil means invariant.Mean for both.
	Rho, Readout invariant.Reduction
	// SetSize, Init, Dtype and Rand are passed to every layer. Name
	// prefixes the layers' names (Name.eq0, …, Name.head0, …); the default
	// is "eqnet", made unique in the graph.
	SetSize int
	Init    Init
	Dtype   tensor.Dtype
	Name    string
	Rand    *rand.Rand
}

// NewNetwork builds the layers of an invariant network in g.
func NewNetwork(g *gorgonia.ExprGraph, cfg NetworkConfig) (*Network, error) {
	if len(cfg.Widths) == 0 {
		return nil, fmt.Errorf("%w: network without equivariant layers", ErrConfig)
	}
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	name := cfg.Name
	if name == "" {
		name = uniqueName(g, "eqnet", ".eq0.Lambda")
	}
	// Refuse a taken name before creating any layer, so a failed build
	// leaves the graph unchanged.
	var names []string
	for i := range cfg.Widths {
		p := fmt.Sprintf("%s.eq%d", name, i)
		names = append(names, p+".Lambda", p+".Gamma", p+".Beta")
	}
	for i := range cfg.Head {
		p := fmt.Sprintf("%s.head%d", name, i)
		names = append(names, p+".W", p+".B")
	}
	if err := checkNames(g, names...); err != nil {
		return nil, err
	}

	last := len(cfg.Widths) + len(cfg.Head) - 1
	act := func(i int) Activation {
		if i == last {
			return cfg.OutputActivation
		}
		return cfg.Activation
	}
	net := &Network{Readout: cfg.Readout}
	in := cfg.In
	for i, w := range cfg.Widths {
		d, err := NewDense(g, DenseConfig{
			In: in, Out: w, SetSize: cfg.SetSize, Activation: act(i), Rho: cfg.Rho,
			Init: cfg.Init, Dtype: cfg.Dtype, Name: fmt.Sprintf("%s.eq%d", name, i), Rand: cfg.Rand,
		})
		if err != nil {
			return nil, err
		}
		net.Stack = append(net.Stack, d)
		in = w
	}
	for i, w := range cfg.Head {
		l, err := NewLinear(g, LinearConfig{
			In: in, Out: w, Activation: act(len(cfg.Widths) + i),
			Init: cfg.Init, Dtype: cfg.Dtype, Name: fmt.Sprintf("%s.head%d", name, i), Rand: cfg.Rand,
		})
		if err != nil {
			return nil, err
		}
		net.Head = append(net.Head, l)
		in = w
	}
	return net, nil
}

// check validates everything the layers would, so that NewNetwork fails
// before it creates any node rather than after some layers exist.
func (cfg NetworkConfig) check() error {
	if cfg.In < 1 {
		return fmt.Errorf("%w: network input size %d", ErrConfig, cfg.In)
	}
	for i, w := range cfg.Widths {
		if w < 1 {
			return fmt.Errorf("%w: width %d of equivariant layer %d", ErrConfig, w, i)
		}
	}
	for i, w := range cfg.Head {
		if w < 1 {
			return fmt.Errorf("%w: width %d of head layer %d", ErrConfig, w, i)
		}
	}
	if cfg.SetSize < 1 {
		return fmt.Errorf("%w: set size %d for the reweighting (want ≥ 1)", ErrConfig, cfg.SetSize)
	}
	if !cfg.Activation.valid() || !cfg.OutputActivation.valid() {
		return fmt.Errorf("%w: activations %v, %v", ErrConfig, cfg.Activation, cfg.OutputActivation)
	}
	if !cfg.Init.valid() {
		return fmt.Errorf("%w: init %v", ErrConfig, cfg.Init)
	}
	if cfg.Rand == nil {
		return fmt.Errorf("%w: nil Rand", ErrConfig)
	}
	if cfg.Dtype != (tensor.Dtype{}) {
		return checkDtype(cfg.Dtype)
	}
	return nil
}

// Learnables returns the parameters of the stack, then of the head.
func (n *Network) Learnables() gorgonia.Nodes {
	return append(n.Stack.Learnables(), n.Head.Learnables()...)
}

// Elements builds the output of the equivariant stack alone: one output row
// per element, (B, L) or (N, B, L). Losses that score elements before
// averaging (the paper's M-BGAN, Eq. 14) start from here.
func (n *Network) Elements(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	return n.Stack.Forward(x, mask)
}

// Forward builds f(x): for one set (B, n) a vector of the last layer's
// size, for N sets (N, B, n) a matrix with one row per set. The readout
// uses the set axis that package invariant assigns to the input's rank.
func (n *Network) Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	if x == nil {
		return nil, ErrNilNode
	}
	rank := x.Shape().Dims()
	h, err := n.Stack.Forward(x, mask)
	if err != nil {
		return nil, err
	}
	readout := n.Readout
	if readout == nil {
		readout = invariant.Mean
	}
	axis, ok := invariant.DefaultSetAxis(rank)
	if !ok {
		return nil, fmt.Errorf("%w: input of rank %d", ErrShape, rank)
	}
	opts := []invariant.Option{invariant.SetAxis(axis)}
	if mask != nil {
		opts = append(opts, invariant.WithMask(mask))
	}
	pooled, err := readout(h, opts...)
	if err != nil {
		return nil, fmt.Errorf("equivariant: network readout: %w", err)
	}
	// Flatten what follows the set axis, so that image sets reach the head
	// as feature vectors.
	ps := pooled.Shape()
	want := tensor.Shape{ps.TotalSize()}
	if axis == 1 {
		want = tensor.Shape{ps[0], ps.TotalSize() / ps[0]}
	}
	if !ps.Eq(want) {
		if pooled, err = gorgonia.Reshape(pooled, want); err != nil {
			return nil, fmt.Errorf("equivariant: network readout: %w", err)
		}
	}
	return n.Head.Forward(pooled, nil)
}
