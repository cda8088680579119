package gan

import (
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

// batchNorm is batch normalisation (Ioffe and Szegedy, 2015) of a dense
// layer's output x of shape (B, F): every feature is centred and scaled by
// its mean and standard deviation over the batch, then mapped by a learnt
// γ·x̂ + β. DCGAN's generator (Radford et al., 2015) normalises so; without
// it the image generators here give nearly the same image for every latent
// code at the start of training and collapse onto one digit within a few
// hundred steps, while with it they spread over all ten digits.
//
// The statistics are always those of the batch, in training and in
// sampling alike, so a generated image depends on the other latent codes
// of its batch. The trainer therefore generates in batches of BatchSize
// codes, in training and in Sample alike: the generator's distribution is
// the one it was trained as.
type batchNorm struct {
	Gamma, Beta *gorgonia.Node // (1, F)
}

// bnEps keeps the scale finite for a feature that is constant over a batch.
const bnEps = 1e-5

func newBatchNorm(g *gorgonia.ExprGraph, name string, f int, dt tensor.Dtype) *batchNorm {
	gamma := tensor.New(tensor.WithShape(1, f), tensor.Of(dt))
	switch d := gamma.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = 1
		}
	case []float32:
		for i := range d {
			d[i] = 1
		}
	}
	return &batchNorm{
		Gamma: gorgonia.NodeFromAny(g, gamma, gorgonia.WithName(name+".gamma")),
		Beta:  gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(1, f), tensor.Of(dt)), gorgonia.WithName(name+".beta")),
	}
}

func (l *batchNorm) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) {
	f := x.Shape()[1]
	row := tensor.Shape{1, f}
	mean := func(v *gorgonia.Node) (*gorgonia.Node, error) {
		m, err := gorgonia.Mean(v, 0) // (F): the batch axis is dropped
		if err != nil {
			return nil, err
		}
		return gorgonia.Reshape(m, row)
	}
	mu, err := mean(x)
	if err != nil {
		return nil, err
	}
	xc, err := gorgonia.BroadcastSub(x, mu, nil, []byte{0})
	if err != nil {
		return nil, err
	}
	sq, err := gorgonia.Square(xc)
	if err != nil {
		return nil, err
	}
	v, err := mean(sq)
	if err != nil {
		return nil, err
	}
	if v, err = gorgonia.Add(v, constOf(x.Dtype(), bnEps)); err != nil {
		return nil, err
	}
	sd, err := gorgonia.Sqrt(v)
	if err != nil {
		return nil, err
	}
	y, err := gorgonia.BroadcastHadamardDiv(xc, sd, nil, []byte{0})
	if err != nil {
		return nil, err
	}
	if y, err = gorgonia.BroadcastHadamardProd(y, l.Gamma, nil, []byte{0}); err != nil {
		return nil, err
	}
	return gorgonia.BroadcastAdd(y, l.Beta, nil, []byte{0})
}

func (l *batchNorm) Learnables() gorgonia.Nodes { return gorgonia.Nodes{l.Gamma, l.Beta} }

func (l *batchNorm) ShareIn(g *gorgonia.ExprGraph) (equivariant.Layer, error) {
	return &batchNorm{
		Gamma: gorgonia.NodeFromAny(g, l.Gamma.Value(), gorgonia.WithName(l.Gamma.Name())),
		Beta:  gorgonia.NodeFromAny(g, l.Beta.Value(), gorgonia.WithName(l.Beta.Name())),
	}, nil
}
