package equivariant

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Sharer is a [Layer] that can be rebuilt in another graph on the same
// weight tensors. Gorgonia allows one Grad per graph, so a GAN builds its
// discriminator twice, once in the discriminator's training graph and once
// in the generator's; with shared tensors an update made through one graph
// is seen by the other. [Dense], [Conv2D] and [Linear] are Sharers.
type Sharer interface {
	Layer
	// ShareIn returns the layer rebuilt in g: new nodes with the same
	// names, holding the same tensors (not copies).
	ShareIn(g *gorgonia.ExprGraph) (Layer, error)
}

// shareNodes creates in g one node per source node, with the same name and
// the same value tensor. Names are checked first, so that a refusal leaves
// g unchanged.
func shareNodes(g *gorgonia.ExprGraph, src ...*gorgonia.Node) ([]*gorgonia.Node, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	names := make([]string, len(src))
	for i, n := range src {
		if _, ok := n.Value().(*tensor.Dense); !ok {
			return nil, fmt.Errorf("%w: parameter %q holds %T, want *tensor.Dense", ErrConfig, n.Name(), n.Value())
		}
		if n.Graph() == g {
			return nil, fmt.Errorf("%w: parameter %q is already in this graph", ErrName, n.Name())
		}
		names[i] = n.Name()
	}
	if err := checkNames(g, names...); err != nil {
		return nil, err
	}
	out := make([]*gorgonia.Node, len(src))
	for i, n := range src {
		out[i] = param(g, n.Name(), n.Value().(*tensor.Dense))
	}
	return out, nil
}

// ShareIn rebuilds d in g on the same Λ, Γ and β tensors.
func (d *Dense) ShareIn(g *gorgonia.ExprGraph) (Layer, error) {
	p, err := shareNodes(g, d.Lambda, d.Gamma, d.Beta)
	if err != nil {
		return nil, err
	}
	c := *d
	c.Lambda, c.Gamma, c.Beta = p[0], p[1], p[2]
	return &c, nil
}

// ShareIn rebuilds c in g on the same Λ, Γ and β tensors.
func (c *Conv2D) ShareIn(g *gorgonia.ExprGraph) (Layer, error) {
	p, err := shareNodes(g, c.Lambda, c.Gamma, c.Beta)
	if err != nil {
		return nil, err
	}
	s := *c
	s.Lambda, s.Gamma, s.Beta = p[0], p[1], p[2]
	return &s, nil
}

// ShareIn rebuilds l in g on the same W and B tensors.
func (l *Linear) ShareIn(g *gorgonia.ExprGraph) (Layer, error) {
	p, err := shareNodes(g, l.W, l.B)
	if err != nil {
		return nil, err
	}
	s := *l
	s.W, s.B = p[0], p[1]
	return &s, nil
}

// ShareIn rebuilds every layer of s in g on the same tensors. Every layer
// must be a [Sharer]. Names are checked for all layers before any node is
// created.
func (s Stack) ShareIn(g *gorgonia.ExprGraph) (Stack, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	var names []string
	for i, l := range s {
		if _, ok := l.(Sharer); !ok {
			return nil, fmt.Errorf("%w: layer %d (%T) cannot be shared", ErrConfig, i, l)
		}
		for _, n := range l.Learnables() {
			names = append(names, n.Name())
		}
	}
	if err := checkNames(g, names...); err != nil {
		return nil, err
	}
	out := make(Stack, len(s))
	for i, l := range s {
		c, err := l.(Sharer).ShareIn(g)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// ShareIn rebuilds the network in g on the same tensors: the stack and the
// head are shared, the readout is kept.
func (n *Network) ShareIn(g *gorgonia.ExprGraph) (*Network, error) {
	all := append(append(Stack{}, n.Stack...), n.Head...)
	shared, err := all.ShareIn(g)
	if err != nil {
		return nil, err
	}
	return &Network{Stack: shared[:len(n.Stack)], Readout: n.Readout, Head: shared[len(n.Stack):]}, nil
}
