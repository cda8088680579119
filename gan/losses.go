package gan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/mixbatch"
)

// discriminator is either the invariant network of the batch methods or
// the pointwise MLP of the standard and mixup GANs. Both give one logit
// per element: o_b of Eq. 13–14 for the former, D's logit of each sample
// for the latter.
type discriminator struct {
	net *equivariant.Network
	mlp equivariant.Stack
	// conv is an image run's discriminator, equivariant for the batch
	// methods (see imageDiscriminator).
	conv equivariant.Stack
}

// newDiscriminator builds the discriminator of c; batched selects the
// invariant network of equivariant layers.
func newDiscriminator(g *gorgonia.ExprGraph, c Config, batched bool, rng *rand.Rand) (discriminator, error) {
	if c.Images != nil {
		s, err := imageDiscriminator(g, c.imageNets(batched), rng)
		return discriminator{conv: s}, err
	}
	if !batched {
		s, err := mlp(g, "D", append(append([]int{2}, c.Widths...), 1), c, rng)
		return discriminator{mlp: s}, err
	}
	// The last equivariant layer outputs the per-element logits (the
	// paper's o_1..o_B); the reduction is the loss's (Eq. 13 or 14), so
	// the network's own readout and head are unused.
	net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: 2, Widths: append(append([]int(nil), c.Widths...), 1), Activation: equivariant.ReLU,
		SetSize: c.BatchSize, Init: equivariant.FanInUniform, Dtype: c.Dtype, Name: "D", Rand: rng,
	})
	if err != nil {
		return discriminator{}, err
	}
	drawBiases(net.Stack, rng)
	return discriminator{net: net}, nil
}

// elements returns the per-element logits for x of shape (M, 2) or
// (N, B, 2), or images (M, C, H, W), with a trailing axis of size 1.
func (d discriminator) elements(x *gorgonia.Node) (*gorgonia.Node, error) {
	if d.conv != nil {
		return d.conv.Forward(x, nil)
	}
	if d.net != nil {
		return d.net.Elements(x, nil)
	}
	return d.mlp.Forward(x, nil)
}

func (d discriminator) learnables() gorgonia.Nodes {
	if d.conv != nil {
		return d.conv.Learnables()
	}
	if d.net != nil {
		return d.net.Learnables()
	}
	return d.mlp.Learnables()
}

func (d discriminator) shareIn(g *gorgonia.ExprGraph) (discriminator, error) {
	if d.conv != nil {
		s, err := d.conv.ShareIn(g)
		return discriminator{conv: s}, err
	}
	if d.net != nil {
		net, err := d.net.ShareIn(g)
		return discriminator{net: net}, err
	}
	s, err := d.mlp.ShareIn(g)
	return discriminator{mlp: s}, err
}

// mlp builds a ReLU MLP of Linear layers with the given sizes (input
// first) and an identity output, initialised as PyTorch's nn.Linear is,
// so that runs compare with the PyTorch reference at equal scale.
func mlp(g *gorgonia.ExprGraph, name string, sizes []int, c Config, rng *rand.Rand) (equivariant.Stack, error) {
	var s equivariant.Stack
	for i := 0; i+1 < len(sizes); i++ {
		act := equivariant.ReLU
		if i+2 == len(sizes) {
			act = equivariant.Identity
		}
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: sizes[i], Out: sizes[i+1], Activation: act, Init: equivariant.FanInUniform,
			Dtype: c.Dtype, Name: fmt.Sprintf("%s.l%d", name, i), Rand: rng,
		})
		if err != nil {
			return nil, err
		}
		s = append(s, l)
	}
	drawBiases(s, rng)
	return s, nil
}

// drawBiases replaces the zero biases that package equivariant starts
// from by draws from U(−1/√fanIn, 1/√fanIn), as PyTorch's nn.Linear
// does, for Linear layers and for the per-element term of Dense layers
// (the PyTorch reference builds Λ's term with a biased nn.Linear). With
// all biases zero, a ReLU network is positively homogeneous at the start,
// f(a·x) = a·f(x) for a > 0, so every kink of the generator's map
// passes through the latent origin; random biases spread the kinks over
// the latent plane, as in the reference.
func drawBiases(s equivariant.Stack, rng *rand.Rand) {
	for _, l := range s {
		var bias *gorgonia.Node
		var fanIn int
		switch l := l.(type) {
		case *equivariant.Linear:
			bias, fanIn = l.B, l.W.Shape()[0]
		case *equivariant.Dense:
			bias, fanIn = l.Beta, l.In()
		default:
			continue
		}
		a := 1 / math.Sqrt(float64(fanIn))
		switch d := bias.Value().Data().(type) {
		case []float64:
			for i := range d {
				d[i] = a * (2*rng.Float64() - 1)
			}
		case []float32:
			for i := range d {
				d[i] = float32(a * (2*rng.Float64() - 1))
			}
		}
	}
}

// reduction maps a batch method to the loss reduction of Eq. 13 or 14.
func (m Method) reduction() mixbatch.Reduction {
	if m == MBGAN {
		return mixbatch.MBGAN
	}
	return mixbatch.BGAN
}

// ratioLoss is the discriminator loss of the batch methods, Eq. 4: D
// scores the mixed batch m_β(x, x̃) (Eq. 2) and is trained towards #β/B
// with the KL ratio loss, reduced by Eq. 13 (BGAN) or 14 (M-BGAN). With
// ReuseDiscarded the complementary batch m_{1−β}(x, x̃), target 1 − #β/B,
// is scored as a second set and the two losses are averaged (Sec. 3.1).
func (t *Trainer) ratioLoss(s *step, disc discriminator, fake *gorgonia.Node) (*gorgonia.Node, error) {
	c := t.cfg
	b := c.BatchSize
	s.mix = newFeed(s.graph, c.Dtype, "beta", b, 1)
	x, err := mixRows(s.mix.node, s.real.node, fake)
	if err != nil {
		return nil, err
	}
	sets := 1
	var comp *gorgonia.Node
	if c.ReuseDiscarded {
		if comp, err = mixRows(s.mix.node, fake, s.real.node); err != nil {
			return nil, err
		}
		sets = 2
	}
	s.target = newFeed(s.graph, c.Dtype, "target", sets)
	var o *gorgonia.Node
	switch {
	case comp != nil && c.Images != nil:
		// Conv layers take one set (B, C, H, W) at a time: score the
		// two sets apart and stack their logits.
		if o, err = disc.elements(x); err != nil {
			return nil, err
		}
		oc, err := disc.elements(comp)
		if err != nil {
			return nil, err
		}
		if o, err = gorgonia.Concat(0, o, oc); err != nil {
			return nil, err
		}
	case comp != nil:
		if x, err = stackSets(x, comp); err != nil {
			return nil, err
		}
		fallthrough
	default:
		if o, err = disc.elements(x); err != nil {
			return nil, err
		}
	}
	if o, err = gorgonia.Reshape(o, tensor.Shape{sets, b}); err != nil {
		return nil, err
	}
	return mixbatch.DiscriminatorLossNode(o, s.target.node, c.Method.reduction())
}

// mixedGeneratorLoss is the generator loss of the batch methods, Eq. 5:
// the non-saturating −log D of a mixed batch that contains the
// generator's samples, with the method's reduction. Only the fake rows
// carry gradient to the generator.
func (t *Trainer) mixedGeneratorLoss(s *step, disc discriminator, fake *gorgonia.Node) (*gorgonia.Node, error) {
	c := t.cfg
	s.mix = newFeed(s.graph, c.Dtype, "beta", c.BatchSize, 1)
	x, err := mixRows(s.mix.node, s.real.node, fake)
	if err != nil {
		return nil, err
	}
	o, err := disc.elements(x)
	if err != nil {
		return nil, err
	}
	if o, err = gorgonia.Reshape(o, tensor.Shape{1, c.BatchSize}); err != nil {
		return nil, err
	}
	return mixbatch.GeneratorLossNode(o, c.Method.reduction())
}

// standardLoss is the classical discriminator loss of Goodfellow et al.
// (2014), −log D(x) − log(1 − D(x̃)), each term averaged over its batch.
// It is the ratio loss of sets of one element with targets 1 and 0 (the
// Bernoulli entropy of a 0/1 target is 0), so mixbatch's softplus form
// serves: the mean over 2B samples, doubled.
func (t *Trainer) standardLoss(s *step, disc discriminator, fake *gorgonia.Node) (*gorgonia.Node, error) {
	c := t.cfg
	b := c.BatchSize
	both, err := gorgonia.Concat(0, s.real.node, fake)
	if err != nil {
		return nil, err
	}
	o, err := disc.elements(both)
	if err != nil {
		return nil, err
	}
	if o, err = gorgonia.Reshape(o, tensor.Shape{2 * b}); err != nil {
		return nil, err
	}
	labels := make([]float64, 2*b)
	for i := range b {
		labels[i] = 1
	}
	lab := newFeed(s.graph, c.Dtype, "labels", 2*b)
	lab.set(labels)
	loss, err := mixbatch.DiscriminatorLossNode(o, lab.node, mixbatch.BGAN)
	if err != nil {
		return nil, err
	}
	return gorgonia.Mul(loss, constOf(c.Dtype, 2))
}

// mixupLoss is the discriminator loss of mixup (Zhang et al., 2017): D
// scores α_b x_b + (1−α_b) x̃_b and is trained towards the soft label α_b
// with the binary cross-entropy, here as the KL ratio loss of sets of one
// (the cross-entropy less the constant H(α_b), so the same gradients).
func (t *Trainer) mixupLoss(s *step, disc discriminator, fake *gorgonia.Node) (*gorgonia.Node, error) {
	c := t.cfg
	b := c.BatchSize
	s.mix = newFeed(s.graph, c.Dtype, "alpha", b, 1)
	s.target = newFeed(s.graph, c.Dtype, "label", b)
	x, err := mixRows(s.mix.node, s.real.node, fake)
	if err != nil {
		return nil, err
	}
	o, err := disc.elements(x)
	if err != nil {
		return nil, err
	}
	if o, err = gorgonia.Reshape(o, tensor.Shape{b}); err != nil {
		return nil, err
	}
	return mixbatch.DiscriminatorLossNode(o, s.target.node, mixbatch.BGAN)
}

// pointwiseGeneratorLoss is the non-saturating generator loss of the
// standard and mixup GANs, the mean of −log D(x̃) = softplus(−o) over the
// fake batch.
func pointwiseGeneratorLoss(disc discriminator, fake *gorgonia.Node) (*gorgonia.Node, error) {
	o, err := disc.elements(fake)
	if err != nil {
		return nil, err
	}
	if o, err = gorgonia.Reshape(o, tensor.Shape{o.Shape()[0]}); err != nil {
		return nil, err
	}
	return mixbatch.GeneratorLossNode(o, mixbatch.BGAN)
}

// mixRows returns β ⊙ real + (1 − β) ⊙ fake = fake + β ⊙ (real − fake),
// with β of shape (B, 1) broadcast over the features (or, for images
// (B, C, H, W), over the channels and pixels): the mixed batch of Eq. 2
// when β is 0/1, the mixup of real and fake when β = α ∈ [0, 1].
// mixbatch draws β and mixes host tensors; this is the same mixing as a
// node, so that the generator step can differentiate through it.
func mixRows(beta, real, fake *gorgonia.Node) (*gorgonia.Node, error) {
	diff, err := gorgonia.Sub(real, fake)
	if err != nil {
		return nil, err
	}
	pattern := []byte{1}
	if r := real.Shape().Dims(); r > 2 {
		shape := tensor.Shape{real.Shape()[0]}
		pattern = nil
		for i := 1; i < r; i++ {
			shape = append(shape, 1)
			pattern = append(pattern, byte(i))
		}
		if beta, err = gorgonia.Reshape(beta, shape); err != nil {
			return nil, err
		}
	}
	picked, err := gorgonia.BroadcastHadamardProd(diff, beta, nil, pattern)
	if err != nil {
		return nil, err
	}
	return gorgonia.Add(fake, picked)
}

// stackSets stacks two (B, n) sets into one (2, B, n) input, so that the
// discriminator scores both in one pass with ρ taken per set.
func stackSets(a, b *gorgonia.Node) (*gorgonia.Node, error) {
	sh := append(tensor.Shape{1}, a.Shape()...)
	ra, err := gorgonia.Reshape(a, sh)
	if err != nil {
		return nil, err
	}
	rb, err := gorgonia.Reshape(b, sh.Clone())
	if err != nil {
		return nil, err
	}
	return gorgonia.Concat(0, ra, rb)
}
