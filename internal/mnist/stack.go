package mnist

import (
	"fmt"
	"math/rand/v2"
)

// MaxStack is the largest number of digits a Sampler stacks: 10^6 classes
// already make a histogram of a million counts.
const MaxStack = 6

// Sampler draws the real images of a GAN's batches from a set of
// single-channel images: with k = 1, images of the set drawn uniformly with
// replacement; with k > 1, stacks of k images drawn independently and
// uniformly, one per channel. Stacked MNIST, the mode-collapse benchmark of
// Metz et al. (2017) and Srivastava et al. (2017), is k = 3: three digits as
// the red, green and blue channels, 1,000 classes. A stack's label is the
// base-10 number its digits spell, the first channel giving the leading
// digit.
type Sampler struct {
	set *Set
	k   int
}

// NewSampler returns a Sampler of stacks of k images of s, which must hold
// single-channel images with labels below 10.
func NewSampler(s *Set, k int) (*Sampler, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if s.Channels != 1 || s.Classes > Digits || s.Len() == 0 {
		return nil, fmt.Errorf("%w: stacking needs a non-empty set of single-channel images with at most %d classes, got %d images of %d channels and %d classes",
			ErrArg, Digits, s.Len(), s.Channels, s.Classes)
	}
	if k < 1 || k > MaxStack {
		return nil, fmt.Errorf("%w: stack of %d images (want 1 to %d)", ErrArg, k, MaxStack)
	}
	return &Sampler{set: s, k: k}, nil
}

// Shape returns the shape (C, H, W) of the images drawn; C is k.
func (p *Sampler) Shape() (c, h, w int) { return p.k, p.set.Height, p.set.Width }

// Size returns the number of values per image drawn, k·H·W.
func (p *Sampler) Size() int { return p.k * p.set.Height * p.set.Width }

// Classes returns the number of labels, 10^k.
func (p *Sampler) Classes() int {
	n := 1
	for range p.k {
		n *= Digits
	}
	return n
}

// SampleTo fills dst, whose length must be a multiple of Size, with
// len(dst)/Size images. It draws k indices per image from rng and nothing
// else, so the same source state gives the same images.
func (p *Sampler) SampleTo(rng *rand.Rand, dst []float64) error {
	return p.LabelledTo(rng, dst, nil)
}

// LabelledTo is SampleTo that also fills labels, if not nil, with the
// images' labels; labels must then have one entry per image.
func (p *Sampler) LabelledTo(rng *rand.Rand, dst []float64, labels []int) error {
	size := p.Size()
	if rng == nil || len(dst)%size != 0 || (labels != nil && len(labels) != len(dst)/size) {
		return fmt.Errorf("%w: sample %d values (images of %d) with %d labels", ErrArg, len(dst), size, len(labels))
	}
	plane := p.set.Height * p.set.Width
	for i := range len(dst) / size {
		label := 0
		for c := range p.k {
			j := rng.IntN(p.set.Len())
			for q, v := range p.set.Image(j) {
				dst[i*size+c*plane+q] = float64(v)
			}
			label = label*Digits + p.set.Labels[j]
		}
		if labels != nil {
			labels[i] = label
		}
	}
	return nil
}

// Stack returns n images drawn by a Sampler of stacks of k images of s:
// stacked MNIST for k = 3.
func Stack(rng *rand.Rand, s *Set, k, n int) (*Set, error) {
	p, err := NewSampler(s, k)
	if err != nil {
		return nil, err
	}
	if n < 0 || rng == nil {
		return nil, fmt.Errorf("%w: stack %d images with rng %v", ErrArg, n, rng)
	}
	buf := make([]float64, n*p.Size())
	out := &Set{Labels: make([]int, n), Channels: k, Height: s.Height, Width: s.Width, Classes: p.Classes()}
	if err := p.LabelledTo(rng, buf, out.Labels); err != nil {
		return nil, err
	}
	out.Images = make([]float32, len(buf))
	for i, v := range buf {
		out.Images[i] = float32(v)
	}
	return out, nil
}
