package approx

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/gradcheck"
)

// forward evaluates the net on one set (rows of length in) in plain Go,
// the same arithmetic as the gorgonia network up to the order of sums: the
// reference that the tests compare [Net.Build] with.
func (n *Net) forward(x [][]float64) []float64 {
	h := x
	for _, l := range n.layers {
		rho := make([]float64, l.in)
		for _, row := range h {
			for i, v := range row {
				rho[i] += v
			}
		}
		for i := range rho {
			rho[i] /= float64(len(h))
		}
		set := append([]float64(nil), l.beta...)
		for i, r := range rho {
			if r == 0 {
				continue
			}
			for o := 0; o < l.out; o++ {
				set[o] += r * l.gamma[i*l.out+o]
			}
		}
		next := make([][]float64, len(h))
		for b, row := range h {
			y := append([]float64(nil), set...)
			for i, v := range row {
				if v == 0 {
					continue
				}
				for o := 0; o < l.out; o++ {
					y[o] += v * l.lambda[i*l.out+o]
				}
			}
			if l.sigmoid {
				for o := range y {
					y[o] = sigmoid(y[o])
				}
			}
			next[b] = y
		}
		h = next
	}
	out := make([]float64, len(n.outs))
	for _, row := range h {
		for o, v := range row {
			out[o] += v
		}
	}
	for o := range out {
		out[o] /= float64(len(h))
	}
	return out
}

// TestBuildMatchesForward checks that the gorgonia network Build creates
// computes what the construction's weights say: the plain-Go forward pass
// and Eval agree on random sets of several sizes, for a network of every
// construction (averages, side by side, products, a linear map). The two
// differ only in the order of floating-point sums; with the identity
// stages' gains of up to 4s/ε ≈ 2·10⁵ that is at most ~1e-10 here, and
// 1e-8 leaves room while any wrong weight moves outputs by far more.
func TestBuildMatchesForward(t *testing.T) {
	sq := Func{F: func(t float64) float64 { return 1 + t*t }, Lo: -1, Hi: 1, Curv: 2}
	ex := Func{F: math.Exp, Lo: -1, Hi: 1, Curv: math.E}
	a, err := Average(sq, 6)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Average(ex, 9)
	if err != nil {
		t.Fatal(err)
	}
	both, err := Concat(a, b)
	if err != nil {
		t.Fatal(err)
	}
	prod, err := Product(both, [][]int{{0, 1}, {1}, {0, 0}}, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	lin, err := Linear(prod, [][]float64{{1, -2, 0.5}, {0, 1, 1}}, []float64{3, -1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 0))
	for _, net := range []*Net{a, both, prod, lin} {
		var sets [][][]float64
		for _, size := range []int{1, 2, 5, 5, 9} {
			s, err := RandomSets(rng, 1, size, -1, 1)
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, s...)
		}
		got, err := net.Eval(sets)
		if err != nil {
			t.Fatal(err)
		}
		for i, set := range sets {
			want := net.forward(set)
			for o := range want {
				if d := math.Abs(got[i][o] - want[o]); d > 1e-8 {
					t.Errorf("widths %v, set %d output %d: gorgonia %v, plain Go %v", net.Widths(), i, o, got[i][o], want[o])
				}
			}
		}
	}
}

// TestBuildNameTaken: a second network of the same name in one graph is
// refused (gorgonia would otherwise merge their parameters).
func TestBuildNameTaken(t *testing.T) {
	a, err := Average(Func{F: math.Sin, Lo: -1, Hi: 1, Curv: 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	g := gorgonia.NewGraph()
	if _, err := a.Build(g, "n"); err != nil {
		t.Fatal(err)
	}
	_, err = a.Build(g, "n")
	if !errors.Is(err, equivariant.ErrName) || !strings.HasPrefix(err.Error(), "approx: ") {
		t.Errorf("second Build with the same name: %v", err)
	}
}

// TestTrainGradient checks the gradient of the training cost of Train
// against central differences (internal/gradcheck): the network and the
// squared error on a batch of 3 sets of 4 elements, with the random
// biases of Train's initialisation. gradcheck's step of 1e-6 gives
// differences good to ~1e-9 on a cost of order 1; 1e-6 flags a wrong
// gradient, not rounding.
func TestTrainGradient(t *testing.T) {
	cfg := TrainConfig{Target: Variance, Width: 3, Depth: 2, SetSize: 4, BatchSets: 3}
	rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
		rng := rand.New(rand.NewPCG(14, 0))
		fg, err := newFitGraph(g, cfg, rng)
		if err != nil {
			return nil, nil, err
		}
		xd := fg.x.Value().Data().([]float64)
		yd := fg.y.Value().Data().([]float64)
		fillSets(rng, cfg.Target, xd, yd, cfg.SetSize, 0.2, 0.1)
		return fg.cost, append(fg.net.Learnables(), fg.x), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MaxErr > 1e-6 {
		t.Errorf("gradient error %.3g at %s over %d entries", rep.MaxErr, rep.Worst, rep.Checked)
	}
}
