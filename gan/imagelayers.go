package gan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/fused"
)

// The layers below complete package equivariant's for image networks.
// Each treats the images of a batch one by one, so each is trivially
// permutation-equivariant over the batch and can sit in an equivariant
// Stack between Conv2D layers; each is an equivariant.Sharer, so that
// networks built from them can be rebuilt in the other training graph.

// conv2D is an ordinary convolution, μ(β + conv_Λ(x_b)) for each image
// x_b of a batch (B, C, H, W) on its own: the twin of equivariant.Conv2D
// without the pooled term conv_Γ(ρ(x)), for the pointwise discriminators
// of the standard and mixup GANs and for the generator. Stride 1 and
// padding (k−1)/2 keep H×W, as in equivariant.Conv2D, whose convolution
// (fused.Conv2D) it shares.
type conv2D struct {
	W, B       *gorgonia.Node // (L, C, k, k) and (1, L, 1, 1)
	kernel     int
	activation equivariant.Activation
}

// newConv2D draws the kernel as equivariant draws Λ, with fanIn = C·k²:
// He, N(0, 2/fanIn), for the discriminator's rectifiers, so that the
// ordinary and the equivariant discriminator start from the same scale
// (Λ then gets the factor B/(B+1) of Sec. 4.3), or FanInUniform,
// U(−1/√fanIn, 1/√fanIn), PyTorch's default, for the generator's output.
// The bias starts at zero, as equivariant's does.
func newConv2D(g *gorgonia.ExprGraph, name string, in, out, kernel int, act equivariant.Activation, init equivariant.Init, dt tensor.Dtype, rng *rand.Rand) *conv2D {
	fanIn := float64(in * kernel * kernel)
	w := tensor.New(tensor.WithShape(out, in, kernel, kernel), tensor.Of(dt))
	draw := func() float64 { return math.Sqrt(2/fanIn) * rng.NormFloat64() }
	if init == equivariant.FanInUniform {
		draw = func() float64 { return (2*rng.Float64() - 1) / math.Sqrt(fanIn) }
	}
	switch d := w.Data().(type) {
	case []float64:
		for i := range d {
			d[i] = draw()
		}
	case []float32:
		for i := range d {
			d[i] = float32(draw())
		}
	}
	return &conv2D{
		W:          gorgonia.NodeFromAny(g, w, gorgonia.WithName(name+".W")),
		B:          gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(1, out, 1, 1), tensor.Of(dt)), gorgonia.WithName(name+".B")),
		kernel:     kernel,
		activation: act,
	}
}

func (c *conv2D) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) {
	h, err := fused.Conv2D(x, c.W)
	if err != nil {
		return nil, fmt.Errorf("gan: conv %s on %v: %w", c.W.Name(), x.Shape(), err)
	}
	if h, err = fused.AddChannels(h, c.B); err != nil {
		return nil, err
	}
	return activate(h, c.activation)
}

func (c *conv2D) Learnables() gorgonia.Nodes { return gorgonia.Nodes{c.W, c.B} }

func (c *conv2D) ShareIn(g *gorgonia.ExprGraph) (equivariant.Layer, error) {
	return &conv2D{
		W:          gorgonia.NodeFromAny(g, c.W.Value(), gorgonia.WithName(c.W.Name())),
		B:          gorgonia.NodeFromAny(g, c.B.Value(), gorgonia.WithName(c.B.Name())),
		kernel:     c.kernel,
		activation: c.activation,
	}, nil
}

// activate applies μ. Package equivariant keeps its own application
// unexported; the few activations the image networks use are spelt out.
func activate(x *gorgonia.Node, a equivariant.Activation) (*gorgonia.Node, error) {
	switch a {
	case equivariant.Identity:
		return x, nil
	case equivariant.ReLU:
		return gorgonia.Rectify(x)
	case equivariant.LeakyReLU:
		return gorgonia.LeakyRelu(x, equivariant.LeakySlope)
	case equivariant.Sigmoid:
		return gorgonia.Sigmoid(x)
	case equivariant.Tanh:
		return gorgonia.Tanh(x)
	}
	return nil, fmt.Errorf("%w: activation %v in an image layer", ErrConfig, a)
}

// maxPool2 halves the height and width of every image by 2×2 max pooling
// (an odd last row or column is dropped).
type maxPool2 struct{}

func (maxPool2) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) {
	return gorgonia.MaxPool2D(x, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2})
}
func (maxPool2) Learnables() gorgonia.Nodes                               { return nil }
func (p maxPool2) ShareIn(*gorgonia.ExprGraph) (equivariant.Layer, error) { return p, nil }

// reshape gives every element of the batch the shape per: flattening
// (B, C, H, W) to (B, C·H·W) before a dense head, or unflattening a dense
// generator's (B, C·H·W) output into images.
type reshape struct{ per []int }

func (r reshape) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) {
	return gorgonia.Reshape(x, append(tensor.Shape{x.Shape()[0]}, r.per...))
}
func (reshape) Learnables() gorgonia.Nodes                               { return nil }
func (r reshape) ShareIn(*gorgonia.ExprGraph) (equivariant.Layer, error) { return r, nil }

// act applies a nonlinearity alone, after a batchNorm.
type act struct{ a equivariant.Activation }

func (l act) Forward(x, _ *gorgonia.Node) (*gorgonia.Node, error) { return activate(x, l.a) }
func (act) Learnables() gorgonia.Nodes                            { return nil }
func (l act) ShareIn(*gorgonia.ExprGraph) (equivariant.Layer, error) {
	return l, nil
}
