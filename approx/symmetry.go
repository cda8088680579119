package approx

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

// SymmetryConfig describes the comparison made by [CompareSymmetry].
type SymmetryConfig struct {
	// In is the number of features per element, SetSize the number of
	// elements B per set.
	In, SetSize int
	// Width and Depth give both networks Depth hidden layers of Width
	// sigmoid units and one output.
	Width, Depth int
	// Trials is the number of random sets, each compared with one random
	// permutation of itself.
	Trials int
	// Rand draws the weights, the sets and the permutations.
	Rand *rand.Rand
}

// SymmetryReport is the outcome of [CompareSymmetry].
type SymmetryReport struct {
	// InvariantParams and NaiveParams count the parameters of the two
	// networks.
	InvariantParams, NaiveParams int
	// InvariantGap and NaiveGap are max over the trials of |f(x) − f(πx)|
	// for the invariant and the naive network.
	InvariantGap, NaiveGap float64
	// NaiveScale is the standard deviation of the naive network's outputs
	// over the trial sets: the gap as a fraction of it says how much of
	// the output's variation is due to order alone.
	NaiveScale float64
}

// CompareSymmetry builds, with random weights, an invariant network of
// the paper's family (Depth sigmoid [equivariant.Dense] layers of Width
// units with mean ρ, an identity output layer, the mean readout) and a
// naive network of the same width and depth on the concatenated set
// (the B·In numbers of a set as one vector through ordinary dense
// layers), runs both on random sets and on permuted copies, and reports
// how much each output moves. The first only moves by rounding; the second
// depends on the order, and its first layer grows with B.
func CompareSymmetry(cfg SymmetryConfig) (SymmetryReport, error) {
	var rep SymmetryReport
	if cfg.In < 1 || cfg.SetSize < 1 || cfg.Width < 1 || cfg.Depth < 1 || cfg.Trials < 1 {
		return rep, fmt.Errorf("%w: in %d, set size %d, width %d, depth %d, trials %d (all must be ≥ 1)",
			ErrConfig, cfg.In, cfg.SetSize, cfg.Width, cfg.Depth, cfg.Trials)
	}
	if cfg.Width > 4096 || cfg.Depth > 16 || cfg.SetSize*cfg.In > 1<<16 || cfg.Trials > 1<<16 {
		return rep, fmt.Errorf("%w: width %d, depth %d, set of %d×%d, %d trials: too large",
			ErrConfig, cfg.Width, cfg.Depth, cfg.SetSize, cfg.In, cfg.Trials)
	}
	if cfg.Rand == nil {
		return rep, fmt.Errorf("%w: nil Rand", ErrConfig)
	}
	n, b, in := cfg.Trials, cfg.SetSize, cfg.In
	data := make([]float64, n*b*in)
	for i := range data {
		data[i] = cfg.Rand.NormFloat64()
	}
	perm := make([]float64, len(data))
	for s := 0; s < n; s++ {
		p := cfg.Rand.Perm(b)
		for i, j := range p {
			copy(perm[(s*b+i)*in:(s*b+i+1)*in], data[(s*b+j)*in:(s*b+j+1)*in])
		}
	}

	g := gorgonia.NewGraph()
	widths := make([]int, cfg.Depth+1)
	for i := range widths {
		widths[i] = cfg.Width
	}
	widths[cfg.Depth] = 1
	inv, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: in, Widths: widths, Activation: equivariant.Sigmoid, OutputActivation: equivariant.Identity,
		SetSize: b, Name: "invariant", Rand: cfg.Rand,
	})
	if err != nil {
		return rep, fmt.Errorf("approx: invariant network: %w", err)
	}
	var naive equivariant.Stack
	prev := b * in
	for i, w := range widths {
		act := equivariant.Sigmoid
		if i == cfg.Depth {
			act = equivariant.Identity
		}
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: prev, Out: w, Activation: act, Name: fmt.Sprintf("naive%d", i), Rand: cfg.Rand,
		})
		if err != nil {
			return rep, fmt.Errorf("approx: naive network: %w", err)
		}
		naive = append(naive, l)
		prev = w
	}

	var outs []*gorgonia.Node
	for i, vals := range [][]float64{data, perm} {
		x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(n, b, in), tensor.WithBacking(vals)), gorgonia.WithName(fmt.Sprintf("x%d", i)))
		fi, err := inv.Forward(x, nil)
		if err != nil {
			return rep, fmt.Errorf("approx: invariant forward: %w", err)
		}
		flat, err := gorgonia.Reshape(x, tensor.Shape{n, b * in})
		if err != nil {
			return rep, fmt.Errorf("approx: flattening the set: %w", err)
		}
		fn, err := naive.Forward(flat, nil)
		if err != nil {
			return rep, fmt.Errorf("approx: naive forward: %w", err)
		}
		outs = append(outs, fi, fn)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return rep, fmt.Errorf("approx: running the networks: %w", err)
	}
	vals := make([][]float64, len(outs))
	for i, o := range outs {
		v, ok := o.Value().Data().([]float64)
		if !ok || len(v) != n {
			return rep, fmt.Errorf("approx: output %d holds %T of %d values, want %d float64", i, o.Value().Data(), len(v), n)
		}
		vals[i] = v
	}
	mean, sq := 0.0, 0.0
	for s := 0; s < n; s++ {
		rep.InvariantGap = math.Max(rep.InvariantGap, math.Abs(vals[0][s]-vals[2][s]))
		rep.NaiveGap = math.Max(rep.NaiveGap, math.Abs(vals[1][s]-vals[3][s]))
		mean += vals[1][s]
	}
	mean /= float64(n)
	for s := 0; s < n; s++ {
		sq += (vals[1][s] - mean) * (vals[1][s] - mean)
	}
	rep.NaiveScale = math.Sqrt(sq / float64(n))
	rep.InvariantParams = countParams(inv.Learnables())
	rep.NaiveParams = countParams(naive.Learnables())
	return rep, nil
}

func countParams(nodes gorgonia.Nodes) int {
	s := 0
	for _, n := range nodes {
		s += n.Shape().TotalSize()
	}
	return s
}
