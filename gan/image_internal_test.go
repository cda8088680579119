package gan

import (
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
)

// weightedSum returns Σ w ⊙ x for a fixed random w of x's shape, a cost
// whose gradient reaches every output entry with a different weight.
func weightedSum(g *gorgonia.ExprGraph, x *gorgonia.Node, rng *rand.Rand) (*gorgonia.Node, error) {
	w := tensor.New(tensor.WithShape(x.Shape().Clone()...), tensor.Of(tensor.Float64))
	for i, d := 0, w.Data().([]float64); i < len(d); i++ {
		d[i] = rng.NormFloat64()
	}
	p, err := gorgonia.HadamardProd(x, gorgonia.NodeFromAny(g, w, gorgonia.WithName("w")))
	if err != nil {
		return nil, err
	}
	return gorgonia.Sum(p)
}

// TestImageNetworksGradient checks the gradients of both image networks,
// batch normalisation, reshapes and both kinds of convolution included,
// against central differences. Inputs are random, so no max-pooling tie
// and no rectifier kink lies within the step of 1e-6; gradcheck's bound of
// 1e-6 is far above its float64 error (about 1e-10) and far below what a
// wrong term gives.
func TestImageNetworksGradient(t *testing.T) {
	n := imageNets{c: 2, h: 4, w: 4, latent: 3, widths: []int{4}, genMaps: 2, channels: []int{3, 2}, batch: 4, dtype: tensor.Float64}
	for _, batched := range []bool{false, true} {
		n.batched = batched
		rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
			rng := rand.New(rand.NewPCG(1, 2))
			gen, err := imageGenerator(g, n, rng)
			if err != nil {
				return nil, nil, err
			}
			disc, err := imageDiscriminator(g, n, rng)
			if err != nil {
				return nil, nil, err
			}
			z := tensor.New(tensor.WithShape(n.batch, n.latent), tensor.Of(tensor.Float64))
			for i, d := 0, z.Data().([]float64); i < len(d); i++ {
				d[i] = rng.NormFloat64()
			}
			zn := gorgonia.NodeFromAny(g, z, gorgonia.WithName("z"))
			img, err := gen.Forward(zn, nil)
			if err != nil {
				return nil, nil, err
			}
			o, err := disc.Forward(img, nil)
			if err != nil {
				return nil, nil, err
			}
			cost, err := weightedSum(g, o, rng)
			if err != nil {
				return nil, nil, err
			}
			return cost, append(append(gorgonia.Nodes{zn}, gen.Learnables()...), disc.Learnables()...), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if rep.MaxErr > 1e-6 {
			t.Errorf("batched %v: gradient error %g at %s (%d entries)", batched, rep.MaxErr, rep.Worst, rep.Checked)
		}
	}
}
