package accel_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/blasbench"
	"github.com/symnet/symnet/internal/settest"
)

// gemmShapes are the three products of a forward and backward pass through
// a 512 → 512 dense layer on a batch of 256 (y = x·W, dW = xᵀ·dy,
// dx = dy·Wᵀ) and a square product.
var gemmShapes = []struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}{
	{"xW_256x512x512", blas.NoTrans, blas.NoTrans, 256, 512, 512},
	{"xTdy_512x512x256", blas.Trans, blas.NoTrans, 512, 512, 256},
	{"dyWT_256x512x512", blas.NoTrans, blas.Trans, 256, 512, 512},
	{"square_1024", blas.NoTrans, blas.NoTrans, 1024, 1024, 1024},
}

// BenchmarkSgemm and BenchmarkDgemm time one product per iteration with
// each backend of this build (gonum, accel, and OpenBLAS under the openblas
// tag) and report GFLOP/s, counting 2·m·n·k flops.
func BenchmarkSgemm(b *testing.B) {
	for _, s := range gemmShapes {
		x, y, c := randSlice[float32](s.m*s.k, 1), randSlice[float32](s.k*s.n, 2), make([]float32, s.m*s.n)
		lda, ldb := ld(s.tA, s.m, s.k), ld(s.tB, s.k, s.n)
		for _, be := range blasbench.All {
			b.Run(s.name+"/"+be.Name, func(b *testing.B) {
				for b.Loop() {
					be.BLAS.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, c, s.n)
				}
				reportGFLOPS(b, s.m, s.n, s.k)
			})
		}
	}
}

func BenchmarkDgemm(b *testing.B) {
	for _, s := range gemmShapes {
		x, y, c := randSlice[float64](s.m*s.k, 1), randSlice[float64](s.k*s.n, 2), make([]float64, s.m*s.n)
		lda, ldb := ld(s.tA, s.m, s.k), ld(s.tB, s.k, s.n)
		for _, be := range blasbench.All {
			b.Run(s.name+"/"+be.Name, func(b *testing.B) {
				for b.Loop() {
					be.BLAS.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, c, s.n)
				}
				reportGFLOPS(b, s.m, s.n, s.k)
			})
		}
	}
}

// ld is the leading dimension of a dense X whose op(X) is r×c.
func ld(t blas.Transpose, r, c int) int {
	if t == blas.NoTrans {
		return c
	}
	return r
}

func randSlice[T float32 | float64](n int, seed uint64) []T {
	rng := rand.New(rand.NewPCG(seed, 3))
	s := make([]T, n)
	for i := range s {
		s[i] = T(rng.NormFloat64())
	}
	return s
}

func reportGFLOPS(b *testing.B, m, n, k int) {
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// The shapes of equivariant's BenchmarkDenseFwdBwd and BenchmarkEquiFwdBwd
// (dense_fwdbwd and equi_fwdbwd of shared/bench/torch_ref.py): a set of 256
// elements, 512 → 512 features, ReLU, forward and backward of the sum of
// the outputs.
const (
	fwdbwdB  = 256
	fwdbwdIn = 512
)

// fwdbwdMachine builds relu(layer(x)).sum() and its gradients with respect
// to x and the layer's parameters, as equivariant's benchmark does.
func fwdbwdMachine(b *testing.B, dt tensor.Dtype, equi bool) gorgonia.VM {
	g := gorgonia.NewGraph()
	rng := settest.Rand(1)
	x := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(fwdbwdB, fwdbwdIn), gorgonia.WithName("x"), gorgonia.WithInit(gorgonia.Gaussian(0, 1)))
	var (
		layer equivariant.Layer
		err   error
	)
	if equi {
		layer, err = equivariant.NewDense(g, equivariant.DenseConfig{In: fwdbwdIn, Out: fwdbwdIn, SetSize: fwdbwdB, Activation: equivariant.ReLU, Dtype: dt, Rand: rng})
	} else {
		layer, err = equivariant.NewLinear(g, equivariant.LinearConfig{In: fwdbwdIn, Out: fwdbwdIn, Activation: equivariant.ReLU, Dtype: dt, Rand: rng})
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

// benchFwdBwd runs a step with each backend installed in gorgonia in turn,
// putting gonum back at the end.
func benchFwdBwd(b *testing.B, equi bool) {
	defer gorgonia.Use(gonum.Implementation{})
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, be := range blasbench.All {
			b.Run(fmt.Sprintf("%s/%s", map[bool]string{true: "f32", false: "f64"}[dt == tensor.Float32], be.Name), func(b *testing.B) {
				gorgonia.Use(be.BLAS)
				vm := fwdbwdMachine(b, dt, equi)
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

// BenchmarkDenseFwdBwd is equivariant's BenchmarkDenseFwdBwd (a plain
// dense layer) with each backend.
func BenchmarkDenseFwdBwd(b *testing.B) { benchFwdBwd(b, false) }

// BenchmarkEquiFwdBwd is equivariant's BenchmarkEquiFwdBwd (the
// equivariant layer of Eq. 12) with each backend.
func BenchmarkEquiFwdBwd(b *testing.B) { benchFwdBwd(b, true) }

// BenchmarkEquiDenseRatio runs one step of the equivariant layer and one of
// the plain dense layer in turn and reports the ratio of their total times,
// equi/dense: the cost of the pooled term ρ(x) Γ of Eq. 12 (see
// blasbench.Ratio for why they alternate).
func BenchmarkEquiDenseRatio(b *testing.B) {
	defer gorgonia.Use(gonum.Implementation{})
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		for _, be := range blasbench.All {
			b.Run(fmt.Sprintf("%s/%s", map[bool]string{true: "f32", false: "f64"}[dt == tensor.Float32], be.Name), func(b *testing.B) {
				gorgonia.Use(be.BLAS)
				equi, dense := fwdbwdMachine(b, dt, true), fwdbwdMachine(b, dt, false)
				defer equi.Close()
				defer dense.Close()
				step := func(vm gorgonia.VM) func() error {
					return func() error {
						defer vm.Reset()
						return vm.RunAll()
					}
				}
				blasbench.Ratio(b, "equi/dense", step(equi), step(dense))
			})
		}
	}
}
