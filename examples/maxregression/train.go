package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/internal/setlearn"
)

// config is one training run's setting, shared by every model and seed.
type config struct {
	steps     int     // training batches
	batch     int     // sets per batch
	maxLen    int     // largest set size; lengths are uniform on 1..maxLen
	width     int     // units per hidden layer
	test      int     // test sets
	curve     int     // test MAE evaluations along training (learning curve points)
	curveSets int     // test sets used for each curve point
	lr        float64 // Adam learning rate
	decay     float64 // fraction of final steps over which lr decays to 0 (cosine); 0 keeps it constant
	scale     float64 // inputs enter divided by scale, outputs leave multiplied by it
}

// result is what one run of one model with one seed gives.
type result struct {
	mae          float64   // mean absolute error over all test sets
	steps, curve []float64 // learning curve: step and test MAE there
}

// Random streams drawn from a seed: one for the weights, one for the
// training batches and one for the test sets, so that the models of one
// seed see the same data and their weights do not depend on the data.
const (
	streamInit = iota + 1
	streamTrain
	streamTest
)

// evalBatch is the number of sets the evaluation graph takes at once.
const evalBatch = 500

// lenGraph is the training graph for batches of sets of one length: a
// copy of the network on the shared weight tensors, its loss and gradient.
type lenGraph struct {
	g      *gorgonia.ExprGraph
	x, y   *gorgonia.Node
	loss   *gorgonia.Node
	params gorgonia.Nodes
	vm     gorgonia.VM
	xt, yt *tensor.Dense
}

// trainer holds one model's training graphs, one per set length, and its
// evaluation graph, all on the same weight tensors.
type trainer struct {
	cfg        config
	byLen      []*lenGraph // index l-1 for length l
	opt        *optim.Adam
	eg         *gorgonia.ExprGraph
	ex, emask  *gorgonia.Node
	epred      *gorgonia.Node
	evm        gorgonia.VM
	ext, emt   *tensor.Dense
	evB        *batch
	xbuf, ybuf []float64
}

func newTrainer(m model, cfg config, seed uint64) (*trainer, error) {
	t := &trainer{cfg: cfg, eg: gorgonia.NewGraph()}
	g0 := gorgonia.NewGraph()
	net, err := m.build(g0, cfg.width, cfg.maxLen, rand.New(rand.NewPCG(seed, streamInit)))
	if err != nil {
		return nil, err
	}
	for l := 1; l <= cfg.maxLen; l++ {
		lg := &lenGraph{g: g0}
		n := net
		if l > 1 {
			lg.g = gorgonia.NewGraph()
			if n, err = net.ShareIn(lg.g); err != nil {
				return nil, err
			}
		}
		lg.xt = tensor.New(tensor.WithShape(cfg.batch, l, 1), tensor.WithBacking(make([]float64, cfg.batch*l)))
		lg.yt = tensor.New(tensor.WithShape(cfg.batch, 1), tensor.WithBacking(make([]float64, cfg.batch)))
		lg.x = gorgonia.NewTensor(lg.g, tensor.Float64, 3, gorgonia.WithShape(cfg.batch, l, 1), gorgonia.WithName("x"))
		lg.y = gorgonia.NewMatrix(lg.g, tensor.Float64, gorgonia.WithShape(cfg.batch, 1), gorgonia.WithName("y"))
		pred, err := predict(n, lg.x, nil, cfg.scale)
		if err != nil {
			return nil, err
		}
		if lg.loss, err = setlearn.L1(pred, lg.y); err != nil {
			return nil, err
		}
		lg.params = n.Learnables()
		if _, err := gorgonia.Grad(lg.loss, lg.params...); err != nil {
			return nil, fmt.Errorf("maxregression: gradient: %w", err)
		}
		lg.vm = gorgonia.NewTapeMachine(lg.g, gorgonia.BindDualValues(lg.params...))
		t.byLen = append(t.byLen, lg)
	}
	if t.opt, err = optim.NewAdam(net.Learnables(), optim.AdamConfig{LR: cfg.lr}); err != nil {
		return nil, err
	}
	t.xbuf = make([]float64, cfg.batch*cfg.maxLen)
	t.ybuf = make([]float64, cfg.batch)

	// The evaluation graph: the same weights, a larger batch of sets of
	// mixed lengths padded to maxLen and masked, no gradient.
	enet, err := net.ShareIn(t.eg)
	if err != nil {
		return nil, err
	}
	t.evB = newBatch(evalBatch, cfg.maxLen)
	t.ext = tensor.New(tensor.WithShape(evalBatch, cfg.maxLen, 1), tensor.WithBacking(make([]float64, evalBatch*cfg.maxLen)))
	t.emt = tensor.New(tensor.WithShape(evalBatch, cfg.maxLen), tensor.WithBacking(make([]float64, evalBatch*cfg.maxLen)))
	t.ex = gorgonia.NewTensor(t.eg, tensor.Float64, 3, gorgonia.WithShape(evalBatch, cfg.maxLen, 1), gorgonia.WithName("x"))
	t.emask = gorgonia.NewMatrix(t.eg, tensor.Float64, gorgonia.WithShape(evalBatch, cfg.maxLen), gorgonia.WithName("mask"))
	if t.epred, err = predict(enet, t.ex, t.emask, cfg.scale); err != nil {
		return nil, err
	}
	t.evm = gorgonia.NewTapeMachine(t.eg)
	return t, nil
}

// predict builds the network's prediction in the task's units: the inputs
// are divided by scale on the way in (done by load) and the output is
// multiplied by scale.
func predict(net interface {
	Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error)
}, x, mask *gorgonia.Node, scale float64) (*gorgonia.Node, error) {
	out, err := net.Forward(x, mask)
	if err != nil {
		return nil, err
	}
	if scale == 1 {
		return out, nil
	}
	return gorgonia.Mul(out, gorgonia.NewConstant(scale))
}

// load copies a batch into the input tensors, dividing the elements by
// scale.
func load(b *batch, x, mask *tensor.Dense, scale float64) {
	xs := x.Data().([]float64)
	for i, v := range b.x {
		xs[i] = v / scale
	}
	copy(mask.Data().([]float64), b.mask)
}

func (t *trainer) close() {
	for _, lg := range t.byLen {
		lg.vm.Close()
	}
	t.evm.Close()
}

// step trains on one fresh batch and returns its loss.
func (t *trainer) step(rng *rand.Rand) (float64, error) {
	l := drawBatch(rng, t.cfg.batch, t.cfg.maxLen, t.xbuf, t.ybuf)
	lg := t.byLen[l-1]
	xs := lg.xt.Data().([]float64)
	for i := range xs {
		xs[i] = t.xbuf[i] / t.cfg.scale
	}
	copy(lg.yt.Data().([]float64), t.ybuf)
	if err := gorgonia.Let(lg.x, lg.xt); err != nil {
		return 0, err
	}
	if err := gorgonia.Let(lg.y, lg.yt); err != nil {
		return 0, err
	}
	if err := lg.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := lg.loss.Value().Data().(float64)
	lg.vm.Reset()
	if err := t.opt.StepNodes(lg.params); err != nil {
		return 0, err
	}
	return loss, nil
}

// predict returns the network's predictions for the first n sets of test.
func (t *trainer) predict(test *batch, n int) ([]float64, error) {
	out := make([]float64, 0, n)
	for start := 0; start < n; start += evalBatch {
		k := min(evalBatch, n-start)
		// Copy the next k sets; slots past k repeat the first set so the
		// batch stays valid, and their outputs are ignored.
		for i := range evalBatch {
			src := start + i
			if i >= k {
				src = start
			}
			copy(t.evB.x[i*t.cfg.maxLen:(i+1)*t.cfg.maxLen], test.x[src*t.cfg.maxLen:(src+1)*t.cfg.maxLen])
			copy(t.evB.mask[i*t.cfg.maxLen:(i+1)*t.cfg.maxLen], test.mask[src*t.cfg.maxLen:(src+1)*t.cfg.maxLen])
		}
		load(t.evB, t.ext, t.emt, t.cfg.scale)
		if err := gorgonia.Let(t.ex, t.ext); err != nil {
			return nil, err
		}
		if err := gorgonia.Let(t.emask, t.emt); err != nil {
			return nil, err
		}
		if err := t.evm.RunAll(); err != nil {
			return nil, err
		}
		out = append(out, t.epred.Value().Data().([]float64)[:k]...)
		t.evm.Reset()
	}
	return out, nil
}

// mae returns the mean absolute error over the first n sets of test.
func (t *trainer) mae(test *batch, n int) (float64, error) {
	pred, err := t.predict(test, n)
	if err != nil {
		return 0, err
	}
	total := 0.0
	for i, p := range pred {
		total += math.Abs(p - test.target[i])
	}
	return total / float64(n), nil
}

// run1 trains model m with the given seed and evaluates it. prog, if not
// nil, is told about every step.
func run1(m model, cfg config, seed uint64, prog func(step int, loss float64)) (result, error) {
	t, err := newTrainer(m, cfg, seed)
	if err != nil {
		return result{}, fmt.Errorf("maxregression: building %s: %w", m.name, err)
	}
	defer t.close()
	test := newBatch(cfg.test, cfg.maxLen)
	test.fill(rand.New(rand.NewPCG(seed, streamTest)))
	rng := rand.New(rand.NewPCG(seed, streamTrain))

	var res result
	curveSets := min(cfg.curveSets, cfg.test)
	every := max(1, cfg.steps/max(1, cfg.curve))
	for s := 1; s <= cfg.steps; s++ {
		if err := t.opt.SetLR(setlearn.CosineTail(cfg.lr, s, cfg.steps, cfg.decay)); err != nil {
			return result{}, fmt.Errorf("maxregression: %w", err)
		}
		loss, err := t.step(rng)
		if err != nil {
			return result{}, fmt.Errorf("maxregression: %s step %d: %w", m.name, s, err)
		}
		if prog != nil {
			prog(s, loss)
		}
		if cfg.curve > 0 && (s%every == 0 || s == cfg.steps) {
			e, err := t.mae(test, curveSets)
			if err != nil {
				return result{}, err
			}
			res.steps = append(res.steps, float64(s))
			res.curve = append(res.curve, e)
		}
	}
	if res.mae, err = t.mae(test, cfg.test); err != nil {
		return result{}, err
	}
	return res, nil
}
