package gan_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/gan"
)

// blobs is an image source for the tests: 1×8×8 images, each a bright
// square of side 3 at a random place on a dark ground.
type blobs struct{}

func (blobs) Shape() (c, h, w int) { return 1, 8, 8 }

func (blobs) SampleTo(rng *rand.Rand, dst []float64) error {
	if len(dst)%64 != 0 {
		return errors.New("blobs: ragged")
	}
	clear(dst)
	for i := 0; i < len(dst)/64; i++ {
		r, c := rng.IntN(6), rng.IntN(6)
		for dr := range 3 {
			for dc := range 3 {
				dst[i*64+(r+dr)*8+c+dc] = 1
			}
		}
	}
	return nil
}

// tinyImageConfig is a small image run of method m: two conv layers of 4
// and 8 channels on 8×8 images, batches of 16.
func tinyImageConfig(m gan.Method, iters int, seed uint64) gan.Config {
	return gan.Config{
		Method: m, Images: blobs{}, LatentDim: 4, Widths: []int{16}, GenMaps: 4, Channels: []int{4, 8},
		BatchSize: 16, DiscSteps: 1, Iterations: iters, Gamma: 0.5, Seed: seed, Dtype: tensor.Float64,
	}
}

// trainedImages returns a float64 image trainer of method m after a few
// iterations, so that its weights are no longer at their initial values.
func trainedImages(t *testing.T, m gan.Method) *gan.Trainer {
	t.Helper()
	tr, err := gan.New(tinyImageConfig(m, 5, 13))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(nil); err != nil {
		t.Fatal(err)
	}
	return tr
}

// randomImages returns n 8×8 images of uniform pixel values.
func randomImages(rng *rand.Rand, n int) []float64 {
	x := make([]float64, 64*n)
	for i := range x {
		x[i] = rng.Float64()
	}
	return x
}

// TestPropertyConvDiscriminatorPermutation: for every method, permuting
// the images of a batch permutes the convolutional discriminator's
// per-image logits the same way and leaves their mean, the set logit of
// Eq. 13, unchanged: the invariance the paper builds its convolutional
// discriminator for (Sec. 4.3, Figure 1); trivial for the pointwise
// methods. The tolerance is permTol's: the pooled feature maps add the same
// numbers in another order.
func TestPropertyConvDiscriminatorPermutation(t *testing.T) {
	for _, m := range gan.Methods {
		tr := trainedImages(t, m)
		params := gopter.DefaultTestParametersWithSeed(uint64ToInt64(17 + uint64(m)))
		params.MinSuccessfulTests = 25
		props := gopter.NewProperties(params)
		props.Property(m.String()+" conv discriminator is permutation invariant", prop.ForAll(
			func(n int, seed uint64) bool {
				rng := rand.New(rand.NewPCG(seed, 5))
				x := randomImages(rng, n)
				perm := rng.Perm(n)
				px := make([]float64, len(x))
				for i, j := range perm {
					copy(px[64*i:64*(i+1)], x[64*j:64*(j+1)])
				}
				s, o, err1 := tr.Discriminate(x)
				ps, po, err2 := tr.Discriminate(px)
				if err1 != nil || err2 != nil {
					t.Log(err1, err2)
					return false
				}
				if math.Abs(s-ps) > permTol*(1+math.Abs(s)) {
					return false
				}
				for i, j := range perm {
					if math.Abs(po[i]-o[j]) > permTol*(1+math.Abs(o[j])) {
						return false
					}
				}
				return true
			},
			gen.IntRange(1, 24), gen.UInt64(),
		))
		props.TestingRun(t)
		tr.Close()
	}
}

// TestConvDiscriminatorSeesTheSet is the control for the property above:
// changing one image must change the other images' logits for BGAN and
// M-BGAN, whose every conv layer adds a term of the batch's mean feature
// map, and must leave them exactly as they were for the pointwise
// discriminators.
func TestConvDiscriminatorSeesTheSet(t *testing.T) {
	for _, m := range gan.Methods {
		tr := trainedImages(t, m)
		x := randomImages(rand.New(rand.NewPCG(1, 2)), 6)
		_, before, err := tr.Discriminate(x)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 64 {
			x[i] = 1 - x[i] // invert image 0
		}
		_, after, err := tr.Discriminate(x)
		if err != nil {
			t.Fatal(err)
		}
		tr.Close()
		changed := 0.0
		for i := 1; i < len(before); i++ {
			changed = math.Max(changed, math.Abs(after[i]-before[i]))
		}
		// Inverting one image of six moves the mean image by about a
		// sixth of a pixel's range; through Γ (1/(B+1) of Λ's scale) that
		// moves the other logits by far more than 1e-9.
		if m == gan.BGAN || m == gan.MBGAN {
			if changed < 1e-9 {
				t.Errorf("%v: changing image 0 left the others' logits unchanged (max change %g)", m, changed)
			}
		} else if changed != 0 {
			t.Errorf("%v: changing image 0 changed another image's logit by %g", m, changed)
		}
	}
}

// TestImageSampleShapeAndRange: samples have C·H·W values each, in (0, 1)
// (the generator's sigmoid), a partial last batch included, and the same
// source state gives the same samples.
func TestImageSampleShapeAndRange(t *testing.T) {
	tr := trainedImages(t, gan.BGAN)
	defer tr.Close()
	for _, n := range []int{1, 16, 37} {
		a, err := tr.Sample(rand.New(rand.NewPCG(4, 4)), n)
		if err != nil {
			t.Fatal(err)
		}
		b, err := tr.Sample(rand.New(rand.NewPCG(4, 4)), n)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 64*n {
			t.Fatalf("Sample(%d): %d values, want %d", n, len(a), 64*n)
		}
		for i, v := range a {
			if !(v > 0 && v < 1) || v != b[i] {
				t.Fatalf("Sample(%d): value %d is %v (again: %v), want the same value in (0, 1)", n, i, v, b[i])
			}
		}
	}
}

// badSource reports a shape the trainer must refuse, or fails to draw.
type badSource struct {
	c, h, w int
	fail    bool
}

func (s badSource) Shape() (c, h, w int) { return s.c, s.h, s.w }

func (s badSource) SampleTo(*rand.Rand, []float64) error {
	if s.fail {
		return errors.New("no images today")
	}
	return nil
}

func TestImageConfigBadInput(t *testing.T) {
	for name, mod := range map[string]func(*gan.Config){
		"shape":    func(c *gan.Config) { c.Images = badSource{c: 0, h: 8, w: 8} },
		"channels": func(c *gan.Config) { c.Channels = []int{4, 0} },
		"no convs": func(c *gan.Config) { c.Channels = []int{} },
		"maps":     func(c *gan.Config) { c.GenMaps = -1 },
	} {
		cfg := tinyImageConfig(gan.BGAN, 1, 1)
		mod(&cfg)
		if _, err := gan.New(cfg); !errors.Is(err, gan.ErrConfig) {
			t.Errorf("%s: %v, want ErrConfig", name, err)
		}
	}
	cfg := tinyImageConfig(gan.BGAN, 1, 1)
	cfg.Images = badSource{c: 1, h: 8, w: 8, fail: true}
	tr, err := gan.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Train(nil); !errors.Is(err, gan.ErrSamples) || tr.Iteration() != 0 {
		t.Errorf("a source that fails: %v after %d iterations, want ErrSamples and none", err, tr.Iteration())
	}
	if _, _, err := tr.Discriminate(make([]float64, 65)); !errors.Is(err, gan.ErrSamples) {
		t.Errorf("Discriminate of 65 values for 8×8 images: %v, want ErrSamples", err)
	}
}

// TestImageRunSavesAndResumes: an image run saved half-way and resumed in
// a fresh trainer ends where the uninterrupted run ends.
func TestImageRunSavesAndResumes(t *testing.T) {
	for _, m := range []gan.Method{gan.Standard, gan.MBGAN} {
		whole, err := gan.New(tinyImageConfig(m, 6, 21))
		if err != nil {
			t.Fatal(err)
		}
		if err := whole.Train(nil); err != nil {
			t.Fatal(err)
		}
		half, err := gan.New(tinyImageConfig(m, 6, 21))
		if err != nil {
			t.Fatal(err)
		}
		path := t.TempDir() + "/ck"
		if err := half.Train(func(tr *gan.Trainer, p gan.Progress) error {
			if p.Iteration == 3 {
				if err := tr.Save(path); err != nil {
					return err
				}
				return gan.ErrStop
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		half.Close()
		resumed, err := gan.New(tinyImageConfig(m, 6, 21))
		if err != nil {
			t.Fatal(err)
		}
		if err := resumed.Load(path); err != nil {
			t.Fatal(err)
		}
		if err := resumed.Train(nil); err != nil {
			t.Fatal(err)
		}
		a, _ := whole.Sample(rand.New(rand.NewPCG(1, 1)), 16)
		b, _ := resumed.Sample(rand.New(rand.NewPCG(1, 1)), 16)
		whole.Close()
		resumed.Close()
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%v: sample value %d is %v resumed, %v uninterrupted", m, i, b[i], a[i])
			}
		}
	}
}

// TestImageReuseDiscarded: with the complementary mixed batch scored too
// (Sec. 3.1), an image BGAN step scores two sets through the conv layers,
// one at a time, and its loss stays a KL divergence: finite and ≥ 0.
func TestImageReuseDiscarded(t *testing.T) {
	cfg := tinyImageConfig(gan.BGAN, 3, 5)
	cfg.ReuseDiscarded = true
	tr, err := gan.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Train(func(_ *gan.Trainer, p gan.Progress) error {
		if !(p.DLoss >= 0) || math.IsInf(p.DLoss, 0) {
			t.Errorf("iteration %d: discriminator loss %v", p.Iteration, p.DLoss)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
