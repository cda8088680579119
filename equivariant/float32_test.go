package equivariant_test

import (
	"fmt"
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// dtypeModel builds one model in g with the given dtype, from fixed seeds,
// and returns its output and the nodes to differentiate against (the input
// first). Built with float32 and float64 from the same seeds, the two
// models hold the same weights up to float32 rounding.
type dtypeModel func(g *gorgonia.ExprGraph, dt tensor.Dtype) (out *gorgonia.Node, wrt gorgonia.Nodes, err error)

// setBias sets a float32 or float64 bias to vals (cycled): non-zero biases
// keep the fixed seeds' pre-activations off the rectifiers' kink.
func setBias(n *gorgonia.Node, vals ...float64) {
	switch d := n.Value().Data().(type) {
	case []float64:
		for i := range d {
			d[i] = vals[i%len(vals)]
		}
	case []float32:
		for i := range d {
			d[i] = float32(vals[i%len(vals)])
		}
	}
}

func dtypeModels(act equivariant.Activation) map[string]dtypeModel {
	input := func(g *gorgonia.ExprGraph, dt tensor.Dtype, shape ...int) *gorgonia.Node {
		return settest.Input(g, "x", settest.AsDtype(settest.Normal(settest.Rand(72), shape...), dt))
	}
	dense := func(rho invariant.Reduction, masked bool, shape ...int) dtypeModel {
		return func(g *gorgonia.ExprGraph, dt tensor.Dtype) (*gorgonia.Node, gorgonia.Nodes, error) {
			d, err := equivariant.NewDense(g, equivariant.DenseConfig{
				In: shape[len(shape)-1], Out: 4, SetSize: 4, Activation: act, Rho: rho, Dtype: dt, Rand: settest.Rand(71),
			})
			if err != nil {
				return nil, nil, err
			}
			setBias(d.Beta, 0.13, -0.07, 0.21, -0.17)
			x := input(g, dt, shape...)
			var mask *gorgonia.Node
			if masked {
				m, err := invariant.MaskFromLengths([]int{4, 2}, 4, dt)
				if err != nil {
					return nil, nil, err
				}
				mask = settest.Input(g, "mask", m)
			}
			out, err := d.Forward(x, mask)
			return out, append(gorgonia.Nodes{x}, d.Learnables()...), err
		}
	}
	return map[string]dtypeModel{
		"dense/mean":        dense(nil, false, 5, 3),
		"dense/mean/sets":   dense(nil, false, 2, 4, 3),
		"dense/masked/sets": dense(nil, true, 2, 4, 3),
		"dense/sum/sets":    dense(invariant.Sum, false, 2, 4, 3),
		"linear/sets": func(g *gorgonia.ExprGraph, dt tensor.Dtype) (*gorgonia.Node, gorgonia.Nodes, error) {
			l, err := equivariant.NewLinear(g, equivariant.LinearConfig{In: 3, Out: 4, Activation: act, Dtype: dt, Rand: settest.Rand(73)})
			if err != nil {
				return nil, nil, err
			}
			setBias(l.B, -0.11, 0.19, 0.05)
			x := input(g, dt, 2, 4, 3)
			out, err := l.Forward(x, nil)
			return out, append(gorgonia.Nodes{x}, l.Learnables()...), err
		},
		"network/masked": func(g *gorgonia.ExprGraph, dt tensor.Dtype) (*gorgonia.Node, gorgonia.Nodes, error) {
			net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
				In: 3, Widths: []int{5, 4}, Head: []int{2}, Activation: act, SetSize: 4, Dtype: dt, Rand: settest.Rand(74),
			})
			if err != nil {
				return nil, nil, err
			}
			for _, l := range net.Stack {
				setBias(l.(*equivariant.Dense).Beta, 0.09, -0.15, 0.12)
			}
			x := input(g, dt, 2, 4, 3)
			m, err := invariant.MaskFromLengths([]int{3, 4}, 4, dt)
			if err != nil {
				return nil, nil, err
			}
			out, err := net.Forward(x, settest.Input(g, "mask", m))
			return out, append(gorgonia.Nodes{x}, net.Learnables()...), err
		},
		"conv": func(g *gorgonia.ExprGraph, dt tensor.Dtype) (*gorgonia.Node, gorgonia.Nodes, error) {
			c, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{
				InChannels: 2, OutChannels: 2, SetSize: 3, Activation: act, Dtype: dt, Rand: settest.Rand(75),
			})
			if err != nil {
				return nil, nil, err
			}
			setBias(c.Beta, 0.1, -0.2)
			x := input(g, dt, 3, 2, 4, 4)
			out, err := c.Forward(x, nil)
			return out, append(gorgonia.Nodes{x}, c.Learnables()...), err
		},
	}
}

// runDtypeModel returns the model's output and the gradients of Σ out ⊙ w
// (w fixed and random) with respect to its input and parameters, widened
// to float64.
func runDtypeModel(m dtypeModel, dt tensor.Dtype) ([]float64, [][]float64, error) {
	g := gorgonia.NewGraph()
	out, wrt, err := m(g, dt)
	if err != nil {
		return nil, nil, err
	}
	// Read copies the output when it is computed: ops after it may write
	// over its value in place.
	var outVal gorgonia.Value
	gorgonia.Read(out, &outVal)
	w := settest.Input(g, "w", settest.AsDtype(settest.Normal(settest.Rand(99), out.Shape()...), dt))
	p, err := gorgonia.HadamardProd(out, w)
	if err != nil {
		return nil, nil, err
	}
	cost, err := gorgonia.Sum(p)
	if err != nil {
		return nil, nil, err
	}
	grads, err := gorgonia.Grad(cost, wrt...)
	if err != nil {
		return nil, nil, err
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, nil, err
	}
	gs := make([][]float64, len(grads))
	for i, gn := range grads {
		if gn.Dtype() != dt {
			return nil, nil, fmt.Errorf("gradient %d is %v in a %v model", i, gn.Dtype(), dt)
		}
		gs[i] = settest.Floats(gn.Value())
	}
	if out.Dtype() != dt {
		return nil, nil, fmt.Errorf("output is %v in a %v model", out.Dtype(), dt)
	}
	return settest.Floats(outVal), gs, nil
}

// TestFloat32MatchesFloat64 runs every layer kind, pooling path and
// activation in float32 and float64 and compares outputs and gradients.
// Tolerance: float32 rounds each operation to 2⁻²⁴ ≈ 6e-8 relative; these
// graphs chain at most a few dozen roundings per entry (three layers of
// sums of ≤ 36 terms), so the two dtypes agree to about 1e-5 relative. The
// bound |a − b| ≤ 1e-4·(1 + |b|) leaves a tenfold margin and is far below
// what a path that drops to the wrong dtype or loses a gradient shows,
// which is O(1).
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, act := range activations {
		for name, m := range dtypeModels(act) {
			label := act.String() + "/" + name
			out64, g64, err := runDtypeModel(m, tensor.Float64)
			if err != nil {
				t.Fatalf("%s float64: %v", label, err)
			}
			out32, g32, err := runDtypeModel(m, tensor.Float32)
			if err != nil {
				t.Fatalf("%s float32: %v", label, err)
			}
			check := func(what string, a, b []float64) {
				if len(a) != len(b) {
					t.Errorf("%s %s: %d float32 values, %d float64", label, what, len(a), len(b))
					return
				}
				for i := range a {
					if d := math.Abs(a[i] - b[i]); !(d <= 1e-4*(1+math.Abs(b[i]))) {
						t.Errorf("%s %s[%d]: float32 %v, float64 %v", label, what, i, a[i], b[i])
						return
					}
				}
			}
			check("output", out32, out64)
			for i := range g64 {
				check(fmt.Sprintf("gradient %d", i), g32[i], g64[i])
			}
		}
	}
}
