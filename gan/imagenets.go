package gan

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

// imageNets holds the sizes of an image run's networks.
type imageNets struct {
	c, h, w  int   // image shape
	latent   int   // generator input
	widths   []int // generator hidden dense widths
	genMaps  int   // feature maps the generator's dense part draws at full size
	channels []int // discriminator conv channels
	batch    int   // set size for the reweighting of Sec. 4.3
	batched  bool  // equivariant convs (BGAN, M-BGAN) or ordinary ones
	dtype    tensor.Dtype
}

// imageGenerator builds the generator of an image run: dense layers, each
// batch-normalised (see batchNorm) and rectified, from the latent code to
// genMaps feature maps of the full image size, then one 3×3 convolution to
// the image's channels with a sigmoid, so that pixel values lie in (0, 1)
// as the data's do. The convolution ties neighbouring pixels together,
// which a dense output layer would have to learn pixel by pixel.
func imageGenerator(g *gorgonia.ExprGraph, n imageNets, rng *rand.Rand) (equivariant.Stack, error) {
	sizes := append(append([]int{n.latent}, n.widths...), n.genMaps*n.h*n.w)
	var s equivariant.Stack
	for i := 0; i+1 < len(sizes); i++ {
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: sizes[i], Out: sizes[i+1], Init: equivariant.He,
			Dtype: n.dtype, Name: fmt.Sprintf("G.l%d", i), Rand: rng,
		})
		if err != nil {
			return nil, err
		}
		s = append(s, l, newBatchNorm(g, fmt.Sprintf("G.bn%d", i), sizes[i+1], n.dtype), act{equivariant.ReLU})
	}
	s = append(s, reshape{per: []int{n.genMaps, n.h, n.w}},
		newConv2D(g, "G.conv", n.genMaps, n.c, 3, equivariant.Sigmoid, equivariant.FanInUniform, n.dtype, rng))
	return s, nil
}

// imageDiscriminator builds the discriminator of an image run: 3×3
// convolutions with LeakyReLU, each followed by 2×2 max pooling while the
// maps are at least 2 pixels wide, then a dense layer from the flattened
// maps to one logit per image. For the batch methods every convolution is
// equivariant.Conv2D, so each image's logit o_b depends on the whole batch
// through the pooled feature maps ρ(x) of every layer (Sec. 4.3, Figure
// 1); otherwise they are the same convolutions without the pooled term,
// and each image is scored alone.
func imageDiscriminator(g *gorgonia.ExprGraph, n imageNets, rng *rand.Rand) (equivariant.Stack, error) {
	var s equivariant.Stack
	in, h, w := n.c, n.h, n.w
	for i, out := range n.channels {
		name := fmt.Sprintf("D.conv%d", i)
		if n.batched {
			l, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{
				InChannels: in, OutChannels: out, SetSize: n.batch, Activation: equivariant.LeakyReLU,
				Init: equivariant.He, Dtype: n.dtype, Name: name, Rand: rng,
			})
			if err != nil {
				return nil, err
			}
			s = append(s, l)
		} else {
			s = append(s, newConv2D(g, name, in, out, 3, equivariant.LeakyReLU, equivariant.He, n.dtype, rng))
		}
		if h >= 2 && w >= 2 {
			s = append(s, maxPool2{})
			h, w = h/2, w/2
		}
		in = out
	}
	head, err := equivariant.NewLinear(g, equivariant.LinearConfig{
		In: in * h * w, Out: 1, Init: equivariant.FanInUniform, Dtype: n.dtype, Name: "D.head", Rand: rng,
	})
	if err != nil {
		return nil, err
	}
	return append(s, reshape{per: []int{in * h * w}}, head), nil
}
