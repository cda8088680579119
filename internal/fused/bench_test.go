package fused

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/accel"
	"github.com/symnet/symnet/internal/settest"
)

// The kernels at the shape of a 512-unit layer on a batch of 256, where
// they run once per training step.
const benchRows, benchCols = 256, 512

func benchData[T float32 | float64](n int) []T {
	rng := rand.New(rand.NewPCG(1, 2))
	d := make([]T, n)
	for i := range d {
		d[i] = T(rng.NormFloat64())
	}
	return d
}

func BenchmarkRectGrad(b *testing.B) {
	b.Run("f32", func(b *testing.B) {
		y, g, dst := benchData[float32](benchRows*benchCols), benchData[float32](benchRows*benchCols), make([]float32, benchRows*benchCols)
		for b.Loop() {
			rectGrad(dst, y, g, 0)
		}
	})
	b.Run("f64", func(b *testing.B) {
		y, g, dst := benchData[float64](benchRows*benchCols), benchData[float64](benchRows*benchCols), make([]float64, benchRows*benchCols)
		for b.Loop() {
			rectGrad(dst, y, g, 0)
		}
	})
}

func BenchmarkAddRowsRectify(b *testing.B) {
	b.Run("f32", func(b *testing.B) {
		x, r, dst := benchData[float32](benchRows*benchCols), benchData[float32](benchCols), make([]float32, benchRows*benchCols)
		for b.Loop() {
			addRows(dst, x, r, benchCols, benchRows, true, 0)
		}
	})
	b.Run("f64", func(b *testing.B) {
		x, r, dst := benchData[float64](benchRows*benchCols), benchData[float64](benchCols), make([]float64, benchRows*benchCols)
		for b.Loop() {
			addRows(dst, x, r, benchCols, benchRows, true, 0)
		}
	})
}

func BenchmarkSetMean(b *testing.B) {
	b.Run("f32", func(b *testing.B) {
		x, dst := benchData[float32](benchRows*benchCols), make([]float32, benchCols)
		for b.Loop() {
			setSum(dst, x, benchCols, benchRows, true)
		}
	})
	b.Run("f64", func(b *testing.B) {
		x, dst := benchData[float64](benchRows*benchCols), make([]float64, benchCols)
		for b.Loop() {
			setSum(dst, x, benchCols, benchRows, true)
		}
	})
}

// BenchmarkConv2D times a convolution's forward and backward pass (the
// output, and the gradients of Σ y ⊙ r with respect to the images and the
// kernels) built with Conv2D and with gorgonia.Conv2d, at the second
// layer of examples/mnist's discriminator: 64 images of 32 channels at
// 14×14, 64 kernels of 3×3, float32, under gonum's BLAS and accel's.
func BenchmarkConv2D(b *testing.B) {
	defer gorgonia.Use(gonum.Implementation{})
	for _, be := range []struct {
		name string
		blas gorgonia.BLAS
	}{{"gonum", gonum.Implementation{}}, {"accel", accel.Implementation{}}} {
		for _, c := range []struct {
			name string
			conv func(in gorgonia.Nodes) (*gorgonia.Node, error)
		}{{"fused", fusedConv}, {"gorgonia", gorgoniaConv}} {
			b.Run("blas="+be.name+"/"+c.name, func(b *testing.B) {
				gorgonia.Use(be.blas)
				x := settest.AsDtype(settest.Normal(settest.Rand(1), 64, 32, 14, 14), tensor.Float32)
				w := settest.AsDtype(settest.Normal(settest.Rand(2), 64, 32, 3, 3), tensor.Float32)
				g, _, cost, in, err := graph(c.conv, []*tensor.Dense{x, w})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := gorgonia.Grad(cost, in...); err != nil {
					b.Fatal(err)
				}
				vm := gorgonia.NewTapeMachine(g)
				defer vm.Close()
				for b.Loop() {
					if err := vm.RunAll(); err != nil {
						b.Fatal(err)
					}
					vm.Reset()
				}
			})
		}
	}
}
