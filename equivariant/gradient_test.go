package equivariant_test

import (
	"fmt"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// gradTol bounds the finite-difference error. With h = 1e-6 the central
// difference of an O(1) cost is accurate to ~1e-10 (gradcheck.Step); 1e-6
// leaves room for the curvature of sigmoid/tanh/ELU over the step and is
// still far below a real gradient error, which shows up at O(0.1) or more.
// Kinks (ReLU at 0, the maximum of Max) are avoided by fixed seeds whose
// pre-activations and maxima stay at least h away from them; a seed that
// landed on one would show as an error of O(1), not a near miss.
const gradTol = 1e-6

// weightedCost returns Σ out ⊙ w for a fixed random w, so that every output
// entry carries a different weight into the gradient.
func weightedCost(g *gorgonia.ExprGraph, out *gorgonia.Node) (*gorgonia.Node, error) {
	w := settest.Input(g, "w", settest.Normal(settest.Rand(99), out.Shape()...))
	p, err := gorgonia.HadamardProd(out, w)
	if err != nil {
		return nil, err
	}
	return gorgonia.Sum(p)
}

// maskFor returns a mask of shape shape[:len(shape)-1] whose set i has
// 1 + i mod B real rows (so at least one set is padded when B > 1).
func maskFor(t *testing.T, g *gorgonia.ExprGraph, shape []int) *gorgonia.Node {
	sets, b := 1, shape[0]
	if len(shape) == 3 {
		sets, b = shape[0], shape[1]
	}
	lengths := make([]int, sets)
	for i := range lengths {
		lengths[i] = 1 + (i+b-1)%b
	}
	if sets == 1 && b > 1 {
		lengths[0] = b - 1
	}
	m, err := invariant.MaskFromLengths(lengths, b, tensor.Float64)
	if err != nil {
		t.Fatal(err)
	}
	m.Reshape(shape[:len(shape)-1]...)
	return settest.Input(g, "mask", m)
}

func checkGrad(t *testing.T, label string, build gradcheck.Build) {
	t.Helper()
	rep, err := gradcheck.Check(build)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	if rep.MaxErr > gradTol {
		t.Errorf("%s: gradient error %.3g at %s", label, rep.MaxErr, rep.Worst)
	}
	if rep.Checked == 0 {
		t.Errorf("%s: no gradient entries checked", label)
	}
}

func TestDenseGradients(t *testing.T) {
	rhos := []struct {
		name string
		f    invariant.Reduction
	}{{"mean", invariant.Mean}, {"sum", invariant.Sum}, {"max", invariant.Max}}
	for _, act := range activations {
		for _, rho := range rhos {
			for _, shape := range [][]int{{4, 3}, {2, 3, 2}, {1, 2}} {
				for _, masked := range []bool{false, true} {
					label := act.String() + "/" + rho.name + "/" + fmt.Sprint(shape)
					if masked {
						label += "/masked"
					}
					checkGrad(t, label, func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
						d, err := equivariant.NewDense(g, equivariant.DenseConfig{
							In: shape[len(shape)-1], Out: 3, SetSize: 4, Activation: act, Rho: rho.f, Rand: settest.Rand(21),
						})
						if err != nil {
							return nil, nil, err
						}
						// A non-zero bias puts pre-activations off the
						// ReLU kink for the fixed seed.
						copy(d.Beta.Value().Data().([]float64), []float64{0.13, -0.07, 0.21})
						x := settest.Input(g, "x", settest.Normal(settest.Rand(22), shape...))
						var mask *gorgonia.Node
						if masked {
							mask = maskFor(t, g, shape)
						}
						out, err := d.Forward(x, mask)
						if err != nil {
							return nil, nil, err
						}
						cost, err := weightedCost(g, out)
						return cost, append(gorgonia.Nodes{x}, d.Learnables()...), err
					})
				}
			}
		}
	}
}

func TestConv2DGradients(t *testing.T) {
	for _, act := range []equivariant.Activation{equivariant.Identity, equivariant.Tanh, equivariant.LeakyReLU} {
		for _, masked := range []bool{false, true} {
			label := "conv/" + act.String()
			if masked {
				label += "/masked"
			}
			checkGrad(t, label, func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
				c, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{
					InChannels: 2, OutChannels: 2, SetSize: 3, Activation: act, Rand: settest.Rand(31),
				})
				if err != nil {
					return nil, nil, err
				}
				x := settest.Input(g, "x", settest.Normal(settest.Rand(32), 3, 2, 4, 4))
				var mask *gorgonia.Node
				if masked {
					m := tensor.New(tensor.WithShape(3), tensor.WithBacking([]float64{1, 1, 0}))
					mask = settest.Input(g, "mask", m)
				}
				out, err := c.Forward(x, mask)
				if err != nil {
					return nil, nil, err
				}
				cost, err := weightedCost(g, out)
				return cost, append(gorgonia.Nodes{x}, c.Learnables()...), err
			})
		}
	}
}

func TestLinearGradients(t *testing.T) {
	for _, shape := range [][]int{{3}, {4, 3}, {2, 2, 3}} {
		checkGrad(t, "linear/"+fmt.Sprint(shape), func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
			l, err := equivariant.NewLinear(g, equivariant.LinearConfig{In: 3, Out: 2, Activation: equivariant.Tanh, Rand: settest.Rand(41)})
			if err != nil {
				return nil, nil, err
			}
			x := settest.Input(g, "x", settest.Normal(settest.Rand(42), shape...))
			out, err := l.Forward(x, nil)
			if err != nil {
				return nil, nil, err
			}
			cost, err := weightedCost(g, out)
			return cost, append(gorgonia.Nodes{x}, l.Learnables()...), err
		})
	}
}

func TestNetworkGradients(t *testing.T) {
	for _, shape := range [][]int{{5, 2}, {2, 4, 2}} {
		for _, masked := range []bool{false, true} {
			label := "network/" + fmt.Sprint(shape)
			if masked {
				label += "/masked"
			}
			checkGrad(t, label, func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
				net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
					In: 2, Widths: []int{4, 3}, Head: []int{2}, Activation: equivariant.Sigmoid, SetSize: 4, Rand: settest.Rand(51),
				})
				if err != nil {
					return nil, nil, err
				}
				x := settest.Input(g, "x", settest.Normal(settest.Rand(52), shape...))
				var mask *gorgonia.Node
				if masked {
					mask = maskFor(t, g, shape)
				}
				out, err := net.Forward(x, mask)
				if err != nil {
					return nil, nil, err
				}
				cost, err := weightedCost(g, out)
				return cost, append(gorgonia.Nodes{x}, net.Learnables()...), err
			})
		}
	}
}

// TestStackGradients differentiates a stack Dense, Dense, Linear, Dense
// on sets of rank 3, padded or not, with every activation. A layer
// followed by a masked equivariant layer is where a reshape sharing a
// layer's output with ops that write in place once went wrong (the output,
// which the rectifiers' and the sigmoid's backward passes read, was
// overwritten before they ran); single layers never showed it.
func TestStackGradients(t *testing.T) {
	shape := []int{2, 4, 2}
	for _, act := range activations {
		for _, masked := range []bool{false, true} {
			label := "stack/" + act.String()
			if masked {
				label += "/masked"
			}
			checkGrad(t, label, func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
				rng := settest.Rand(61)
				var s equivariant.Stack
				sizes := []int{2, 4, 3, 3, 2}
				// Non-zero biases put pre-activations off the rectifiers'
				// kink for the fixed seed.
				biases := []float64{0.11, -0.05, 0.17, -0.13}
				for i := 0; i+1 < len(sizes); i++ {
					var (
						l    equivariant.Layer
						bias []float64
					)
					if i == 2 {
						lin, err := equivariant.NewLinear(g, equivariant.LinearConfig{In: sizes[i], Out: sizes[i+1], Activation: act, Rand: rng})
						if err != nil {
							return nil, nil, err
						}
						l, bias = lin, lin.B.Value().Data().([]float64)
					} else {
						d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: sizes[i], Out: sizes[i+1], SetSize: 4, Activation: act, Rand: rng})
						if err != nil {
							return nil, nil, err
						}
						l, bias = d, d.Beta.Value().Data().([]float64)
					}
					copy(bias, biases[i:])
					s = append(s, l)
				}
				x := settest.Input(g, "x", settest.Normal(settest.Rand(62), shape...))
				var mask *gorgonia.Node
				if masked {
					mask = maskFor(t, g, shape)
				}
				out, err := s.Forward(x, mask)
				if err != nil {
					return nil, nil, err
				}
				cost, err := weightedCost(g, out)
				return cost, append(gorgonia.Nodes{x}, s.Learnables()...), err
			})
		}
	}
}
