package optim

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// mlpShapes are the parameters of the 2→512→512→512→1 MLP of mlp_step in
// shared/bench/torch_ref.py: the optimiser's share of one training step.
var mlpShapes = [][]int{{2, 512}, {512}, {512, 512}, {512}, {512, 512}, {512}, {512, 1}, {1}}

// mlpParams returns parameter nodes whose gradients a TapeMachine has
// filled, as a training step leaves them.
func mlpParams(b *testing.B, dt tensor.Dtype) gorgonia.Nodes {
	g := gorgonia.NewGraph()
	rng := rand.New(rand.NewPCG(1, 1))
	var (
		nodes gorgonia.Nodes
		cost  *gorgonia.Node
	)
	for i, s := range mlpShapes {
		n := 1
		for _, d := range s {
			n *= d
		}
		v := randomDense(dt, rng, n)
		v.Reshape(s...)
		p := gorgonia.NodeFromAny(g, v, gorgonia.WithName(fmt.Sprintf("p%d", i)))
		term := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(p))))
		if cost == nil {
			cost = term
		} else {
			cost = gorgonia.Must(gorgonia.Add(cost, term))
		}
		nodes = append(nodes, p)
	}
	if _, err := gorgonia.Grad(cost, nodes...); err != nil {
		b.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(nodes...))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		b.Fatal(err)
	}
	return nodes
}

// BenchmarkAdamStep times one optimiser step over the MLP's parameters,
// this package's Adam against gorgonia's AdamSolver.
func BenchmarkAdamStep(b *testing.B) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		b.Run("optim/"+dt.String(), func(b *testing.B) {
			nodes := mlpParams(b, dt)
			a, err := NewAdam(nodes, AdamConfig{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := a.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("gorgonia/"+dt.String(), func(b *testing.B) {
			nodes := mlpParams(b, dt)
			s := gorgonia.NewAdamSolver()
			vgs := gorgonia.NodesToValueGrads(nodes)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.Step(vgs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
