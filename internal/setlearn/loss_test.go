package setlearn

import (
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
)

func matrix(g *gorgonia.ExprGraph, name string, r, c int, data ...float64) *gorgonia.Node {
	return settest.Input(g, name, tensor.New(tensor.WithShape(r, c), tensor.WithBacking(data)))
}

func TestL1Value(t *testing.T) {
	got, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
		return L1(matrix(g, "p", 2, 2, 1, 2, 3, 4), matrix(g, "y", 2, 2, 0, 4, 3, 5))
	})
	if err != nil {
		t.Fatal(err)
	}
	// (|1−0| + |2−4| + |3−3| + |4−5|) / 4 = 1, exact in floating point.
	if got[0] != 1 {
		t.Errorf("L1 = %v, want 1", got[0])
	}
}

func TestCrossEntropyValue(t *testing.T) {
	// Row 1: logits (0, 0), class 0: −log ½ = log 2. Row 2: logits (1000,
	// 0), class 1: −log softmax = log(1 + e^1000) − 0 ≈ 1000 exactly in
	// float64; a form without the max shift overflows to +Inf or NaN here.
	got, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
		return CrossEntropy(matrix(g, "z", 2, 2, 0, 0, 1000, 0), matrix(g, "y", 2, 2, 1, 0, 0, 1))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := (math.Ln2 + 1000) / 2
	// Only the rounding of a few float64 operations on numbers up to 1000.
	if math.Abs(got[0]-want) > 1e-12 {
		t.Errorf("cross-entropy = %v, want %v", got[0], want)
	}
}

func TestLossGradients(t *testing.T) {
	rng := settest.Rand(3)
	for name, loss := range map[string]func(a, b *gorgonia.Node) (*gorgonia.Node, error){
		"L1": L1, "CrossEntropy": CrossEntropy,
	} {
		rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
			z := settest.Input(g, "z", settest.Normal(rng, 4, 3))
			// A one-hot target, row i of class i mod 3; L1 reads it as an
			// ordinary target, away from the kink at 0 with probability 1.
			y := matrix(g, "y", 4, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0)
			c, err := loss(z, y)
			return c, gorgonia.Nodes{z}, err
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// See gradcheck.Step: a right gradient is within ~1e-9.
		if rep.MaxErr > 1e-7 {
			t.Errorf("%s: gradient error %g at %s", name, rep.MaxErr, rep.Worst)
		}
	}
}

func TestLossBadInput(t *testing.T) {
	g := gorgonia.NewGraph()
	a := matrix(g, "a", 2, 3, make([]float64, 6)...)
	b := matrix(g, "b", 3, 2, make([]float64, 6)...)
	v := settest.Input(g, "v", tensor.New(tensor.WithShape(6), tensor.WithBacking(make([]float64, 6))))
	for name, f := range map[string]func() (*gorgonia.Node, error){
		"L1 shapes":         func() (*gorgonia.Node, error) { return L1(a, b) },
		"L1 nil":            func() (*gorgonia.Node, error) { return L1(nil, a) },
		"cross-entropy":     func() (*gorgonia.Node, error) { return CrossEntropy(a, b) },
		"cross-entropy vec": func() (*gorgonia.Node, error) { return CrossEntropy(v, v) },
		"cross-entropy nil": func() (*gorgonia.Node, error) { return CrossEntropy(a, nil) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
