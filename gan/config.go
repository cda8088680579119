package gan

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/mixbatch"
)

// Config describes a training run. Zero values of the fields marked so
// take the paper's toy setting (Sec. 5.1).
type Config struct {
	// Method selects the discriminator and losses.
	Method Method
	// Data is the real distribution of a toy run.
	Data Mixture
	// Images, if not nil, makes the run an image GAN: the real batches are
	// drawn from Images instead of Data, the generator outputs images and
	// the discriminator is convolutional (see ImageSource).
	Images ImageSource
	// LatentDim is the dimension of the generator's standard Gaussian
	// input; 0 means 2 for a toy run and 32 for an image run.
	LatentDim int
	// Widths are the hidden widths of both networks of a toy run, ReLU
	// between layers; nil means the paper's three layers of 512. In an
	// image run they are the widths of the generator's hidden dense
	// layers; nil means one of 256.
	Widths []int
	// Channels are the output channels of the 3×3 convolutions of an image
	// run's discriminator, each followed by 2×2 max pooling; nil means
	// {32, 64}. Unused in a toy run.
	Channels []int
	// GenMaps is the number of feature maps an image generator's dense
	// layers draw at the full image size, before its last 3×3 convolution;
	// 0 means 16. Unused in a toy run.
	GenMaps int
	// BatchSize is B, the number of samples per step (the set size of the
	// batch discriminator); 0 means 128. The paper does not state the
	// toy experiment's batch size; 128 is that of the shared PyTorch
	// reference.
	BatchSize int
	// DiscSteps is the number of discriminator steps per generator step;
	// 0 means 5.
	DiscSteps int
	// Iterations is the number of generator steps of a run.
	Iterations int
	// Adam configures both optimisers; zero fields take PyTorch's
	// defaults, the paper's toy setting.
	Adam AdamConfig
	// DecayFrom, if in (0, 1), makes both learning rates fall linearly
	// from Adam.LR after that fraction of Iterations towards zero at the
	// end of the run; 0 keeps them constant, as the paper does. A generator
	// that has found the modes then settles on them instead of jittering
	// by one step's size, which is what decides the share of
	// high-quality samples when the modes are 0.01 wide.
	DecayFrom float64
	// Gamma is the batch-smoothing parameter γ ∈ [0, 1/2] of BGAN and
	// M-BGAN: the mixing ratio p is uniform on [0, γ] ∪ [1−γ, 1]. γ = 0 is
	// pure batches, γ = 1/2 the uniform prior. Its zero value is a valid
	// setting, not a default.
	Gamma float64
	// Prior, if not nil, replaces the smoothing-γ prior of the mixing
	// ratio (for instance mixbatch.Uniform or mixbatch.Beta).
	Prior mixbatch.Prior
	// ReuseDiscarded makes each BGAN/M-BGAN discriminator step also score
	// the complementary mixed batch (the rows the first one left out,
	// target 1 − #β/B; the paper's Sec. 3.1), averaging the two losses.
	ReuseDiscarded bool
	// MixupMax is m in α ~ U(0, m) for Mixup; 0 means 1.
	MixupMax float64
	// Seed drives every random draw: the initial weights, the data, the
	// latent codes and the mixing. The same seed gives the same run.
	Seed uint64
	// Dtype is tensor.Float32 or tensor.Float64; the zero value means
	// Float32, about 1.5× faster here.
	Dtype tensor.Dtype
}

// withDefaults returns c with zero-valued defaults filled in.
func (c Config) withDefaults() Config {
	if c.Images != nil {
		if c.LatentDim == 0 {
			c.LatentDim = 32
		}
		if c.Widths == nil {
			c.Widths = []int{256}
		}
		if c.Channels == nil {
			c.Channels = []int{32, 64}
		}
		if c.GenMaps == 0 {
			c.GenMaps = 16
		}
	}
	if c.LatentDim == 0 {
		c.LatentDim = 2
	}
	if c.Widths == nil {
		c.Widths = []int{512, 512, 512}
	}
	if c.BatchSize == 0 {
		c.BatchSize = 128
	}
	if c.DiscSteps == 0 {
		c.DiscSteps = 5
	}
	if c.MixupMax == 0 {
		c.MixupMax = 1
	}
	if c.Dtype == (tensor.Dtype{}) {
		c.Dtype = tensor.Float32
	}
	c.Adam = AdamConfig(optim.AdamConfig(c.Adam).WithDefaults())
	c.Widths = append([]int(nil), c.Widths...)
	c.Channels = append([]int(nil), c.Channels...)
	return c
}

func (c Config) check() error {
	if !c.Method.valid() {
		return fmt.Errorf("%w: method %v", ErrConfig, c.Method)
	}
	if c.Images == nil {
		if err := c.Data.check(); err != nil {
			return err
		}
	} else if err := c.checkImages(); err != nil {
		return err
	}
	if c.LatentDim < 1 || c.BatchSize < 1 || c.DiscSteps < 1 || c.Iterations < 0 {
		return fmt.Errorf("%w: latent %d, batch %d, disc steps %d, iterations %d", ErrConfig, c.LatentDim, c.BatchSize, c.DiscSteps, c.Iterations)
	}
	if len(c.Widths) == 0 {
		return fmt.Errorf("%w: no hidden layers", ErrConfig)
	}
	for i, w := range c.Widths {
		if w < 1 {
			return fmt.Errorf("%w: hidden width %d at layer %d", ErrConfig, w, i)
		}
	}
	if c.Prior == nil {
		if _, err := mixbatch.Smoothing(c.Gamma); err != nil {
			return fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	if !(c.DecayFrom >= 0 && c.DecayFrom < 1) {
		return fmt.Errorf("%w: decay from %v outside [0, 1)", ErrConfig, c.DecayFrom)
	}
	if math.IsNaN(c.MixupMax) || c.MixupMax <= 0 || c.MixupMax > 1 {
		return fmt.Errorf("%w: mixup max %v outside (0, 1]", ErrConfig, c.MixupMax)
	}
	if c.Dtype != tensor.Float32 && c.Dtype != tensor.Float64 {
		return fmt.Errorf("%w: dtype %v", ErrConfig, c.Dtype)
	}
	if err := optim.AdamConfig(c.Adam).Check(); err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return nil
}

// AdamConfig holds the hyper-parameters of Adam (Kingma and Ba, 2015) for
// both networks. A zero field means PyTorch's default, which is what the
// paper's toy experiment uses: LR 1e-3, Beta1 0.9, Beta2 0.999, Eps 1e-8.
type AdamConfig struct {
	LR, Beta1, Beta2, Eps float64
}
