package gan

import (
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/blasbench"
)

// benchTrainer is a BGAN at the shapes of bgan_dstep and bgan_gstep in
// the shared PyTorch reference (bench/torch_ref.py): an equivariant
// discriminator 2→512→512→512→1 and a generator 2→512→512→512→2, ReLU,
// batches of 256, Adam, float32.
func benchTrainer(b *testing.B) *Trainer {
	b.Helper()
	tr, err := New(Config{
		Method: BGAN, Data: MixupRing(), Widths: []int{512, 512, 512}, BatchSize: 256,
		Gamma: 0.5, Iterations: 1, Seed: 1, Dtype: tensor.Float32,
	})
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// benchBLAS runs bench once per BLAS of blasbench.All: gorgonia's default
// (gonum's pure Go), package accel's assembly kernels, and OpenBLAS in
// builds with the openblas tag. Each is installed by name, not by
// accel.Use, whose choice depends on the build; gonum's is restored
// afterwards, as the package never installs another on its own.
func benchBLAS(b *testing.B, bench func(b *testing.B)) {
	defer gorgonia.Use(gonum.Implementation{})
	for _, be := range blasbench.All {
		b.Run("blas="+be.Name, func(b *testing.B) {
			gorgonia.Use(be.BLAS)
			bench(b)
		})
	}
}

// BenchmarkBGANDStep times one discriminator step: a real batch, G's
// forward pass on the latent batch, mixing with β ~ Bernoulli(p)^B, D's
// forward and backward passes, the KL ratio loss of the mean logit, and
// Adam on D.
func BenchmarkBGANDStep(b *testing.B) {
	benchBLAS(b, func(b *testing.B) {
		tr := benchTrainer(b)
		defer tr.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := tr.runStep(&tr.d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBGANGStep times one generator step: G's forward and backward
// passes through the mixed batch and D, the loss softplus(−mean o), and
// Adam on G. The PyTorch reference feeds D a pure fake batch; the mixing
// adds three elementwise operations on a 256×2 batch.
func BenchmarkBGANGStep(b *testing.B) {
	benchBLAS(b, func(b *testing.B) {
		tr := benchTrainer(b)
		defer tr.Close()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := tr.runStep(&tr.g); err != nil {
				b.Fatal(err)
			}
		}
	})
}
