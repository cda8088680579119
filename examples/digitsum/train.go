package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/optim"
	"github.com/symnet/symnet/internal/setlearn"
)

// config is the setting shared by every model.
type config struct {
	train    int     // training sets
	maxLen   int     // training lengths are uniform on 1..maxLen
	epochs   int     // passes over the training set
	batch    int     // sets per batch
	width    int     // units per layer
	lr       float64 // peak Adam learning rate, decayed by a cosine to 0
	test     int     // test sets per test length
	lengths  []int   // test lengths
	curveLen int     // steps averaged into one learning-curve point
}

// result is one model's run.
type result struct {
	acc          []float64 // accuracy at each test length
	steps, curve []float64 // mean training loss over successive windows
}

// Random streams drawn from a seed.
const (
	streamInit = iota + 1
	streamTrain
	streamShuffle
	streamTest // + the index of the test length
)

// evalBatch is the number of test sets the evaluation graphs take at once.
const evalBatch = 500

// trainer holds a model's training graph.
type trainer struct {
	cfg        config
	net        *equivariant.Network
	g          *gorgonia.ExprGraph
	x, mask, y *gorgonia.Node
	loss       *gorgonia.Node
	vm         gorgonia.VM
	opt        *optim.Adam
	xt, mt, yt *tensor.Dense
}

func newTrainer(m model, cfg config, seed uint64) (*trainer, error) {
	t := &trainer{cfg: cfg, g: gorgonia.NewGraph()}
	var err error
	if t.net, err = m.build(t.g, cfg.width, cfg.maxLen, rand.New(rand.NewPCG(seed, streamInit))); err != nil {
		return nil, err
	}
	b, l := cfg.batch, cfg.maxLen
	t.xt = tensor.New(tensor.WithShape(b, l, digits), tensor.WithBacking(make([]float64, b*l*digits)))
	t.mt = tensor.New(tensor.WithShape(b, l), tensor.WithBacking(make([]float64, b*l)))
	t.yt = tensor.New(tensor.WithShape(b, 1), tensor.WithBacking(make([]float64, b)))
	t.x = gorgonia.NewTensor(t.g, tensor.Float64, 3, gorgonia.WithShape(b, l, digits), gorgonia.WithName("x"))
	t.mask = gorgonia.NewMatrix(t.g, tensor.Float64, gorgonia.WithShape(b, l), gorgonia.WithName("mask"))
	t.y = gorgonia.NewMatrix(t.g, tensor.Float64, gorgonia.WithShape(b, 1), gorgonia.WithName("y"))
	pred, err := t.net.Forward(t.x, t.mask)
	if err != nil {
		return nil, err
	}
	if t.loss, err = setlearn.L1(pred, t.y); err != nil {
		return nil, err
	}
	params := t.net.Learnables()
	if _, err := gorgonia.Grad(t.loss, params...); err != nil {
		return nil, fmt.Errorf("digitsum: gradient: %w", err)
	}
	t.vm = gorgonia.NewTapeMachine(t.g, gorgonia.BindDualValues(params...))
	if t.opt, err = optim.NewAdam(params, optim.AdamConfig{LR: cfg.lr}); err != nil {
		return nil, err
	}
	return t, nil
}

// step trains on the sets idx of data and returns the batch loss.
func (t *trainer) step(data *sets, idx []int) (float64, error) {
	data.encode(idx, t.xt.Data().([]float64), t.mt.Data().([]float64), t.yt.Data().([]float64))
	for _, p := range [][2]any{{t.x, t.xt}, {t.mask, t.mt}, {t.y, t.yt}} {
		if err := gorgonia.Let(p[0].(*gorgonia.Node), p[1].(*tensor.Dense)); err != nil {
			return 0, err
		}
	}
	if err := t.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := t.loss.Value().Data().(float64)
	t.vm.Reset()
	return loss, t.opt.Step()
}

// predict returns the network's prediction for every set of data. The
// evaluation graph is built for data's padded length on the trained
// weights, with the mask of the sets' lengths, so sets of mixed lengths are
// fine.
func (t *trainer) predict(data *sets) ([]float64, error) {
	l := data.maxLen
	g := gorgonia.NewGraph()
	net, err := t.net.ShareIn(g)
	if err != nil {
		return nil, err
	}
	xt := tensor.New(tensor.WithShape(evalBatch, l, digits), tensor.WithBacking(make([]float64, evalBatch*l*digits)))
	mt := tensor.New(tensor.WithShape(evalBatch, l), tensor.WithBacking(make([]float64, evalBatch*l)))
	x := gorgonia.NewTensor(g, tensor.Float64, 3, gorgonia.WithShape(evalBatch, l, digits), gorgonia.WithName("x"))
	mask := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(evalBatch, l), gorgonia.WithName("mask"))
	pred, err := net.Forward(x, mask)
	if err != nil {
		return nil, err
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	y := make([]float64, evalBatch)
	idx := make([]int, evalBatch)
	out := make([]float64, 0, data.n)
	for start := 0; start < data.n; start += evalBatch {
		k := min(evalBatch, data.n-start)
		for i := range idx {
			idx[i] = start + min(i, k-1) // pad a short last batch with a repeat
		}
		data.encode(idx, xt.Data().([]float64), mt.Data().([]float64), y)
		if err := gorgonia.Let(x, xt); err != nil {
			return nil, err
		}
		if err := gorgonia.Let(mask, mt); err != nil {
			return nil, err
		}
		if err := vm.RunAll(); err != nil {
			return nil, err
		}
		out = append(out, pred.Value().Data().([]float64)[:k]...)
		vm.Reset()
	}
	return out, nil
}

// accuracy returns the fraction of test whose rounded prediction is the
// sum.
func (t *trainer) accuracy(test *sets) (float64, error) {
	pred, err := t.predict(test)
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, p := range pred {
		if math.Round(p) == float64(test.sum[i]) {
			correct++
		}
	}
	return float64(correct) / float64(test.n), nil
}

// run1 trains model m with the given seed and tests it. prog, if not nil,
// is told about every step.
func run1(m model, cfg config, seed uint64, prog func(step, total int, loss float64)) (result, error) {
	t, err := newTrainer(m, cfg, seed)
	if err != nil {
		return result{}, fmt.Errorf("digitsum: building %s: %w", m.name, err)
	}
	defer t.vm.Close()
	data := drawSets(rand.New(rand.NewPCG(seed, streamTrain)), cfg.train, 1, cfg.maxLen)
	shuffle := rand.New(rand.NewPCG(seed, streamShuffle))
	perBatch := cfg.train / cfg.batch // a short last batch is dropped
	total := cfg.epochs * perBatch
	var res result
	window, wsum := 0, 0.0
	step := 0
	order := make([]int, cfg.train)
	for i := range order {
		order[i] = i
	}
	for range cfg.epochs {
		shuffle.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for b := range perBatch {
			step++
			if err := t.opt.SetLR(setlearn.CosineTail(cfg.lr, step, total, 1)); err != nil {
				return result{}, fmt.Errorf("digitsum: %w", err)
			}
			loss, err := t.step(data, order[b*cfg.batch:(b+1)*cfg.batch])
			if err != nil {
				return result{}, fmt.Errorf("digitsum: %s step %d: %w", m.name, step, err)
			}
			if prog != nil {
				prog(step, total, loss)
			}
			window++
			wsum += loss
			if window == cfg.curveLen || step == total {
				res.steps = append(res.steps, float64(step))
				res.curve = append(res.curve, wsum/float64(window))
				window, wsum = 0, 0
			}
		}
	}
	for i, l := range cfg.lengths {
		test := drawSets(rand.New(rand.NewPCG(seed, streamTest+uint64(i))), cfg.test, l, l)
		a, err := t.accuracy(test)
		if err != nil {
			return result{}, fmt.Errorf("digitsum: %s at length %d: %w", m.name, l, err)
		}
		res.acc = append(res.acc, a)
	}
	return res, nil
}

// baseline returns the accuracy of predicting round(5·l), the mean sum
// given the length, on the test sets of each length.
func baseline(cfg config, seed uint64) []float64 {
	var acc []float64
	for i, l := range cfg.lengths {
		test := drawSets(rand.New(rand.NewPCG(seed, streamTest+uint64(i))), cfg.test, l, l)
		c := 0
		for _, s := range test.sum {
			if s == 5*l {
				c++
			}
		}
		acc = append(acc, float64(c)/float64(cfg.test))
	}
	return acc
}
