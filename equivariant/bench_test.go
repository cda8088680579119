package equivariant_test

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
)

// The shapes of dense_fwdbwd and equi_fwdbwd in shared/bench/torch_ref.py:
// a set of 256 elements, 512 → 512 features, ReLU, forward and backward of
// the sum of the outputs. The two benchmarks differ only in the layer, so
// their ratio is the equivariant layer's overhead.
const (
	benchB  = 256
	benchIn = 512
)

var benchDtypes = []struct {
	name string
	dt   tensor.Dtype
}{{"f32", tensor.Float32}, {"f64", tensor.Float64}}

// fwdbwdGraph builds relu(layer(x)).sum() and its gradients with respect to
// the input and the layer's parameters.
func fwdbwdGraph(b *testing.B, dt tensor.Dtype, equi bool) gorgonia.VM {
	g := gorgonia.NewGraph()
	rng := settest.Rand(1)
	x := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(benchB, benchIn), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Gaussian(0, 1)))
	var (
		layer equivariant.Layer
		err   error
	)
	if equi {
		layer, err = equivariant.NewDense(g, equivariant.DenseConfig{In: benchIn, Out: benchIn, SetSize: benchB, Activation: equivariant.ReLU, Dtype: dt, Rand: rng})
	} else {
		layer, err = equivariant.NewLinear(g, equivariant.LinearConfig{In: benchIn, Out: benchIn, Activation: equivariant.ReLU, Dtype: dt, Rand: rng})
	}
	if err != nil {
		b.Fatal(err)
	}
	out, err := layer.Forward(x, nil)
	if err != nil {
		b.Fatal(err)
	}
	cost, err := gorgonia.Sum(out)
	if err != nil {
		b.Fatal(err)
	}
	wrt := append(gorgonia.Nodes{x}, layer.Learnables()...)
	if _, err := gorgonia.Grad(cost, wrt...); err != nil {
		b.Fatal(err)
	}
	return gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(wrt...))
}

func benchFwdBwd(b *testing.B, equi bool) {
	for _, d := range benchDtypes {
		b.Run(d.name, func(b *testing.B) {
			vm := fwdbwdGraph(b, d.dt, equi)
			defer vm.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := vm.RunAll(); err != nil {
					b.Fatal(err)
				}
				vm.Reset()
			}
		})
	}
}

// BenchmarkDenseFwdBwd is dense_fwdbwd: a plain dense layer (Linear).
func BenchmarkDenseFwdBwd(b *testing.B) { benchFwdBwd(b, false) }

// BenchmarkEquiFwdBwd is equi_fwdbwd: the equivariant layer of Eq. 12.
func BenchmarkEquiFwdBwd(b *testing.B) { benchFwdBwd(b, true) }
