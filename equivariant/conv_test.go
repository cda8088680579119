package equivariant_test

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
)

// composedConv2D is Conv2D's φ(x)_b = μ(β + conv_Λ(x_b) + conv_Γ(ρ(x)))
// with ρ the mean, built from gorgonia's Conv2d, BroadcastAdd and
// activation ops, as the layer was before its convolutions and bias adds
// were fused.
func composedConv2D(c *equivariant.Conv2D, x *gorgonia.Node, act equivariant.Activation) (*gorgonia.Node, error) {
	k := c.Lambda.Shape()[2]
	p := (k - 1) / 2
	conv := func(x, w *gorgonia.Node) (*gorgonia.Node, error) {
		return gorgonia.Conv2d(x, w, tensor.Shape{k, k}, []int{p, p}, []int{1, 1}, nil)
	}
	s := x.Shape()
	pooled, err := gorgonia.Mean(x, 0)
	if err != nil {
		return nil, err
	}
	if pooled, err = gorgonia.Reshape(pooled, tensor.Shape{1, s[1], s[2], s[3]}); err != nil {
		return nil, err
	}
	pg, err := conv(pooled, c.Gamma)
	if err != nil {
		return nil, err
	}
	setTerm, err := gorgonia.BroadcastAdd(pg, c.Beta, nil, []byte{2, 3})
	if err != nil {
		return nil, err
	}
	xl, err := conv(x, c.Lambda)
	if err != nil {
		return nil, err
	}
	pre, err := gorgonia.BroadcastAdd(xl, setTerm, nil, []byte{0})
	if err != nil {
		return nil, err
	}
	switch act {
	case equivariant.ReLU:
		return gorgonia.Rectify(pre)
	case equivariant.LeakyReLU:
		return gorgonia.LeakyRelu(pre, equivariant.LeakySlope)
	}
	return pre, nil
}

// TestConv2DMatchesComposed compares Conv2D's output and gradients
// (input, Λ, Γ, β) with the same layer composed from gorgonia's ops, in
// float64. The images are zero outside a 3×3 block in the middle of 7×7,
// as MNIST's background is, and β starts at zero, so pre-activations are
// exactly 0 at the corners: the gradients agree there only if the layer
// keeps gorgonia's rectifiers, whose derivative at 0 is 1. Elsewhere the
// two differ in the order of their sums only (at most C·k² = 18 products
// per output entry, B·H·W = 147 per kernel gradient entry), ≲ 10⁻¹⁴
// relative; the bound is 1e-12.
func TestConv2DMatchesComposed(t *testing.T) {
	for _, act := range []equivariant.Activation{equivariant.ReLU, equivariant.LeakyReLU, equivariant.Identity} {
		var outs [2][]float64
		var grads [2][][]float64
		for i, fused := range []bool{true, false} {
			g := gorgonia.NewGraph()
			c, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{
				InChannels: 2, OutChannels: 3, SetSize: 3, Activation: act, Rand: settest.Rand(61),
			})
			if err != nil {
				t.Fatal(err)
			}
			xt := settest.Normal(settest.Rand(62), 3, 2, 7, 7)
			xd := xt.Data().([]float64)
			for j := range xd {
				if r, col := j/7%7, j%7; r < 2 || r > 4 || col < 2 || col > 4 {
					xd[j] = 0
				}
			}
			x := settest.Input(g, "x", xt)
			var out *gorgonia.Node
			if fused {
				out, err = c.Forward(x, nil)
			} else {
				out, err = composedConv2D(c, x, act)
			}
			if err != nil {
				t.Fatal(err)
			}
			var outVal gorgonia.Value
			gorgonia.Read(out, &outVal)
			cost, err := weightedCost(g, out)
			if err != nil {
				t.Fatal(err)
			}
			gs, err := gorgonia.Grad(cost, append(gorgonia.Nodes{x}, c.Learnables()...)...)
			if err != nil {
				t.Fatal(err)
			}
			vm := gorgonia.NewTapeMachine(g)
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			outs[i] = settest.Floats(outVal)
			for _, gn := range gs {
				grads[i] = append(grads[i], settest.Floats(gn.Value()))
			}
			vm.Close()
		}
		if e := relDiff(outs[0], outs[1]); e > 1e-12 {
			t.Errorf("%v: outputs differ by %.3g (relative)", act, e)
		}
		for j, what := range []string{"x", "Λ", "Γ", "β"} {
			if e := relDiff(grads[0][j], grads[1][j]); e > 1e-12 {
				t.Errorf("%v: gradients with respect to %s differ by %.3g (relative)", act, what, e)
			}
		}
	}
}

// relDiff is max|a − b| / max|b|.
func relDiff(a, b []float64) float64 {
	var m float64
	for _, v := range b {
		m = max(m, v, -v)
	}
	if m == 0 {
		return settest.MaxAbsDiff(a, b)
	}
	return settest.MaxAbsDiff(a, b) / m
}
