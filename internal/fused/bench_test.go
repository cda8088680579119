package fused

import (
	"math/rand/v2"
	"testing"
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
