package gan

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/blasbench"
)

// noise is an image source of uniform pixels, enough to time a step.
type noise struct{ c, h, w int }

func (n noise) Shape() (c, h, w int) { return n.c, n.h, n.w }

func (n noise) SampleTo(rng *rand.Rand, dst []float64) error {
	for i := range dst {
		dst[i] = rng.Float64()
	}
	return nil
}

// benchImageTrainer is a BGAN at the default of examples/mnist: stacked
// MNIST at 14×14 (3 channels), batches of 64, convolutions of 32 and 64
// channels, float32; plain selects ordinary convolutions in the same
// network and loss.
func benchImageTrainer(b *testing.B, plain bool) *Trainer {
	b.Helper()
	tr, err := newTrainer(Config{
		Method: BGAN, Images: noise{3, 14, 14}, BatchSize: 64, Channels: []int{32, 64},
		Gamma: 0.5, Iterations: 1, Seed: 1, Dtype: tensor.Float32,
	}, plain)
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkConvDStep times one discriminator step of the image BGAN: a
// real batch, G's forward pass, the mixed batch, D's forward and backward
// passes and Adam, with equivariant convolutions (Sec. 4.3) and with
// ordinary ones in the same network, under both BLAS.
func BenchmarkConvDStep(b *testing.B) {
	benchBLAS(b, func(b *testing.B) {
		for _, c := range []struct {
			name  string
			plain bool
		}{{"equivariant", false}, {"plain", true}} {
			b.Run(c.name, func(b *testing.B) {
				tr := benchImageTrainer(b, c.plain)
				defer tr.Close()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := tr.runStep(&tr.d); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkConvDStepRatio alternates one step of each discriminator and
// reports the ratio of their total times, eq/plain: the cost of the
// pooled terms conv_Γ(ρ(x)) that make the network permutation invariant
// (see blasbench.Ratio for why they alternate).
func BenchmarkConvDStepRatio(b *testing.B) {
	benchBLAS(b, func(b *testing.B) {
		eq, plain := benchImageTrainer(b, false), benchImageTrainer(b, true)
		defer eq.Close()
		defer plain.Close()
		step := func(tr *Trainer) func() error {
			return func() error {
				_, err := tr.runStep(&tr.d)
				return err
			}
		}
		blasbench.Ratio(b, "eq/plain", step(eq), step(plain))
	})
}
