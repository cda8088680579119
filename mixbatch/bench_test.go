package mixbatch_test

import (
	"fmt"
	"testing"

	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

var sinkFloat float64

// BenchmarkOptimal times D* by the O(B²) recurrence, one call of Optimal
// per iteration (prior weights included, uniform prior). B = 16 and 20
// compare with BenchmarkOptimalBruteForce at equal B; B = 4096 has the
// goal of 50 ms; the ±1000 variant stresses the exponent bookkeeping.
func BenchmarkOptimal(b *testing.B) {
	for _, c := range []struct {
		b     int
		scale float64
		name  string
	}{{16, 3, ""}, {20, 3, ""}, {256, 3, ""}, {4096, 3, ""}, {4096, 1000, ",gaps±1000"}} {
		l1, l2 := logDensities(uint64(c.b), c.b, c.scale)
		b.Run(fmt.Sprintf("B=%d%s", c.b, c.name), func(b *testing.B) {
			for b.Loop() {
				d, err := mixbatch.Optimal(l1, l2, mixbatch.Uniform())
				if err != nil {
					b.Fatal(err)
				}
				sinkFloat = d
			}
		})
	}
}

// BenchmarkOptimalBruteForce times the 2^B enumeration (the definition of
// Eq. 6–7) on the same batches as BenchmarkOptimal.
func BenchmarkOptimalBruteForce(b *testing.B) {
	for _, n := range []int{16, 20} {
		l1, l2 := logDensities(uint64(n), n, 3)
		b.Run(fmt.Sprintf("B=%d", n), func(b *testing.B) {
			for b.Loop() {
				d, err := mixbatch.OptimalBruteForce(l1, l2, mixbatch.Uniform())
				if err != nil {
					b.Fatal(err)
				}
				sinkFloat = d
			}
		})
	}
}

var sinkMixed *mixbatch.Mixed

// BenchmarkMix times one Mixer.Mix (draw p and β, build the mixed batch,
// its complement and their targets) for a 2-D toy batch (256, 2) in
// float64 and an image batch (256, 3, 32, 32) in float32.
func BenchmarkMix(b *testing.B) {
	for _, c := range []struct {
		dt    tensor.Dtype
		shape []int
	}{{tensor.Float64, []int{256, 2}}, {tensor.Float32, []int{256, 3, 32, 32}}} {
		real := labelled(c.dt, true, c.shape...)
		fake := labelled(c.dt, false, c.shape...)
		mixer, err := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(1))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%v%v", c.dt, c.shape), func(b *testing.B) {
			for b.Loop() {
				m, err := mixer.Mix(real, fake)
				if err != nil {
					b.Fatal(err)
				}
				sinkMixed = m
			}
		})
	}
}
