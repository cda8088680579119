package equivariant_test

import (
	"errors"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
)

// TestShareInSeesUpdates builds a network in one graph, shares it into a
// second, and checks that (1) both compute the same output, (2) an update
// written into the first graph's tensors changes the second graph's output
// to what a fresh evaluation gives, and (3) running forward and backward
// passes leaves the shared parameters untouched (gorgonia may run ops in
// place; it must never do so on a parameter).
func TestShareInSeesUpdates(t *testing.T) {
	x := settest.Normal(settest.Rand(2), 2, 5, 3)
	g1 := gorgonia.NewGraph()
	net, err := equivariant.NewNetwork(g1, equivariant.NetworkConfig{
		In: 3, Widths: []int{4, 4}, Head: []int{2}, Activation: equivariant.ReLU, SetSize: 5, Name: "d", Rand: settest.Rand(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	g2 := gorgonia.NewGraph()
	twin, err := net.ShareIn(g2)
	if err != nil {
		t.Fatal(err)
	}
	if len(twin.Learnables()) != len(net.Learnables()) {
		t.Fatalf("shared network has %d parameters, want %d", len(twin.Learnables()), len(net.Learnables()))
	}
	for i, p := range twin.Learnables() {
		if p.Value() != net.Learnables()[i].Value() {
			t.Fatalf("parameter %s is a copy, not the same tensor", p.Name())
		}
	}

	build := func(g *gorgonia.ExprGraph, n *equivariant.Network) (*gorgonia.Node, gorgonia.VM) {
		out, err := n.Forward(settest.Input(g, "x", x.Clone().(*tensor.Dense)), nil)
		if err != nil {
			t.Fatal(err)
		}
		cost, err := gorgonia.Sum(out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gorgonia.Grad(cost, n.Learnables()...); err != nil {
			t.Fatal(err)
		}
		return out, gorgonia.NewTapeMachine(g)
	}
	out1, vm1 := build(g1, net)
	out2, vm2 := build(g2, twin)
	defer vm1.Close()
	defer vm2.Close()
	eval := func(vm gorgonia.VM, out *gorgonia.Node) []float64 {
		defer vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		return floats(out)
	}
	snapshot := func() []float64 {
		var all []float64
		for _, p := range net.Learnables() {
			all = append(all, floats(p)...)
		}
		return all
	}

	before := snapshot()
	a, b := eval(vm1, out1), eval(vm2, out2)
	for i := 0; i < 3; i++ {
		eval(vm1, out1)
		eval(vm2, out2)
	}
	if d := settest.MaxAbsDiff(before, snapshot()); d != 0 {
		t.Fatalf("running the graphs changed the parameters by %g", d)
	}
	if d := settest.MaxAbsDiff(a, b); d != 0 {
		t.Fatalf("shared network's output differs by %g", d)
	}

	// An in-place update through the first graph's node, as a solver does.
	w := net.Stack[0].Learnables()[0].Value().Data().([]float64)
	for i := range w {
		w[i] *= -1.5
	}
	a, b = eval(vm1, out1), eval(vm2, out2)
	if d := settest.MaxAbsDiff(a, b); d != 0 {
		t.Fatalf("after an update the graphs differ by %g", d)
	}
	g3 := gorgonia.NewGraph()
	fresh, err := net.ShareIn(g3)
	if err != nil {
		t.Fatal(err)
	}
	out3, vm3 := build(g3, fresh)
	defer vm3.Close()
	if d := settest.MaxAbsDiff(eval(vm3, out3), b); d != 0 {
		t.Fatalf("updated shared graph differs from a fresh build by %g", d)
	}
}

func TestShareInRefusals(t *testing.T) {
	g := gorgonia.NewGraph()
	d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 2, Out: 2, SetSize: 2, Name: "d", Rand: settest.Rand(1)})
	if err != nil {
		t.Fatal(err)
	}
	before := len(g.AllNodes())
	if _, err := d.ShareIn(g); !errors.Is(err, equivariant.ErrName) {
		t.Errorf("sharing into the same graph: got %v, want ErrName", err)
	}
	if len(g.AllNodes()) != before {
		t.Errorf("refused share grew the graph")
	}
	if _, err := d.ShareIn(nil); !errors.Is(err, equivariant.ErrConfig) {
		t.Errorf("sharing into a nil graph: got %v", err)
	}
	// A stack with a layer that is not a Sharer is refused before any node
	// is created.
	g2 := gorgonia.NewGraph()
	stack := equivariant.Stack{d, notSharer{d}}
	if _, err := stack.ShareIn(g2); !errors.Is(err, equivariant.ErrConfig) {
		t.Errorf("sharing a stack with a foreign layer: got %v", err)
	}
	if n := len(g2.AllNodes()); n != 0 {
		t.Errorf("refused stack share left %d nodes", n)
	}
}

type notSharer struct{ l equivariant.Layer }

func (n notSharer) Forward(x, m *gorgonia.Node) (*gorgonia.Node, error) { return n.l.Forward(x, m) }
func (n notSharer) Learnables() gorgonia.Nodes                          { return nil }
