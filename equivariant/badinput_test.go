package equivariant_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// checkRefused asserts that err wraps want, carries the package prefix, and
// that the graph did not grow: a refused call leaves no half-built layer.
func checkRefused(t *testing.T, label string, g *gorgonia.ExprGraph, before int, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got error %v, want %v", label, err, want)
		return
	}
	if !strings.HasPrefix(err.Error(), "equivariant: ") {
		t.Errorf("%s: error %q lacks the package prefix", label, err)
	}
	if g != nil {
		if after := len(g.AllNodes()); after != before {
			t.Errorf("%s: graph grew from %d to %d nodes on a refused call", label, before, after)
		}
	}
}

func TestConstructorsRefuseBadConfig(t *testing.T) {
	rng := settest.Rand(1)
	dense := []struct {
		name string
		cfg  equivariant.DenseConfig
		want error
	}{
		{"zero in", equivariant.DenseConfig{In: 0, Out: 2, SetSize: 3, Rand: rng}, equivariant.ErrConfig},
		{"negative out", equivariant.DenseConfig{In: 2, Out: -1, SetSize: 3, Rand: rng}, equivariant.ErrConfig},
		{"zero set size", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 0, Rand: rng}, equivariant.ErrConfig},
		{"unknown activation", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3, Activation: 42, Rand: rng}, equivariant.ErrConfig},
		{"nil rand", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3}, equivariant.ErrConfig},
		{"unknown init", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3, Init: 17, Rand: rng}, equivariant.ErrConfig},
		{"int dtype", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3, Dtype: tensor.Int, Rand: rng}, equivariant.ErrConfig},
		{"name taken", equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3, Name: "taken", Rand: rng}, equivariant.ErrName},
	}
	for _, c := range dense {
		g := gorgonia.NewGraph()
		if _, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 1, Out: 1, SetSize: 1, Name: "taken", Rand: rng}); err != nil {
			t.Fatal(err)
		}
		before := len(g.AllNodes())
		d, err := equivariant.NewDense(g, c.cfg)
		checkRefused(t, "NewDense "+c.name, g, before, err, c.want)
		if d != nil {
			t.Errorf("NewDense %s: returned a layer with the error", c.name)
		}
	}
	if _, err := equivariant.NewDense(nil, equivariant.DenseConfig{In: 1, Out: 1, SetSize: 1, Rand: rng}); !errors.Is(err, equivariant.ErrConfig) {
		t.Errorf("NewDense(nil graph): got %v", err)
	}

	conv := []struct {
		name string
		cfg  equivariant.Conv2DConfig
	}{
		{"zero channels", equivariant.Conv2DConfig{InChannels: 0, OutChannels: 2, SetSize: 2, Rand: rng}},
		{"even kernel", equivariant.Conv2DConfig{InChannels: 1, OutChannels: 2, Kernel: 4, SetSize: 2, Rand: rng}},
		{"negative kernel", equivariant.Conv2DConfig{InChannels: 1, OutChannels: 2, Kernel: -3, SetSize: 2, Rand: rng}},
		{"zero set size", equivariant.Conv2DConfig{InChannels: 1, OutChannels: 2, Rand: rng}},
		{"nil rand", equivariant.Conv2DConfig{InChannels: 1, OutChannels: 2, SetSize: 2}},
		{"unknown activation", equivariant.Conv2DConfig{InChannels: 1, OutChannels: 2, SetSize: 2, Activation: -1, Rand: rng}},
	}
	for _, c := range conv {
		g := gorgonia.NewGraph()
		_, err := equivariant.NewConv2D(g, c.cfg)
		checkRefused(t, "NewConv2D "+c.name, g, 0, err, equivariant.ErrConfig)
	}

	linear := []equivariant.LinearConfig{
		{In: 0, Out: 1, Rand: rng}, {In: 1, Out: 1}, {In: 1, Out: 1, Activation: 9, Rand: rng}, {In: 1, Out: 1, Dtype: tensor.Bool, Rand: rng},
	}
	for _, cfg := range linear {
		g := gorgonia.NewGraph()
		_, err := equivariant.NewLinear(g, cfg)
		checkRefused(t, "NewLinear", g, 0, err, equivariant.ErrConfig)
	}

	// Every network config error must be caught before the first layer is
	// built: a bad width in the middle or in the head leaves no node.
	network := []struct {
		name string
		cfg  equivariant.NetworkConfig
	}{
		{"no layers", equivariant.NetworkConfig{In: 2, SetSize: 2, Rand: rng}},
		{"zero in", equivariant.NetworkConfig{In: 0, Widths: []int{2}, SetSize: 2, Rand: rng}},
		{"bad middle width", equivariant.NetworkConfig{In: 2, Widths: []int{4, 0, 3}, SetSize: 2, Rand: rng}},
		{"bad head width", equivariant.NetworkConfig{In: 2, Widths: []int{4}, Head: []int{3, -1}, SetSize: 2, Rand: rng}},
		{"bad output activation", equivariant.NetworkConfig{In: 2, Widths: []int{4}, OutputActivation: 77, SetSize: 2, Rand: rng}},
		{"zero set size", equivariant.NetworkConfig{In: 2, Widths: []int{4}, Rand: rng}},
		{"nil rand", equivariant.NetworkConfig{In: 2, Widths: []int{4}, SetSize: 2}},
		{"unknown init", equivariant.NetworkConfig{In: 2, Widths: []int{4}, SetSize: 2, Init: -2, Rand: rng}},
		{"float16", equivariant.NetworkConfig{In: 2, Widths: []int{4}, SetSize: 2, Dtype: tensor.Complex64, Rand: rng}},
	}
	for _, c := range network {
		g := gorgonia.NewGraph()
		_, err := equivariant.NewNetwork(g, c.cfg)
		checkRefused(t, "NewNetwork "+c.name, g, 0, err, equivariant.ErrConfig)
	}
	g := gorgonia.NewGraph()
	if _, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{In: 2, Widths: []int{3}, SetSize: 2, Name: "d", Rand: rng}); err != nil {
		t.Fatal(err)
	}
	before := len(g.AllNodes())
	_, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{In: 2, Widths: []int{3, 3}, SetSize: 2, Name: "d", Rand: rng})
	checkRefused(t, "NewNetwork name taken", g, before, err, equivariant.ErrName)
}

func TestForwardRefusesBadInput(t *testing.T) {
	type input struct {
		name string
		x    func(g *gorgonia.ExprGraph) *gorgonia.Node
		mask func(g *gorgonia.ExprGraph) *gorgonia.Node
		want error
	}
	f64 := func(shape ...int) func(g *gorgonia.ExprGraph) *gorgonia.Node {
		return func(g *gorgonia.ExprGraph) *gorgonia.Node {
			return gorgonia.NewTensor(g, tensor.Float64, len(shape), gorgonia.WithShape(shape...), gorgonia.WithName("x"))
		}
	}
	valued := func(vals []float64, shape ...int) func(g *gorgonia.ExprGraph) *gorgonia.Node {
		return func(g *gorgonia.ExprGraph) *gorgonia.Node {
			return settest.Input(g, "v", tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals)))
		}
	}
	none := func(*gorgonia.ExprGraph) *gorgonia.Node { return nil }
	denseCases := []input{
		{"nil input", none, none, equivariant.ErrNilNode},
		{"rank 1", f64(3), none, equivariant.ErrShape},
		{"rank 4", f64(1, 2, 3, 3), none, equivariant.ErrShape},
		{"wrong features", f64(4, 2), none, equivariant.ErrShape},
		{"float32 input", func(g *gorgonia.ExprGraph) *gorgonia.Node {
			return gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(4, 3), gorgonia.WithName("x32"))
		}, none, equivariant.ErrDtype},
		{"empty set", f64(0, 3), none, invariant.ErrEmptySet},
		{"empty sets", f64(2, 0, 3), none, invariant.ErrEmptySet},
		{"mask of wrong shape", f64(2, 4, 3), valued([]float64{1, 1, 1, 1}, 4), invariant.ErrMaskShape},
		{"set with no real rows", f64(2, 2, 3), valued([]float64{1, 0, 0, 0}, 2, 2), invariant.ErrNoRealRows},
		{"NaN input", valued([]float64{0, 1, math.NaN(), 0, 0, 0}, 2, 3), none, invariant.ErrNonFinite},
		{"Inf input", valued([]float64{0, 1, 2, math.Inf(1), 0, 0}, 2, 3), none, invariant.ErrNonFinite},
	}
	for _, c := range denseCases {
		g := gorgonia.NewGraph()
		d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 3, Out: 2, SetSize: 4, Rand: settest.Rand(1)})
		if err != nil {
			t.Fatal(err)
		}
		x, m := c.x(g), c.mask(g)
		before := len(g.AllNodes())
		out, err := d.Forward(x, m)
		checkRefused(t, "Dense.Forward "+c.name, g, before, err, c.want)
		if out != nil {
			t.Errorf("Dense.Forward %s: returned a node with the error", c.name)
		}

		// The network refuses the same inputs (its first layer is a Dense).
		g = gorgonia.NewGraph()
		net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{In: 3, Widths: []int{2}, Head: []int{1}, SetSize: 4, Rand: settest.Rand(1)})
		if err != nil {
			t.Fatal(err)
		}
		x, m = c.x(g), c.mask(g)
		before = len(g.AllNodes())
		_, err = net.Forward(x, m)
		checkRefused(t, "Network.Forward "+c.name, g, before, err, c.want)
	}

	convCases := []input{
		{"nil input", none, none, equivariant.ErrNilNode},
		{"rank 2", f64(2, 2), none, equivariant.ErrShape},
		{"wrong channels", f64(2, 3, 4, 4), none, equivariant.ErrShape},
		{"empty set", f64(0, 2, 4, 4), none, invariant.ErrEmptySet},
		{"mask of wrong shape", f64(3, 2, 4, 4), valued([]float64{1, 1}, 2), invariant.ErrMaskShape},
		{"mask without real images", f64(2, 2, 4, 4), valued([]float64{0, 0}, 2), invariant.ErrNoRealRows},
	}
	for _, c := range convCases {
		g := gorgonia.NewGraph()
		layer, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{InChannels: 2, OutChannels: 2, SetSize: 2, Rand: settest.Rand(1)})
		if err != nil {
			t.Fatal(err)
		}
		x, m := c.x(g), c.mask(g)
		before := len(g.AllNodes())
		_, err = layer.Forward(x, m)
		checkRefused(t, "Conv2D.Forward "+c.name, g, before, err, c.want)
	}

	g := gorgonia.NewGraph()
	l, err := equivariant.NewLinear(g, equivariant.LinearConfig{In: 3, Out: 2, Rand: settest.Rand(1)})
	if err != nil {
		t.Fatal(err)
	}
	x := f64(4, 2)(g)
	before := len(g.AllNodes())
	_, err = l.Forward(x, nil)
	checkRefused(t, "Linear.Forward wrong features", g, before, err, equivariant.ErrShape)
}

// TestSetOfOne checks B = 1: ρ(x) = x_1, so φ(x)_1 = μ(β + x_1(Λ + Γ)).
func TestSetOfOne(t *testing.T) {
	g := gorgonia.NewGraph()
	d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 2, Out: 3, SetSize: 1, Activation: equivariant.Tanh, Rand: settest.Rand(4)})
	if err != nil {
		t.Fatal(err)
	}
	xv := []float64{0.3, -1.2}
	out, err := d.Forward(settest.Input(g, "x", tensor.New(tensor.WithShape(1, 2), tensor.WithBacking(xv))), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := run(g, out)
	if err != nil {
		t.Fatal(err)
	}
	lam, gam := floats(d.Lambda), floats(d.Gamma)
	for j := 0; j < 3; j++ {
		v := 0.0
		for i := 0; i < 2; i++ {
			v += xv[i] * (lam[i*3+j] + gam[i*3+j])
		}
		// The layer sums x·Λ and x·Γ separately, the reference sums
		// x·(Λ+Γ): O(1) terms in another order, a few ulps, well below 1e-14.
		if want := math.Tanh(v); math.Abs(got[j]-want) > 1e-14 {
			t.Errorf("output %d = %v, want %v", j, got[j], want)
		}
	}
}
