package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// benchShapes are the three products of a forward and backward pass
// through a 512 → 512 dense layer on a batch of 256 (x·W, xᵀ·dy, dy·Wᵀ)
// and a square product.
var benchShapes = []struct {
	name    string
	tA, tB  blas.Transpose
	m, n, k int
}{
	{"fwd_256x512x512", blas.NoTrans, blas.NoTrans, 256, 512, 512},
	{"dW_512x512x256", blas.Trans, blas.NoTrans, 512, 512, 256},
	{"dX_256x512x512", blas.NoTrans, blas.Trans, 256, 512, 512},
	{"square_1024", blas.NoTrans, blas.NoTrans, 1024, 1024, 1024},
}

// BenchmarkGemm times Sgemm and Dgemm with each kernel (the portable one
// forced, and the assembly one where the CPU has it) and gonum's, and
// reports GFLOP/s counting 2·m·n·k flops per product.
func BenchmarkGemm(b *testing.B) {
	b.Run("f32", benchGemm[float32])
	b.Run("f64", benchGemm[float64])
}

func benchGemm[T float](b *testing.B) {
	for _, s := range benchShapes {
		rng := rand.New(rand.NewPCG(1, 2))
		ar, ac := storedShape(s.tA, s.m, s.k)
		br, bc := storedShape(s.tB, s.k, s.n)
		x, y, z := make([]T, ar*ac), make([]T, br*bc), make([]T, s.m*s.n)
		for i := range x {
			x[i] = normal[T](rng)
		}
		for i := range y {
			y[i] = normal[T](rng)
		}
		run := func(name string, f gemmFunc[T], setup func() func()) {
			b.Run(fmt.Sprintf("%s/%s", s.name, name), func(b *testing.B) {
				defer setup()()
				for b.Loop() {
					f(s.tA, s.tB, s.m, s.n, s.k, 1, x, ac, y, bc, 0, z, s.n)
				}
				b.ReportMetric(2*float64(s.m)*float64(s.n)*float64(s.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
		for _, kern := range kernelsFor[T]() {
			run(kern.name, oursGemm[T](), func() func() { return useKernel(kern) })
		}
		run("gonum", refGemm[T](), func() func() { return func() {} })
	}
}
