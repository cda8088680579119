package gan

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/mixbatch"
)

// Trainer holds a generator, a discriminator, their optimisers and the two
// gorgonia graphs that train them. Gorgonia allows one Grad per graph, so
// the discriminator step and the generator step each have a graph; each
// network is built in one and shared into the other on the same weight
// tensors (equivariant's ShareIn), so that an update made through either
// graph is seen by both.
//
// A Trainer is not safe for concurrent use; distinct Trainers may train
// concurrently.
type Trainer struct {
	cfg   Config
	src   *rand.PCG
	rng   *rand.Rand
	mixer *mixbatch.Mixer
	iter  int

	gen  equivariant.Stack // in the generator graph
	disc discriminator     // in the discriminator graph

	d, g    step
	sampler *sampler
	scorer  *scorer
	buf     []float64 // scratch for one step's inputs

	// shape is the shape of one sample: (2) for a toy run, (C, H, W) for
	// an image run; size is its number of values.
	shape []int
	size  int

	// plainConvs gives a batch method's image discriminator ordinary
	// convolutions instead of equivariant ones; the benchmarks set it to
	// time the equivariant layers against the same network without them.
	plainConvs bool
}

// step is one of the two training graphs with its machine, optimiser and
// inputs.
type step struct {
	graph *gorgonia.ExprGraph
	vm    gorgonia.VM
	opt   *optim.Adam
	loss  *gorgonia.Node

	real, z feed
	// mix holds β as 0/1 (B, 1) for the batch methods and α (B, 1) for
	// the mixup discriminator; target holds the targets of the ratio
	// loss, one per set.
	mix, target feed
}

// buildMu serialises graph construction: gorgonia's Grad touches
// package-level state (GORGONIA.md), so graphs must not be built
// concurrently. Training different Trainers concurrently is safe.
var buildMu sync.Mutex

// New builds the networks and graphs of cfg. Weights are drawn from a
// source seeded by cfg.Seed.
func New(cfg Config) (*Trainer, error) { return newTrainer(cfg, false) }

func newTrainer(cfg Config, plainConvs bool) (*Trainer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	prior := cfg.Prior
	if prior == nil {
		var err error
		if prior, err = mixbatch.Smoothing(cfg.Gamma); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	src := rand.NewPCG(cfg.Seed, 0x6a09e667f3bcc908)
	rng := rand.New(src)
	mixer, err := mixbatch.NewMixer(prior, rng)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	t := &Trainer{cfg: cfg, src: src, rng: rng, mixer: mixer, shape: cfg.sampleShape(), plainConvs: plainConvs}
	t.size = 1
	for _, s := range t.shape {
		t.size *= s
	}
	t.buf = make([]float64, max(2, t.size, cfg.LatentDim)*cfg.BatchSize)
	buildMu.Lock()
	defer buildMu.Unlock()
	if err := t.build(); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// Config returns the configuration with defaults filled in.
func (t *Trainer) Config() Config {
	c := t.cfg
	c.Widths = append([]int(nil), c.Widths...)
	return c
}

// Iteration returns the number of generator steps done so far.
func (t *Trainer) Iteration() int { return t.iter }

// Close releases the machines' resources.
func (t *Trainer) Close() {
	for _, s := range []*step{&t.d, &t.g} {
		if s.vm != nil {
			s.vm.Close()
		}
	}
	if t.sampler != nil {
		t.sampler.vm.Close()
	}
	if t.scorer != nil {
		t.scorer.vm.Close()
	}
}

func (t *Trainer) build() error {
	c := t.cfg
	t.d.graph, t.g.graph = gorgonia.NewGraph(), gorgonia.NewGraph()

	// The generator: a pointwise ReLU MLP from the latent space to R², or
	// an image generator.
	var err error
	if c.Images != nil {
		t.gen, err = imageGenerator(t.g.graph, c.imageNets(false), t.rng)
	} else {
		t.gen, err = mlp(t.g.graph, "G", append(append([]int{c.LatentDim}, c.Widths...), 2), c, t.rng)
	}
	if err != nil {
		return err
	}
	if t.disc, err = newDiscriminator(t.d.graph, c, c.Method.batched() && !t.plainConvs, t.rng); err != nil {
		return err
	}
	genInD, err := t.gen.ShareIn(t.d.graph)
	if err != nil {
		return err
	}
	discInG, err := t.disc.shareIn(t.g.graph)
	if err != nil {
		return err
	}
	if err := t.buildStep(&t.d, genInD, t.disc, true); err != nil {
		return fmt.Errorf("gan: discriminator graph: %w", err)
	}
	if err := t.buildStep(&t.g, t.gen, discInG, false); err != nil {
		return fmt.Errorf("gan: generator graph: %w", err)
	}
	return nil
}

// buildStep builds one training graph: fake = G(z), the discriminator's
// input for the method, the loss, and its gradient with respect to the
// trained network's parameters (D's when discStep is true, else G's).
func (t *Trainer) buildStep(s *step, gen equivariant.Stack, disc discriminator, discStep bool) error {
	c := t.cfg
	g, dt, b := s.graph, c.Dtype, c.BatchSize
	s.real = newFeed(g, dt, "real", append([]int{b}, t.shape...)...)
	s.z = newFeed(g, dt, "z", b, c.LatentDim)
	fake, err := gen.Forward(s.z.node, nil)
	if err != nil {
		return err
	}
	var loss *gorgonia.Node
	switch {
	case c.Method.batched() && discStep:
		loss, err = t.ratioLoss(s, disc, fake)
	case c.Method.batched():
		loss, err = t.mixedGeneratorLoss(s, disc, fake)
	case discStep && c.Method == Standard:
		loss, err = t.standardLoss(s, disc, fake)
	case discStep && c.Method == Mixup:
		loss, err = t.mixupLoss(s, disc, fake)
	default: // generator step of Standard and Mixup
		loss, err = pointwiseGeneratorLoss(disc, fake)
	}
	if err != nil {
		return err
	}
	s.loss = loss

	trained := disc.learnables()
	if !discStep {
		trained = gen.Learnables()
	}
	if _, err := gorgonia.Grad(loss, trained...); err != nil {
		return err
	}
	if s.opt, err = optim.NewAdam(trained, optim.AdamConfig(c.Adam)); err != nil {
		return err
	}
	s.vm = gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(trained...))
	return nil
}

// Train runs generator steps (each after DiscSteps discriminator steps)
// until cfg.Iterations are done, calling hook, if not nil, after each one.
// A hook that returns ErrStop ends training early without error; any other
// error it returns is returned.
//
// A non-finite loss or gradient stops training with an error wrapping
// ErrNonFinite that names the iteration and the step. The offending update
// is not applied, but the discriminator steps already taken in that
// iteration were: to go on, Load the last checkpoint.
func (t *Trainer) Train(hook Hook) error {
	for t.iter < t.cfg.Iterations {
		if err := t.schedule(); err != nil {
			return err
		}
		dl := 0.0
		for k := 0; k < t.cfg.DiscSteps; k++ {
			l, err := t.runStep(&t.d)
			if err != nil {
				return fmt.Errorf("%w (iteration %d, discriminator step %d)", err, t.iter+1, k+1)
			}
			dl += l
		}
		gl, err := t.runStep(&t.g)
		if err != nil {
			return fmt.Errorf("%w (iteration %d, generator step)", err, t.iter+1)
		}
		t.iter++
		if hook != nil {
			p := Progress{Iteration: t.iter, Iterations: t.cfg.Iterations, DLoss: dl / float64(t.cfg.DiscSteps), GLoss: gl, LR: t.g.opt.Config().LR}
			if err := hook(t, p); err != nil {
				if errors.Is(err, ErrStop) {
					return nil
				}
				return err
			}
		}
	}
	return nil
}

// schedule sets both learning rates for the coming iteration t.iter+1 of
// n: Adam.LR up to iteration DecayFrom·n, then a linear fall that would
// reach zero at iteration n+1, so that the last step still moves. It
// depends on the iteration count alone, so a resumed run follows the same
// schedule.
func (t *Trainer) schedule() error {
	c := t.cfg
	if c.DecayFrom == 0 {
		return nil
	}
	start := math.Floor(c.DecayFrom * float64(c.Iterations))
	lr := c.Adam.LR
	if it := float64(t.iter + 1); it > start {
		lr *= (float64(c.Iterations) + 1 - it) / (float64(c.Iterations) + 1 - start)
	}
	for _, o := range []*optim.Adam{t.d.opt, t.g.opt} {
		if err := o.SetLR(lr); err != nil {
			return fmt.Errorf("gan: %w", err)
		}
	}
	return nil
}

// Hook is called by Train after every generator step. It may log, plot,
// save a checkpoint or return ErrStop to end training.
type Hook func(t *Trainer, p Progress) error

// Progress reports a finished generator step.
type Progress struct {
	// Iteration counts the generator steps done; Iterations is the target.
	Iteration, Iterations int
	// DLoss is the mean discriminator loss of the iteration's
	// discriminator steps and GLoss the generator loss. For the batch
	// methods DLoss is the KL ratio loss of Eq. 4 (≥ 0, and 0 for a
	// perfect discriminator); for the standard GAN it is the classical
	// −log D(x) − log(1 − D(x̃)), averaged over each batch.
	DLoss, GLoss float64
	// LR is the learning rate both optimisers used in the iteration.
	LR float64
}

// runStep fills the inputs of s, runs it, checks the loss and gradients,
// and applies one Adam step. It returns the loss.
func (t *Trainer) runStep(s *step) (float64, error) {
	if err := t.fill(s); err != nil {
		return 0, err
	}
	defer s.vm.Reset()
	if err := s.vm.RunAll(); err != nil {
		s.opt.ZeroGrads()
		return 0, fmt.Errorf("gan: run: %w", err)
	}
	loss, err := scalarValue(s.loss)
	if err != nil {
		s.opt.ZeroGrads()
		return 0, err
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		s.opt.ZeroGrads()
		return 0, fmt.Errorf("%w: loss is %v", ErrNonFinite, loss)
	}
	// Step refuses non-finite gradients before any weight moves.
	if err := s.opt.Step(); err != nil {
		s.opt.ZeroGrads()
		if errors.Is(err, optim.ErrGradient) {
			return 0, fmt.Errorf("%w: %v", ErrNonFinite, err)
		}
		return 0, fmt.Errorf("gan: %w", err)
	}
	return loss, nil
}

// fill draws one step's inputs: a real batch, latent codes, and for the
// methods that mix, the mixing vector β and targets (or mixup's α).
func (t *Trainer) fill(s *step) error {
	c := t.cfg
	b := c.BatchSize
	buf := t.buf
	if c.Images != nil {
		if err := c.Images.SampleTo(t.rng, buf[:b*t.size]); err != nil {
			return fmt.Errorf("%w: drawing real images: %v", ErrSamples, err)
		}
	} else {
		c.Data.SampleTo(t.rng, buf[:b*t.size])
	}
	s.real.set(buf[:b*t.size])
	for i := range buf[:b*c.LatentDim] {
		buf[i] = t.rng.NormFloat64()
	}
	s.z.set(buf[:b*c.LatentDim])
	switch {
	case s.mix.node == nil:
	case c.Method.batched():
		d, err := t.mixer.Draw(b)
		if err != nil {
			return fmt.Errorf("gan: %w", err)
		}
		for i, real := range d.Beta {
			buf[i] = 0
			if real {
				buf[i] = 1
			}
		}
		s.mix.set(buf[:b])
		if s.target.node != nil { // the generator step needs no target
			buf[0], buf[1] = d.Target(), d.ComplementTarget()
			s.target.set(buf[:s.target.len()])
		}
	default: // mixup: α ~ U(0, MixupMax) per example, also the soft label
		for i := 0; i < b; i++ {
			buf[i] = c.MixupMax * t.rng.Float64()
		}
		s.mix.set(buf[:b])
		s.target.set(buf[:b])
	}
	return nil
}
