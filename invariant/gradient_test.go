package invariant_test

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// gradTol bounds the finite-difference error. With h = 1e-6 the central
// difference of an O(1) cost is accurate to ~1e-10 (see gradcheck.Step);
// 1e-7 is far above that noise and far below any real gradient error,
// which shows up at O(1).
const gradTol = 1e-7

// weightedCost returns Σ r ⊙ w for a fixed random w of r's shape, so that
// every output entry gets a different weight in the gradient.
func weightedCost(g *gorgonia.ExprGraph, r *gorgonia.Node, seed uint64) (*gorgonia.Node, error) {
	w := settest.Normal(settest.Rand(seed), r.Shape()...)
	if r.Shape().IsScalar() {
		w = tensor.New(tensor.FromScalar(settest.Rand(seed).NormFloat64()))
	}
	wn := gorgonia.NodeFromAny(g, w, gorgonia.WithName("w"))
	p, err := gorgonia.HadamardProd(r, wn)
	if err != nil {
		return nil, err
	}
	return gorgonia.Sum(p)
}

func TestGradients(t *testing.T) {
	shapes := [][]int{{4, 3}, {2, 3, 2}, {3, 2, 2, 2}, {1, 3}}
	for _, r := range reductions {
		for _, shape := range shapes {
			for _, masked := range []bool{false, true} {
				rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
					x := settest.Input(g, "x", settest.Normal(settest.Rand(7), shape...))
					var opts []invariant.Option
					if masked {
						axis, _ := invariant.DefaultSetAxis(len(shape))
						lengths := make([]int, 1)
						if axis == 1 {
							lengths = make([]int, shape[0])
						}
						for i := range lengths {
							lengths[i] = 1 + i%shape[axis]
						}
						m, err := invariant.MaskFromLengths(lengths, shape[axis], tensor.Float64)
						if err != nil {
							return nil, nil, err
						}
						m.Reshape(shape[:axis+1]...)
						opts = append(opts, invariant.WithMask(settest.Input(g, "m", m)))
					}
					out, err := r.f(x, opts...)
					if err != nil {
						return nil, nil, err
					}
					cost, err := weightedCost(g, out, 8)
					return cost, gorgonia.Nodes{x}, err
				})
				if err != nil {
					t.Fatalf("%s %v masked=%v: %v", r.name, shape, masked, err)
				}
				if rep.MaxErr > gradTol {
					t.Errorf("%s %v masked=%v: gradient error %.3g at %s", r.name, shape, masked, rep.MaxErr, rep.Worst)
				}
			}
		}
	}
}
