package gan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
)

// sampler is a forward-only graph of the generator for a fixed number of
// samples, sharing the generator's tensors.
type sampler struct {
	n   int
	vm  gorgonia.VM
	z   feed
	out *gorgonia.Node
}

// Sample draws n samples from the generator, returned row-major: n×2
// values for a toy run, n×C×H×W for an image run. The latent codes come
// from rng, not from the training source, so sampling never changes the
// course of training.
//
// An image generator normalises its dense layers over each batch of
// latent codes (see batchNorm), so its images are drawn BatchSize codes at
// a time, as in training, and the codes of a last partial batch beyond n
// are drawn and their images dropped: the samples follow the distribution
// the generator was trained as, whatever n.
func (t *Trainer) Sample(rng *rand.Rand, n int) ([]float64, error) {
	if n < 1 || rng == nil {
		return nil, fmt.Errorf("%w: %d samples (rng nil: %v)", ErrConfig, n, rng == nil)
	}
	chunk := n
	if t.cfg.Images != nil {
		chunk = t.cfg.BatchSize
	}
	if t.sampler == nil || t.sampler.n != chunk {
		if t.sampler != nil {
			t.sampler.vm.Close()
			t.sampler = nil
		}
		buildMu.Lock()
		s, err := t.newSampler(chunk)
		buildMu.Unlock()
		if err != nil {
			return nil, err
		}
		t.sampler = s
	}
	s := t.sampler
	z := make([]float64, chunk*t.cfg.LatentDim)
	out := make([]float64, 0, n*t.size)
	for len(out) < n*t.size {
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		s.z.set(z)
		if err := s.vm.RunAll(); err != nil {
			s.vm.Reset()
			return nil, fmt.Errorf("gan: sampling: %w", err)
		}
		v := floatsOf(s.out.Value())
		s.vm.Reset()
		out = append(out, v[:min(len(v), n*t.size-len(out))]...)
	}
	return out, nil
}

func (t *Trainer) newSampler(n int) (*sampler, error) {
	g := gorgonia.NewGraph()
	shared, err := t.gen.ShareIn(g)
	if err != nil {
		return nil, fmt.Errorf("gan: sampler: %w", err)
	}
	s := &sampler{n: n, z: newFeed(g, t.cfg.Dtype, "z", n, t.cfg.LatentDim)}
	if s.out, err = shared.Forward(s.z.node, nil); err != nil {
		return nil, fmt.Errorf("gan: sampler: %w", err)
	}
	s.vm = gorgonia.NewTapeMachine(g)
	return s, nil
}

// scorer is a forward-only graph of the discriminator for batches of a
// fixed size, sharing the discriminator's tensors.
type scorer struct {
	n   int
	vm  gorgonia.VM
	x   feed
	out *gorgonia.Node
}

// Discriminate returns the discriminator's logit for each of the n
// samples of batch (row-major: n×2 values for a toy run, n×C×H×W for an
// image run), and their mean. For BGAN and M-BGAN the batch is one set:
// each logit o_b depends on the whole batch through the pooled terms of
// the equivariant layers, the mean is the set's logit that the BGAN loss
// scores (Eq. 13), and both are unchanged, up to the order of the logits,
// by a permutation of the samples. For the standard and mixup GANs each
// logit depends on its sample only.
func (t *Trainer) Discriminate(batch []float64) (mean float64, logits []float64, err error) {
	if len(batch) == 0 || len(batch)%t.size != 0 {
		return 0, nil, fmt.Errorf("%w: %d values (want a positive multiple of %d, the values per sample)", ErrSamples, len(batch), t.size)
	}
	for i, v := range batch {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, nil, fmt.Errorf("%w: value %d is %v", ErrSamples, i, v)
		}
	}
	n := len(batch) / t.size
	if t.scorer == nil || t.scorer.n != n {
		if t.scorer != nil {
			t.scorer.vm.Close()
			t.scorer = nil
		}
		buildMu.Lock()
		s, err := t.newScorer(n)
		buildMu.Unlock()
		if err != nil {
			return 0, nil, err
		}
		t.scorer = s
	}
	s := t.scorer
	s.x.set(batch)
	defer s.vm.Reset()
	if err := s.vm.RunAll(); err != nil {
		return 0, nil, fmt.Errorf("gan: discriminating: %w", err)
	}
	logits = floatsOf(s.out.Value())
	for _, o := range logits {
		mean += o
	}
	return mean / float64(n), logits, nil
}

func (t *Trainer) newScorer(n int) (*scorer, error) {
	g := gorgonia.NewGraph()
	shared, err := t.disc.shareIn(g)
	if err != nil {
		return nil, fmt.Errorf("gan: scorer: %w", err)
	}
	s := &scorer{n: n, x: newFeed(g, t.cfg.Dtype, "x", append([]int{n}, t.shape...)...)}
	if s.out, err = shared.elements(s.x.node); err != nil {
		return nil, fmt.Errorf("gan: scorer: %w", err)
	}
	s.vm = gorgonia.NewTapeMachine(g)
	return s, nil
}
