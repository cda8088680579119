package approx

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/optim"
)

// TrainConfig describes one fit by [Train]. Zero fields take the defaults
// given.
type TrainConfig struct {
	Target Target
	// Width is the number of sigmoid units of each hidden layer.
	Width int
	// Depth is the number of hidden equivariant layers (default 2); an
	// identity equivariant layer to one output follows, then the mean
	// readout: Eq. 10 with the layers of Eq. 12 and the sigmoids of Thm. 1.
	Depth int
	// SetSize is the number of elements per set (default 8). Elements
	// are drawn uniformly from [−1, 1].
	SetSize int
	// Steps is the number of Adam steps (default 3000), each on BatchSets
	// fresh random sets (default 64).
	Steps, BatchSets int
	// TestSets is the number of held-out sets the error is measured on
	// (default 4096). They depend on Seed, Target and SetSize only, so all
	// widths are scored on the same sets.
	TestSets int
	// LearnRate is Adam's initial step size (default 0.03; β1 = 0.9,
	// β2 = 0.999). It decays along a half cosine to LearnRate/100 at the
	// last step. The default was measured: at 0.01 the even targets
	// (variance, e_2) stay on their initial plateau for most of a few
	// thousand steps; at 0.1 a width-64 fit of the variance diverged.
	LearnRate float64
	// Seed fixes the training sets, the test sets and the initial weights.
	Seed uint64
	// Progress, if not nil, is called after every step with the number
	// of steps done and that step's loss (mean squared error in
	// standardised units).
	Progress func(step int, loss float64)
}

// MaxTrainWidth is the largest width [Train] accepts.
const MaxTrainWidth = 1024

func (c TrainConfig) withDefaults() TrainConfig {
	if c.Depth == 0 {
		c.Depth = 2
	}
	if c.SetSize == 0 {
		c.SetSize = 8
	}
	if c.Steps == 0 {
		c.Steps = 3000
	}
	if c.BatchSets == 0 {
		c.BatchSets = 64
	}
	if c.TestSets == 0 {
		c.TestSets = 4096
	}
	if c.LearnRate == 0 {
		c.LearnRate = 0.03
	}
	return c
}

func (c TrainConfig) check() error {
	switch {
	case !c.Target.valid():
		return fmt.Errorf("%w: target %v", ErrConfig, c.Target)
	case c.Width < 1 || c.Width > MaxTrainWidth:
		return fmt.Errorf("%w: %d (want 1..%d)", ErrWidth, c.Width, MaxTrainWidth)
	case c.Depth < 1 || c.Depth > 8:
		return fmt.Errorf("%w: depth %d (want 1..8)", ErrConfig, c.Depth)
	case c.SetSize < 2 || c.SetSize > 1024:
		// Every target but the mean, the median and the count is constant
		// on sets of one element.
		return fmt.Errorf("%w: set size %d (want 2..1024)", ErrConfig, c.SetSize)
	case c.Steps < 1 || c.Steps > 1<<24 || c.BatchSets < 1 || c.BatchSets > 1<<16 || c.TestSets < 1 || c.TestSets > 1<<20:
		return fmt.Errorf("%w: steps %d, batch %d, test sets %d (want 1..2^24, 1..2^16, 1..2^20)",
			ErrConfig, c.Steps, c.BatchSets, c.TestSets)
	case math.IsNaN(c.LearnRate) || math.IsInf(c.LearnRate, 0) || c.LearnRate <= 0 || c.LearnRate > 1:
		return fmt.Errorf("%w: learn rate %v (want in (0, 1])", ErrConfig, c.LearnRate)
	}
	return nil
}

// TrainResult is the outcome of one fit.
type TrainResult struct {
	Target Target
	Width  int
	// Params counts the network's parameters.
	Params int
	// RMSE is the root-mean-square error on the test sets, in the
	// target's units; Std is the target's standard deviation on them, and
	// RelRMSE = RMSE/Std: 1 is what the best constant gets, 0 a perfect fit.
	RMSE, Std, RelRMSE float64
	// TrainLoss is the mean squared error, in standardised units, over
	// the last tenth of the steps.
	TrainLoss float64
}

// fillSets fills x with sets of b elements uniform in [−1, 1] and y with
// the target on each, standardised by mean and std.
func fillSets(rng *rand.Rand, t Target, x, y []float64, b int, mean, std float64) {
	for s := range y {
		set := x[s*b : (s+1)*b]
		for i := range set {
			set[i] = 2*rng.Float64() - 1
		}
		y[s] = (t.Of(set) - mean) / std
	}
}

// hiddenBiasStd is the standard deviation of the hidden biases at the
// start of training. The equivariant layers start their biases at zero;
// with small weights every sigmoid then sits at its inflection point, where
// σ″ = 0, the network is nearly linear in the elements, and targets with
// an even part (the variance, e_2) get almost no gradient at first. Biases
// spread over N(0, 1) put the units on both sides of their bends.
const hiddenBiasStd = 1

// Train fits an invariant network of the paper's family (Depth sigmoid
// [equivariant.Dense] layers of Width units with mean ρ, an identity layer
// to one output, mean readout) to a symmetric target on random sets, with
// Adam ([optim.Adam]) on the squared error, and measures its error on
// held-out sets. Every step draws fresh sets, so the error measures what
// the width can represent and what Adam finds in the given steps, not
// overfitting. The target is standardised for training, with the mean and
// standard deviation of 4096 random sets.
func Train(cfg TrainConfig) (TrainResult, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return TrainResult{}, err
	}
	b := cfg.SetSize
	// Independent streams, so that every width sees the same statistics,
	// the same training sets and the same test sets; only the initial
	// weights depend on the width.
	tgt := uint64(cfg.Target)<<32 | uint64(b)
	statRng := rand.New(rand.NewPCG(cfg.Seed, 0x5747<<48|tgt))
	testRng := rand.New(rand.NewPCG(cfg.Seed, 0x7e57<<48|tgt))
	dataRng := rand.New(rand.NewPCG(cfg.Seed, 0xda7a<<48|tgt))
	initRng := rand.New(rand.NewPCG(cfg.Seed, 0x1417<<48|uint64(cfg.Width)<<40|tgt))
	mean, std := targetStats(statRng, cfg.Target, 4096, b)
	if !(std > 0) {
		return TrainResult{}, fmt.Errorf("%w: target %v is constant on sets of %d", ErrConfig, cfg.Target, b)
	}

	g := gorgonia.NewGraph()
	fg, err := newFitGraph(g, cfg, initRng)
	if err != nil {
		return TrainResult{}, err
	}
	params := fg.net.Learnables()
	if _, err := gorgonia.Grad(fg.cost, params...); err != nil {
		return TrainResult{}, fmt.Errorf("approx: gradient: %w", err)
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(params...))
	defer vm.Close()
	adam, err := optim.NewAdam(params, optim.AdamConfig{LR: cfg.LearnRate})
	if err != nil {
		return TrainResult{}, fmt.Errorf("approx: Adam: %w", err)
	}

	xd, yd := fg.x.Value().Data().([]float64), fg.y.Value().Data().([]float64)
	tail := max(1, cfg.Steps/10)
	var tailLoss float64
	for step := 1; step <= cfg.Steps; step++ {
		// Half-cosine decay from LearnRate to LearnRate/100: large steps
		// first to find the shape, small ones to settle without the noise
		// of fresh batches dominating the final error.
		frac := float64(step-1) / float64(max(1, cfg.Steps-1))
		lr := cfg.LearnRate * (0.01 + 0.99*0.5*(1+math.Cos(math.Pi*frac)))
		if err := adam.SetLR(lr); err != nil {
			return TrainResult{}, fmt.Errorf("approx: step %d: %w", step, err)
		}
		fillSets(dataRng, cfg.Target, xd, yd, b, mean, std)
		if err := vm.RunAll(); err != nil {
			return TrainResult{}, fmt.Errorf("approx: step %d: %w", step, err)
		}
		c, ok := fg.cost.Value().Data().(float64)
		if !ok || math.IsNaN(c) || math.IsInf(c, 0) {
			return TrainResult{}, fmt.Errorf("%w: loss %v at step %d", ErrNonFinite, fg.cost.Value().Data(), step)
		}
		if err := adam.Step(); err != nil {
			return TrainResult{}, fmt.Errorf("approx: Adam step %d: %w", step, err)
		}
		vm.Reset()
		if step > cfg.Steps-tail {
			tailLoss += c / float64(tail)
		}
		if cfg.Progress != nil {
			cfg.Progress(step, c)
		}
	}

	rmse, tstd, err := testError(fg.net, cfg, testRng, mean, std)
	if err != nil {
		return TrainResult{}, err
	}
	return TrainResult{
		Target: cfg.Target, Width: cfg.Width, Params: countParams(params),
		RMSE: rmse, Std: tstd, RelRMSE: rmse / tstd, TrainLoss: tailLoss,
	}, nil
}

// fitGraph is the training graph of [Train]: the network, the inputs x
// (N, B, 1) and targets y (N, 1), both holding values that the loop
// overwrites, and the cost mean((f(x) − y)²).
type fitGraph struct {
	net        *equivariant.Network
	x, y, cost *gorgonia.Node
}

func newFitGraph(g *gorgonia.ExprGraph, cfg TrainConfig, rng *rand.Rand) (fitGraph, error) {
	widths := make([]int, cfg.Depth+1)
	for i := range widths {
		widths[i] = cfg.Width
	}
	widths[cfg.Depth] = 1
	net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: 1, Widths: widths, Activation: equivariant.Sigmoid, OutputActivation: equivariant.Identity,
		SetSize: cfg.SetSize, Name: "fit", Rand: rng,
	})
	if err != nil {
		return fitGraph{}, fmt.Errorf("approx: network: %w", err)
	}
	for _, l := range net.Stack[:cfg.Depth] {
		d, ok := l.(*equivariant.Dense)
		if !ok {
			return fitGraph{}, fmt.Errorf("approx: hidden layer is %T, want *equivariant.Dense", l)
		}
		beta, ok := d.Beta.Value().Data().([]float64)
		if !ok {
			return fitGraph{}, fmt.Errorf("approx: bias holds %T, want []float64", d.Beta.Value().Data())
		}
		for i := range beta {
			beta[i] = hiddenBiasStd * rng.NormFloat64()
		}
	}
	nb, b := cfg.BatchSets, cfg.SetSize
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(nb, b, 1), tensor.Of(tensor.Float64)), gorgonia.WithName("x"))
	y := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(nb, 1), tensor.Of(tensor.Float64)), gorgonia.WithName("y"))
	out, err := net.Forward(x, nil)
	if err != nil {
		return fitGraph{}, fmt.Errorf("approx: forward: %w", err)
	}
	cost, err := squaredError(out, y)
	if err != nil {
		return fitGraph{}, err
	}
	return fitGraph{net: net, x: x, y: y, cost: cost}, nil
}

// squaredError returns mean((out − y)²).
func squaredError(out, y *gorgonia.Node) (*gorgonia.Node, error) {
	diff, err := gorgonia.Sub(out, y)
	if err != nil {
		return nil, fmt.Errorf("approx: loss: %w", err)
	}
	sq, err := gorgonia.Square(diff)
	if err != nil {
		return nil, fmt.Errorf("approx: loss: %w", err)
	}
	cost, err := gorgonia.Mean(sq)
	if err != nil {
		return nil, fmt.Errorf("approx: loss: %w", err)
	}
	return cost, nil
}

// targetStats returns the mean and standard deviation of t over n random
// sets of size b.
func targetStats(rng *rand.Rand, t Target, n, b int) (mean, std float64) {
	x := make([]float64, n*b)
	y := make([]float64, n)
	fillSets(rng, t, x, y, b, 0, 1)
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	for _, v := range y {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(n))
}

// testError rebuilds the trained network in a graph of its own, without
// gradients ([equivariant.Network.ShareIn], same weight tensors), runs it
// on cfg.TestSets fresh sets at once and returns the root-mean-square
// error and the target's standard deviation over them, in the target's
// units.
func testError(net *equivariant.Network, cfg TrainConfig, rng *rand.Rand, mean, std float64) (rmse, tstd float64, err error) {
	n, b := cfg.TestSets, cfg.SetSize
	xd := make([]float64, n*b)
	yd := make([]float64, n)
	fillSets(rng, cfg.Target, xd, yd, b, 0, 1)
	g := gorgonia.NewGraph()
	shared, err := net.ShareIn(g)
	if err != nil {
		return 0, 0, fmt.Errorf("approx: test network: %w", err)
	}
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, b, 1), tensor.WithBacking(xd)), gorgonia.WithName("xtest"))
	out, err := shared.Forward(x, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("approx: test forward: %w", err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return 0, 0, fmt.Errorf("approx: test run: %w", err)
	}
	pred, ok := out.Value().Data().([]float64)
	if !ok || len(pred) != n {
		return 0, 0, fmt.Errorf("approx: test output holds %T, want %d float64", out.Value().Data(), n)
	}
	var sse, tsum, tsq float64
	for s, truth := range yd {
		d := pred[s]*std + mean - truth
		sse += d * d
		tsum += truth
		tsq += truth * truth
	}
	fn := float64(n)
	rmse = math.Sqrt(sse / fn)
	tstd = math.Sqrt(math.Max(0, tsq/fn-(tsum/fn)*(tsum/fn)))
	if !(tstd > 0) || math.IsNaN(rmse) || math.IsInf(rmse, 0) {
		return 0, 0, fmt.Errorf("%w: test error %v, target spread %v", ErrNonFinite, rmse, tstd)
	}
	return rmse, tstd, nil
}
