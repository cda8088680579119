package approx_test

import (
	"testing"

	"github.com/symnet/symnet/approx"
)

func BenchmarkFitShallow32(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := approx.FitShallow(sin3, 32); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApproximateE2(b *testing.B) {
	e2, _ := approx.ElementaryPolynomial(2)
	for i := 0; i < b.N; i++ {
		if _, err := approx.Approximate(e2, approx.ApproxConfig{SetSize: 5, Lo: -1, Hi: 1, Tol: 1e-3}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrain100 times 100 training steps of a width-32 network on 64
// sets of 8 elements (plus the set-up and a 512-set test).
func BenchmarkTrain100(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := approx.Train(approx.TrainConfig{Target: approx.Variance, Width: 32, Steps: 100, TestSets: 512, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
