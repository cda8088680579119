package approx

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

// layer holds the explicit weights of one equivariant layer of Eq. 12,
// φ(x)_b = μ(β + x_b Λ + ρ(x) Γ) with ρ the mean: Λ and Γ are in×out,
// row-major, β has out entries, and μ is the sigmoid or (on the output
// layer) the identity.
type layer struct {
	in, out       int
	lambda, gamma []float64
	beta          []float64
	sigmoid       bool
}

func newLayer(in, out int, sigmoid bool) layer {
	return layer{
		in: in, out: out, sigmoid: sigmoid,
		lambda: make([]float64, in*out), gamma: make([]float64, in*out), beta: make([]float64, out),
	}
}

func (l layer) clone() layer {
	c := l
	c.lambda = append([]float64(nil), l.lambda...)
	c.gamma = append([]float64(nil), l.gamma...)
	c.beta = append([]float64(nil), l.beta...)
	return c
}

// Channel describes one output of a [Net]: what it approximates, and how
// well, for sets whose elements lie in the net's box.
type Channel struct {
	// Lo and Hi bound the exact (target) function over the box.
	Lo, Hi float64
	// Err bounds |output − target| over the box.
	Err float64
	// elemLo and elemHi bound the output layer's value on each element,
	// before the readout averages them; identity padding needs it.
	elemLo, elemHi float64
}

// Net is an invariant network of the paper's family (Eq. 10 with the
// layers of Eq. 12): sigmoid equivariant layers with the mean as ρ, a last
// equivariant layer without nonlinearity, and the mean over the set as
// readout,
//
//	f(x) = (1/B) Σ_b (φ_p ∘ … ∘ φ_0)(x)_b,
//
// with weights set explicitly by the constructions of Thm. 1 ([Average],
// [Concat], [Linear], [Sum], [Product], [Multiply], [Approximate]) rather
// than trained. Each output is described by a [Channel]: its target's
// range and a bound on the error, valid for sets of any size whose
// elements lie in the box [Lo, Hi]^In.
//
// [Net.Build] makes it an [equivariant.Network] in a gorgonia graph, and
// [Net.Eval] runs that network.
type Net struct {
	in     int
	lo, hi float64
	layers []layer
	outs   []Channel
}

// In returns the number of features per element.
func (n *Net) In() int { return n.in }

// Box returns the interval that every coordinate of every element must lie
// in for the channels' bounds to hold.
func (n *Net) Box() (lo, hi float64) { return n.lo, n.hi }

// Outputs returns a copy of the output channels.
func (n *Net) Outputs() []Channel { return append([]Channel(nil), n.outs...) }

// Depth returns the number of equivariant layers, the output layer
// included.
func (n *Net) Depth() int { return len(n.layers) }

// Widths returns the output size of every equivariant layer; the last is
// the number of outputs.
func (n *Net) Widths() []int {
	w := make([]int, len(n.layers))
	for i, l := range n.layers {
		w[i] = l.out
	}
	return w
}

// Hidden returns the total number of sigmoid units.
func (n *Net) Hidden() int {
	s := 0
	for _, l := range n.layers[:len(n.layers)-1] {
		s += l.out
	}
	return s
}

// Params returns the number of parameters of the equivariant network
// (Λ, Γ and β of every layer), as [Net.Build] creates them.
func (n *Net) Params() int {
	s := 0
	for _, l := range n.layers {
		s += 2*l.in*l.out + l.out
	}
	return s
}

// clone returns a deep copy.
func (n *Net) clone() *Net {
	c := &Net{in: n.in, lo: n.lo, hi: n.hi, outs: append([]Channel(nil), n.outs...)}
	for _, l := range n.layers {
		c.layers = append(c.layers, l.clone())
	}
	return c
}

// Build creates the network in g as an [equivariant.Network] of
// [equivariant.Dense] layers (sigmoid, the last one identity; mean ρ and
// mean readout; float64) named name.eq0, name.eq1, …, and writes the
// construction's weights into its parameters. name must not be used in g.
// The network takes one set (B, In) or N sets (N, B, In).
func (n *Net) Build(g *gorgonia.ExprGraph, name string) (*equivariant.Network, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	if name == "" {
		return nil, fmt.Errorf("%w: empty network name", ErrConfig)
	}
	net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: n.in, Widths: n.Widths(), Activation: equivariant.Sigmoid, OutputActivation: equivariant.Identity,
		SetSize: 1, Name: name, Dtype: tensor.Float64,
		// The drawn weights are overwritten below; the source only has
		// to exist.
		Rand: rand.New(rand.NewPCG(0, 0)),
	})
	if err != nil {
		return nil, fmt.Errorf("approx: building %q: %w", name, err)
	}
	for i, l := range n.layers {
		d, ok := net.Stack[i].(*equivariant.Dense)
		if !ok {
			return nil, fmt.Errorf("approx: layer %d of %q is %T, want *equivariant.Dense", i, name, net.Stack[i])
		}
		for _, p := range []struct {
			node *gorgonia.Node
			vals []float64
		}{{d.Lambda, l.lambda}, {d.Gamma, l.gamma}, {d.Beta, l.beta}} {
			t, ok := p.node.Value().(*tensor.Dense)
			if !ok {
				return nil, fmt.Errorf("approx: parameter %s holds %T", p.node.Name(), p.node.Value())
			}
			data, ok := t.Data().([]float64)
			if !ok || len(data) != len(p.vals) {
				return nil, fmt.Errorf("approx: parameter %s has %d float64 entries, want %d", p.node.Name(), len(data), len(p.vals))
			}
			copy(data, p.vals)
		}
	}
	return net, nil
}

// checkSets validates sets for evaluation: at least one set, each with at
// least one element, rows of length in, finite values.
func checkSets(sets [][][]float64, in int) error {
	if len(sets) == 0 {
		return fmt.Errorf("%w: no sets", ErrEmptySet)
	}
	for s, set := range sets {
		if len(set) == 0 {
			return fmt.Errorf("%w: set %d has no elements", ErrEmptySet, s)
		}
		for b, row := range set {
			if len(row) != in {
				return fmt.Errorf("%w: set %d element %d has %d features, want %d", ErrSize, s, b, len(row), in)
			}
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%w: set %d element %d feature %d is %v", ErrNonFinite, s, b, j, v)
				}
			}
		}
	}
	return nil
}

// Eval builds the network in a fresh gorgonia graph ([Net.Build]), runs it
// on the sets, and returns one row of outputs per set. Sets of equal size
// run together as one (N, B, In) input. Elements outside the box are
// evaluated, but the channels' bounds do not cover them.
func (n *Net) Eval(sets [][][]float64) ([][]float64, error) {
	if err := checkSets(sets, n.in); err != nil {
		return nil, err
	}
	out := make([][]float64, len(sets))
	// Group the sets by size, keeping their positions.
	bySize := map[int][]int{}
	var sizes []int
	for i, s := range sets {
		if _, ok := bySize[len(s)]; !ok {
			sizes = append(sizes, len(s))
		}
		bySize[len(s)] = append(bySize[len(s)], i)
	}
	for _, b := range sizes {
		idx := bySize[b]
		data := make([]float64, 0, len(idx)*b*n.in)
		for _, i := range idx {
			for _, row := range sets[i] {
				data = append(data, row...)
			}
		}
		g := gorgonia.NewGraph()
		net, err := n.Build(g, "approx")
		if err != nil {
			return nil, err
		}
		x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(len(idx), b, n.in), tensor.WithBacking(data)), gorgonia.WithName("x"))
		y, err := net.Forward(x, nil)
		if err != nil {
			return nil, fmt.Errorf("approx: forward: %w", err)
		}
		vm := gorgonia.NewTapeMachine(g)
		err = vm.RunAll()
		vm.Close()
		if err != nil {
			return nil, fmt.Errorf("approx: running the network: %w", err)
		}
		vals, ok := y.Value().Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("approx: output holds %T", y.Value().Data())
		}
		k := len(n.outs)
		for r, i := range idx {
			out[i] = append([]float64(nil), vals[r*k:(r+1)*k]...)
		}
	}
	return out, nil
}
