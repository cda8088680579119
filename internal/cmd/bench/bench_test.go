package main

import (
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/blasbench"
	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/internal/settest"
)

// The shape of mlp_step in torch_ref.py: a pointwise ReLU MLP
// 2→512→512→512→1 on a batch of 256, mean squared error, one Adam step.
const (
	mlpBatch = 256
	mlpWidth = 512
)

// mlpStep is a built training step: the graph's machine and its optimiser.
type mlpStep struct {
	vm  gorgonia.VM
	opt *optim.Adam
}

// newMLPStep builds the network from equivariant.Linear layers, the loss
// mean((f(x) − y)²) with fixed x and y drawn from N(0, 1) (as torch_ref.py
// does), its gradients, and Adam with PyTorch's defaults. The graph is
// built once; each step runs it, as symnet's training loops do.
func newMLPStep(tb testing.TB, dt tensor.Dtype) *mlpStep {
	tb.Helper()
	g := gorgonia.NewGraph()
	rng := settest.Rand(1)
	data := func(name string, cols int) *gorgonia.Node {
		t := settest.AsDtype(settest.Normal(rng, mlpBatch, cols), dt)
		return gorgonia.NodeFromAny(g, t, gorgonia.WithName(name))
	}
	x, y := data("x", 2), data("y", 1)
	sizes := []int{2, mlpWidth, mlpWidth, mlpWidth, 1}
	var net equivariant.Stack
	for i := 0; i+1 < len(sizes); i++ {
		act := equivariant.ReLU
		if i+2 == len(sizes) {
			act = equivariant.Identity
		}
		// FanInUniform is PyTorch's nn.Linear initialisation; the density
		// of the ReLU outputs matters to gonum's gemm, which skips zeros.
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: sizes[i], Out: sizes[i+1], Activation: act, Init: equivariant.FanInUniform, Dtype: dt, Rand: rng,
		})
		if err != nil {
			tb.Fatal(err)
		}
		net = append(net, l)
	}
	out, err := net.Forward(x, nil)
	if err != nil {
		tb.Fatal(err)
	}
	diff, err := gorgonia.Sub(out, y)
	if err != nil {
		tb.Fatal(err)
	}
	sq, err := gorgonia.Square(diff)
	if err != nil {
		tb.Fatal(err)
	}
	loss, err := gorgonia.Mean(sq)
	if err != nil {
		tb.Fatal(err)
	}
	params := net.Learnables()
	if _, err := gorgonia.Grad(loss, params...); err != nil {
		tb.Fatal(err)
	}
	opt, err := optim.NewAdam(params, optim.AdamConfig{})
	if err != nil {
		tb.Fatal(err)
	}
	return &mlpStep{vm: gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(params...)), opt: opt}
}

// run is one training step: forward and backward passes, then Adam.
func (s *mlpStep) run() error {
	defer s.vm.Reset()
	if err := s.vm.RunAll(); err != nil {
		return err
	}
	return s.opt.Step()
}

// BenchmarkMLPStep is mlp_step of torch_ref.py, one training step per
// iteration, for each dtype and BLAS backend (gorgonia's BLAS is set for
// the sub-benchmark and put back to gonum's afterwards).
func BenchmarkMLPStep(b *testing.B) {
	defer gorgonia.Use(gonum.Implementation{})
	for _, dt := range []struct {
		name string
		dt   tensor.Dtype
	}{{"f32", tensor.Float32}, {"f64", tensor.Float64}} {
		for _, be := range blasbench.All {
			b.Run(dt.name+"/"+be.Name, func(b *testing.B) {
				gorgonia.Use(be.BLAS)
				s := newMLPStep(b, dt.dt)
				defer s.vm.Close()
				for b.Loop() {
					if err := s.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
