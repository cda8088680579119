package mnist

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/fused"
	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/internal/setlearn"
)

// ClassifierConfig describes the training of a Classifier. Zero values take
// the defaults given.
type ClassifierConfig struct {
	// Epochs is the number of passes over the training set; 0 means 2.
	Epochs int
	// BatchSize is the number of images per Adam step; 0 means 128.
	BatchSize int
	// LR is Adam's initial learning rate; 0 means 1e-3. It falls along a
	// half cosine to near 0 at the last step (Loshchilov and Hutter,
	// 2017), which settles the weights for the last few tenths of a
	// percent of accuracy.
	LR float64
	// Seed draws the initial weights and the order of the images.
	Seed uint64
	// Log, if not nil, receives one line per epoch: the mean training
	// loss.
	Log io.Writer
}

func (c ClassifierConfig) withDefaults() ClassifierConfig {
	if c.Epochs == 0 {
		c.Epochs = 2
	}
	if c.BatchSize == 0 {
		c.BatchSize = 128
	}
	if c.LR == 0 {
		c.LR = 1e-3
	}
	return c
}

// Classifier is the digit classifier that labels generated images, as the
// stacked-MNIST benchmark does with a pretrained MNIST network: a small
// convolutional network of up to two blocks of 3×3 convolution, ReLU and
// 2×2 max pooling (16 and 32 channels, a block only while the image is at
// least 4 pixels high and wide), then a dense layer of 128 ReLU units and
// 10 logits. It works on single-channel images of one size; a stack of k
// digits is labelled by classifying each channel.
type Classifier struct {
	height, width int
	params        []*tensor.Dense // shared by the training and the labelling graphs
	blocks        int

	// The labelling graph, for labelBatch images at a time.
	vm     gorgonia.VM
	in     []float32
	logits *gorgonia.Node
}

// labelBatch is the number of images the labelling graph takes per run.
const labelBatch = 500

const (
	hiddenUnits  = 128
	conv1, conv2 = 16, 32 // channels of the two conv blocks
)

// TrainClassifier trains a Classifier on train, a set of single-channel
// digits, with Adam on the cross-entropy loss. The last partial batch of an
// epoch is dropped (gorgonia's graphs have a fixed batch size); the order of
// the images is drawn anew each epoch.
func TrainClassifier(train *Set, cfg ClassifierConfig) (*Classifier, error) {
	if err := train.Check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if train.Channels != 1 || train.Classes > Digits {
		return nil, fmt.Errorf("%w: the classifier takes single-channel digits, got %d channels and %d classes", ErrArg, train.Channels, train.Classes)
	}
	if cfg.Epochs < 1 || cfg.BatchSize < 1 || !(cfg.LR > 0) || math.IsInf(cfg.LR, 0) {
		return nil, fmt.Errorf("%w: classifier epochs %d, batch %d, lr %v", ErrArg, cfg.Epochs, cfg.BatchSize, cfg.LR)
	}
	if train.Len() < cfg.BatchSize {
		return nil, fmt.Errorf("%w: %d training images for batches of %d", ErrArg, train.Len(), cfg.BatchSize)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	c := &Classifier{height: train.Height, width: train.Width}
	c.initParams(rng)

	g := gorgonia.NewGraph()
	x, logits, nodes, err := c.build(g, cfg.BatchSize)
	if err != nil {
		return nil, err
	}
	ytensor := tensor.New(tensor.WithShape(cfg.BatchSize, Digits), tensor.Of(tensor.Float32))
	y := gorgonia.NodeFromAny(g, ytensor, gorgonia.WithName("onehot"))
	loss, err := setlearn.CrossEntropy(logits, y)
	if err != nil {
		return nil, fmt.Errorf("mnist: classifier loss: %w", err)
	}
	if _, err := gorgonia.Grad(loss, nodes...); err != nil {
		return nil, fmt.Errorf("mnist: classifier gradient: %w", err)
	}
	opt, err := optim.NewAdam(nodes, optim.AdamConfig{LR: cfg.LR})
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(nodes...))
	defer vm.Close()

	xs, ys := x.Value().Data().([]float32), ytensor.Data().([]float32)
	size := train.Size()
	steps := train.Len() / cfg.BatchSize
	for epoch := range cfg.Epochs {
		order := rng.Perm(train.Len())
		sum := 0.0
		for s := range steps {
			clear(ys)
			for i, j := range order[s*cfg.BatchSize : (s+1)*cfg.BatchSize] {
				copy(xs[i*size:(i+1)*size], train.Image(j))
				ys[i*Digits+train.Labels[j]] = 1
			}
			if err := vm.RunAll(); err != nil {
				return nil, fmt.Errorf("mnist: classifier step: %w", err)
			}
			l := float64(loss.Value().Data().(float32))
			vm.Reset()
			if math.IsNaN(l) || math.IsInf(l, 0) {
				return nil, fmt.Errorf("mnist: classifier loss is %v at epoch %d, step %d", l, epoch+1, s+1)
			}
			if err := opt.SetLR(setlearn.CosineTail(cfg.LR, epoch*steps+s+1, cfg.Epochs*steps, 1)); err != nil {
				return nil, fmt.Errorf("mnist: %w", err)
			}
			if err := opt.Step(); err != nil {
				return nil, fmt.Errorf("mnist: classifier step: %w", err)
			}
			sum += l
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "mnist: classifier epoch %d/%d: mean loss %.4f\n", epoch+1, cfg.Epochs, sum/float64(steps))
		}
	}

	lg := gorgonia.NewGraph()
	lx, llogits, _, err := c.build(lg, labelBatch)
	if err != nil {
		return nil, err
	}
	c.in, c.logits = lx.Value().Data().([]float32), llogits
	c.vm = gorgonia.NewTapeMachine(lg)
	return c, nil
}

// Close releases the labelling machine.
func (c *Classifier) Close() {
	if c.vm != nil {
		c.vm.Close()
	}
}

// Shape returns the height and width of the images c takes.
func (c *Classifier) Shape() (height, width int) { return c.height, c.width }

// initParams draws the weights: He normal (He et al., 2015) for every
// kernel and matrix, zero biases.
func (c *Classifier) initParams(rng *rand.Rand) {
	he := func(fanIn int, shape ...int) *tensor.Dense {
		n := 1
		for _, s := range shape {
			n *= s
		}
		v := make([]float32, n)
		sd := math.Sqrt(2 / float64(fanIn))
		for i := range v {
			v[i] = float32(sd * rng.NormFloat64())
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	zeros := func(shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	}
	h, w, in := c.height, c.width, 1
	for _, out := range []int{conv1, conv2} {
		if h < 4 || w < 4 {
			break
		}
		c.params = append(c.params, he(in*9, out, in, 3, 3), zeros(1, out, 1, 1))
		c.blocks++
		h, w, in = h/2, w/2, out
	}
	c.params = append(c.params,
		he(in*h*w, in*h*w, hiddenUnits), zeros(1, hiddenUnits),
		he(hiddenUnits, hiddenUnits, Digits), zeros(1, Digits))
}

// build builds the network for batches of n images in g, on the shared
// weight tensors. It returns the input node, the logits (n, 10) and the
// parameter nodes.
func (c *Classifier) build(g *gorgonia.ExprGraph, n int) (x, logits *gorgonia.Node, params gorgonia.Nodes, err error) {
	for i, t := range c.params {
		params = append(params, gorgonia.NodeFromAny(g, t, gorgonia.WithName(fmt.Sprintf("cls.p%d", i))))
	}
	x = gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, 1, c.height, c.width), tensor.Of(tensor.Float32)), gorgonia.WithName("cls.x"))
	wrap := func(e error) error { return fmt.Errorf("mnist: classifier graph: %w", e) }
	h := x
	for b := range c.blocks {
		k, bias := params[2*b], params[2*b+1]
		if h, err = fused.Conv2D(h, k); err != nil {
			return nil, nil, nil, wrap(err)
		}
		if h, err = fused.AddChannels(h, bias); err != nil {
			return nil, nil, nil, wrap(err)
		}
		if h, err = gorgonia.Rectify(h); err != nil {
			return nil, nil, nil, wrap(err)
		}
		if h, err = gorgonia.MaxPool2D(h, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}); err != nil {
			return nil, nil, nil, wrap(err)
		}
	}
	s := h.Shape()
	if h, err = gorgonia.Reshape(h, tensor.Shape{n, s[1] * s[2] * s[3]}); err != nil {
		return nil, nil, nil, wrap(err)
	}
	dense := params[2*c.blocks:]
	for l := 0; l < 2; l++ {
		if h, err = gorgonia.Mul(h, dense[2*l]); err != nil {
			return nil, nil, nil, wrap(err)
		}
		if h, err = gorgonia.BroadcastAdd(h, dense[2*l+1], nil, []byte{0}); err != nil {
			return nil, nil, nil, wrap(err)
		}
		if l == 0 {
			if h, err = gorgonia.Rectify(h); err != nil {
				return nil, nil, nil, wrap(err)
			}
		}
	}
	return x, h, params, nil
}

// Label returns the label of each of the n images in images, each of the
// given number of channels at c's height and width (n·channels·H·W values,
// image after image, channel-major): the base-10 number spelt by the digits
// c reads in the channels, the first channel giving the leading digit. For
// single-channel images it is the digit.
func (c *Classifier) Label(images []float64, channels int) ([]int, error) {
	plane := c.height * c.width
	if channels < 1 || channels > MaxStack || len(images)%(channels*plane) != 0 {
		return nil, fmt.Errorf("%w: label %d values as images of %d channels of %d×%d", ErrArg, len(images), channels, c.height, c.width)
	}
	for i, v := range images {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: value %d of the images is %v", ErrArg, i, v)
		}
	}
	digits, err := c.digits(len(images)/plane, func(i int, dst []float32) {
		for j, v := range images[i*plane : (i+1)*plane] {
			dst[j] = float32(v)
		}
	})
	if err != nil {
		return nil, err
	}
	return combine(digits, channels), nil
}

// LabelSet returns the labels c reads in the images of s, as Label does.
func (c *Classifier) LabelSet(s *Set) ([]int, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if s.Height != c.height || s.Width != c.width || s.Channels > MaxStack {
		return nil, fmt.Errorf("%w: set of %d-channel %d×%d images for a classifier of %d×%d", ErrArg, s.Channels, s.Height, s.Width, c.height, c.width)
	}
	plane := c.height * c.width
	digits, err := c.digits(s.Len()*s.Channels, func(i int, dst []float32) {
		copy(dst, s.Images[i*plane:(i+1)*plane])
	})
	if err != nil {
		return nil, err
	}
	return combine(digits, s.Channels), nil
}

// Accuracy returns the fraction of the images of test, a set of
// single-channel digits, whose label c reads right.
func (c *Classifier) Accuracy(test *Set) (float64, error) {
	got, err := c.LabelSet(test)
	if err != nil {
		return 0, err
	}
	if test.Channels != 1 || test.Len() == 0 {
		return 0, fmt.Errorf("%w: accuracy on %d images of %d channels (want single-channel digits)", ErrArg, test.Len(), test.Channels)
	}
	right := 0
	for i, l := range got {
		if l == test.Labels[i] {
			right++
		}
	}
	return float64(right) / float64(test.Len()), nil
}

// combine turns per-channel digits into the labels of stacks of k.
func combine(digits []int, k int) []int {
	out := make([]int, len(digits)/k)
	for i := range out {
		for _, d := range digits[i*k : (i+1)*k] {
			out[i] = out[i]*Digits + d
		}
	}
	return out
}

// digits classifies n single-channel images, fill writing image i into its
// destination, labelBatch at a time; the last batch is padded with blank
// images whose labels are dropped.
func (c *Classifier) digits(n int, fill func(i int, dst []float32)) ([]int, error) {
	if c.vm == nil {
		return nil, fmt.Errorf("%w: classifier closed or not trained", ErrArg)
	}
	plane := c.height * c.width
	out := make([]int, n)
	for start := 0; start < n; start += labelBatch {
		m := min(labelBatch, n-start)
		for i := range m {
			fill(start+i, c.in[i*plane:(i+1)*plane])
		}
		clear(c.in[m*plane:])
		if err := c.vm.RunAll(); err != nil {
			return nil, fmt.Errorf("mnist: labelling: %w", err)
		}
		logits := c.logits.Value().Data().([]float32)
		for i := range m {
			row := logits[i*Digits : (i+1)*Digits]
			best := 0
			for d, v := range row {
				if v > row[best] {
					best = d
				}
			}
			out[start+i] = best
		}
		c.vm.Reset()
	}
	return out, nil
}
