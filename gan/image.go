package gan

import (
	"fmt"
	"math/rand/v2"
)

// ImageSource is the real data of an image run. The training loop draws a
// batch of BatchSize images from it before every step, with the trainer's
// random source, so that the same seed gives the same run; a source must
// draw from rng alone.
type ImageSource interface {
	// Shape returns the shape (C, H, W) of one image.
	Shape() (c, h, w int)
	// SampleTo fills dst, of length a multiple of C·H·W, with images one
	// after another, each channel-major, values in [0, 1] (the range of
	// the generator's sigmoid output).
	SampleTo(rng *rand.Rand, dst []float64) error
}

// sampleShape returns the shape of one sample.
func (c Config) sampleShape() []int {
	if c.Images == nil {
		return []int{2}
	}
	ch, h, w := c.Images.Shape()
	return []int{ch, h, w}
}

// checkImages checks the settings of an image run.
func (c Config) checkImages() error {
	ch, h, w := c.Images.Shape()
	if ch < 1 || h < 1 || w < 1 {
		return fmt.Errorf("%w: images of shape (%d, %d, %d)", ErrConfig, ch, h, w)
	}
	if c.GenMaps < 1 || len(c.Channels) == 0 {
		return fmt.Errorf("%w: generator maps %d, discriminator channels %v", ErrConfig, c.GenMaps, c.Channels)
	}
	for i, n := range c.Channels {
		if n < 1 {
			return fmt.Errorf("%w: %d channels at conv layer %d", ErrConfig, n, i)
		}
	}
	return nil
}

// imageNets returns the sizes of an image run's networks; batched selects
// equivariant convolutions for the discriminator.
func (c Config) imageNets(batched bool) imageNets {
	ch, h, w := c.Images.Shape()
	return imageNets{
		c: ch, h: h, w: w, latent: c.LatentDim, widths: c.Widths, genMaps: c.GenMaps,
		channels: c.Channels, batch: c.BatchSize, batched: batched, dtype: c.Dtype,
	}
}
