package main

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/internal/setlearn"
	"github.com/symnet/symnet/invariant"
)

// classes is the number of digit classes.
const classes = 10

// config is a training run's setting.
type config struct {
	epochs   int     // passes over the training clouds
	batch    int     // clouds per batch
	points   int     // training clouds are subsampled to at most this many points
	widths   []int   // equivariant layers
	head     int     // hidden units of the per-set head
	lr       float64 // peak Adam learning rate, cosine-decayed to 0
	curveLen int     // steps averaged into one learning-curve point
	monitor  int     // test clouds scored after each epoch for the curve
}

// Random streams drawn from the seed.
const (
	streamInit = iota + 1
	streamShuffle
	streamHalf
)

// evalBatch is the number of clouds the evaluation graph takes at once.
const evalBatch = 100

// classifier is the network, its training graph, and an evaluation graph
// on the same weights for clouds of up to evalPoints points.
type classifier struct {
	cfg        config
	net        *equivariant.Network
	g          *gorgonia.ExprGraph
	x, mask, y *gorgonia.Node
	loss       *gorgonia.Node
	vm         gorgonia.VM
	opt        *optim.Adam
	xt, mt, yt *tensor.Dense

	evalPoints int
	eg         *gorgonia.ExprGraph
	ex, emask  *gorgonia.Node
	elogits    *gorgonia.Node
	evm        gorgonia.VM
	ext, emt   *tensor.Dense
}

// build creates the invariant network of Eq. 10 with a head: equivariant
// ReLU layers with ρ the mean, the maximum over the set, a ReLU head layer
// and 10 logits. float32 throughout: it halves the memory traffic of the
// pure-Go BLAS, and classification needs no more precision.
func build(g *gorgonia.ExprGraph, cfg config, rng *rand.Rand) (*equivariant.Network, error) {
	return equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: 2, Widths: cfg.widths, Head: []int{cfg.head, classes},
		Activation: equivariant.ReLU, Rho: invariant.Mean, Readout: invariant.Max,
		SetSize: cfg.points, Dtype: tensor.Float32, Name: "mnistnet", Rand: rng,
	})
}

func newClassifier(cfg config, seed uint64, evalPoints int) (*classifier, error) {
	c := &classifier{cfg: cfg, g: gorgonia.NewGraph(), eg: gorgonia.NewGraph(), evalPoints: evalPoints}
	var err error
	if c.net, err = build(c.g, cfg, rand.New(rand.NewPCG(seed, streamInit))); err != nil {
		return nil, err
	}
	b, p := cfg.batch, cfg.points
	c.xt = tensor.New(tensor.WithShape(b, p, 2), tensor.Of(tensor.Float32))
	c.mt = tensor.New(tensor.WithShape(b, p), tensor.Of(tensor.Float32))
	c.yt = tensor.New(tensor.WithShape(b, classes), tensor.Of(tensor.Float32))
	c.x = gorgonia.NewTensor(c.g, tensor.Float32, 3, gorgonia.WithShape(b, p, 2), gorgonia.WithName("x"))
	c.mask = gorgonia.NewMatrix(c.g, tensor.Float32, gorgonia.WithShape(b, p), gorgonia.WithName("mask"))
	c.y = gorgonia.NewMatrix(c.g, tensor.Float32, gorgonia.WithShape(b, classes), gorgonia.WithName("y"))
	logits, err := c.net.Forward(c.x, c.mask)
	if err != nil {
		return nil, err
	}
	if c.loss, err = setlearn.CrossEntropy(logits, c.y); err != nil {
		return nil, err
	}
	params := c.net.Learnables()
	if _, err := gorgonia.Grad(c.loss, params...); err != nil {
		return nil, fmt.Errorf("mnistsets: gradient: %w", err)
	}
	c.vm = gorgonia.NewTapeMachine(c.g, gorgonia.BindDualValues(params...))
	if c.opt, err = optim.NewAdam(params, optim.AdamConfig{LR: cfg.lr}); err != nil {
		return nil, err
	}

	enet, err := c.net.ShareIn(c.eg)
	if err != nil {
		return nil, err
	}
	c.ext = tensor.New(tensor.WithShape(evalBatch, evalPoints, 2), tensor.Of(tensor.Float32))
	c.emt = tensor.New(tensor.WithShape(evalBatch, evalPoints), tensor.Of(tensor.Float32))
	c.ex = gorgonia.NewTensor(c.eg, tensor.Float32, 3, gorgonia.WithShape(evalBatch, evalPoints, 2), gorgonia.WithName("x"))
	c.emask = gorgonia.NewMatrix(c.eg, tensor.Float32, gorgonia.WithShape(evalBatch, evalPoints), gorgonia.WithName("mask"))
	if c.elogits, err = enet.Forward(c.ex, c.emask); err != nil {
		return nil, err
	}
	c.evm = gorgonia.NewTapeMachine(c.eg)
	return c, nil
}

func (c *classifier) close() {
	c.vm.Close()
	c.evm.Close()
}

// encode writes clouds into x (len×p×2) and mask (len×p), padding each to
// p points with zeros and mask 0.
func encode(clouds []cloud, p int, x, mask []float32) {
	clear(x)
	clear(mask)
	for i, cl := range clouds {
		copy(x[i*p*2:], cl.pts)
		for j := range cl.size() {
			mask[i*p+j] = 1
		}
	}
}

// step trains on one batch of clouds (each of at most cfg.points points)
// and returns the batch loss.
func (c *classifier) step(batch []cloud) (float64, error) {
	encode(batch, c.cfg.points, c.xt.Data().([]float32), c.mt.Data().([]float32))
	y := c.yt.Data().([]float32)
	clear(y)
	for i, cl := range batch {
		y[i*classes+cl.label] = 1
	}
	for _, in := range []struct {
		n *gorgonia.Node
		t *tensor.Dense
	}{{c.x, c.xt}, {c.mask, c.mt}, {c.y, c.yt}} {
		if err := gorgonia.Let(in.n, in.t); err != nil {
			return 0, err
		}
	}
	if err := c.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := float64(c.loss.Value().Data().(float32))
	c.vm.Reset()
	return loss, c.opt.Step()
}

// logits returns the network's 10 logits for every cloud (each of at most
// evalPoints points), row after row.
func (c *classifier) logits(clouds []cloud) ([]float32, error) {
	out := make([]float32, 0, len(clouds)*classes)
	batch := make([]cloud, evalBatch)
	for start := 0; start < len(clouds); start += evalBatch {
		k := min(evalBatch, len(clouds)-start)
		for i := range batch {
			batch[i] = clouds[start+min(i, k-1)] // a short last batch repeats its last cloud
			if n := batch[i].size(); n == 0 || n > c.evalPoints {
				return nil, fmt.Errorf("mnistsets: cloud of %d points, evaluation graph takes 1..%d", n, c.evalPoints)
			}
		}
		encode(batch, c.evalPoints, c.ext.Data().([]float32), c.emt.Data().([]float32))
		if err := gorgonia.Let(c.ex, c.ext); err != nil {
			return nil, err
		}
		if err := gorgonia.Let(c.emask, c.emt); err != nil {
			return nil, err
		}
		if err := c.evm.RunAll(); err != nil {
			return nil, err
		}
		out = append(out, c.elogits.Value().Data().([]float32)[:k*classes]...)
		c.evm.Reset()
	}
	return out, nil
}

// predict returns the predicted class of every cloud: the largest logit.
func (c *classifier) predict(clouds []cloud) ([]int, error) {
	logits, err := c.logits(clouds)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(clouds))
	for i := range out {
		row := logits[i*classes : (i+1)*classes]
		for j := range row {
			if row[j] > row[out[i]] {
				out[i] = j
			}
		}
	}
	return out, nil
}

// accuracy returns the fraction of clouds whose prediction is their label,
// and the predictions.
func (c *classifier) accuracy(clouds []cloud) (float64, []int, error) {
	pred, err := c.predict(clouds)
	if err != nil {
		return 0, nil, err
	}
	right := 0
	for i, p := range pred {
		if p == clouds[i].label {
			right++
		}
	}
	return float64(right) / float64(len(clouds)), pred, nil
}

// history is the learning curve of a run.
type history struct {
	steps, loss     []float64 // mean training loss over windows of steps
	epochs, testAcc []float64 // accuracy on the monitor clouds after each epoch
}

// train runs cfg.epochs passes over train, each cloud subsampled afresh to
// at most cfg.points points, with the learning rate cosine-decayed to 0.
// After each epoch it scores the first cfg.monitor test clouds.
func (c *classifier) train(train, monitor []cloud, seed uint64, prog func(step, total int, loss float64)) (history, error) {
	rng := rand.New(rand.NewPCG(seed, streamShuffle))
	perEpoch := len(train) / c.cfg.batch
	total := c.cfg.epochs * perEpoch
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	var h history
	batch := make([]cloud, c.cfg.batch)
	step, window, wsum := 0, 0, 0.0
	for e := 1; e <= c.cfg.epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for b := range perEpoch {
			step++
			for i := range batch {
				batch[i] = subsample(rng, train[order[b*c.cfg.batch+i]], c.cfg.points)
			}
			if err := c.opt.SetLR(setlearn.CosineTail(c.cfg.lr, step, total, 1)); err != nil {
				return h, fmt.Errorf("mnistsets: %w", err)
			}
			loss, err := c.step(batch)
			if err != nil {
				return h, fmt.Errorf("mnistsets: step %d: %w", step, err)
			}
			if prog != nil {
				prog(step, total, loss)
			}
			window++
			wsum += loss
			if window == c.cfg.curveLen || step == total {
				h.steps = append(h.steps, float64(step))
				h.loss = append(h.loss, wsum/float64(window))
				window, wsum = 0, 0
			}
		}
		if len(monitor) > 0 {
			a, _, err := c.accuracy(monitor)
			if err != nil {
				return h, err
			}
			h.epochs = append(h.epochs, float64(e))
			h.testAcc = append(h.testAcc, a)
		}
	}
	return h, nil
}

// halve returns each cloud subsampled to half its points (at least one),
// drawn from rng.
func halve(rng *rand.Rand, clouds []cloud) []cloud {
	out := make([]cloud, len(clouds))
	for i, c := range clouds {
		out[i] = subsample(rng, c, max(1, c.size()/2))
	}
	return out
}
