package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"gorgonia.org/tensor"

	"github.com/symnet/symnet/gan"
)

// The default run: every method once on the ring and the grid, with
// networks and a budget that take about 14 minutes on two cores (1,350
// CPU-seconds measured on a 2 GHz EPYC with accel's gemm), and the
// learning rates falling to zero over the second half of the run so that
// the generators settle on the modes.
const (
	defaultWidth = 128
	defaultDepth = 3
	defaultIters = 4000
	defaultSeeds = 1
	defaultGamma = 0.5
	defaultDecay = 0.5
)

// The paper's protocol (Sec. 5.1): three hidden layers of 512 ReLU units,
// Adam with PyTorch's defaults, five discriminator steps per generator
// step, constant learning rates, BGAN with γ = 0.3, samples shown at
// iterations 10 to 20,000 (Fig. 3); five seeds for the mean and standard
// error.
const (
	paperWidth     = 512
	paperDepth     = 3
	paperIters     = 20000
	paperSeeds     = 5
	paperGamma     = 0.3
	paperSnapshots = "10,100,1000,10000,20000"
)

// options holds the command line.
type options struct {
	out         string
	methods     string
	data        string
	seeds       int
	firstSeed   uint64
	gamma       float64
	curveGammas string
	iters       int
	width       int
	depth       int
	batch       int
	ndisc       int
	lr          float64
	decay       float64
	f64         bool
	reuse       bool
	jobs        int
	snapshots   string
	paper       bool
	cpuprofile  string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("toy2d", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.out, "out", "out/toy2d", "output `folder` for the plots and results.json")
	fs.StringVar(&o.methods, "methods", "gan,mixup,bgan,mbgan", "comma-separated `methods`: gan (standard, non-saturating), mixup, bgan, mbgan")
	fs.StringVar(&o.data, "data", "ring,grid", "comma-separated data `sets`: ring (8 modes, std 0.01, radius 1: the mixup and PacGAN ring), grid (5×5, spacing 0.5, std 0.01: the mixup grid), pgrid (5×5 at {−4,…,4}², std 0.05: the PacGAN grid)")
	fs.IntVar(&o.seeds, "seeds", defaultSeeds, "number of seeds per method and data set")
	fs.Uint64Var(&o.firstSeed, "seed", 1, "first seed; runs use seed, seed+1, …")
	fs.Float64Var(&o.gamma, "gamma", defaultGamma, "batch smoothing γ ∈ [0, 0.5] of BGAN and M-BGAN in the table")
	fs.StringVar(&o.curveGammas, "curve-gammas", "0.2,0.3,0.5", "comma-separated γ for the loss curves of BGAN on the first data set (Fig. 2); empty for none")
	fs.IntVar(&o.iters, "iters", defaultIters, "generator iterations per run")
	fs.IntVar(&o.width, "width", defaultWidth, "hidden `units` per layer of both networks")
	fs.IntVar(&o.depth, "depth", defaultDepth, "hidden `layers` of both networks")
	fs.IntVar(&o.batch, "batch", 128, "batch `size` B (the set size of the batch discriminators)")
	fs.IntVar(&o.ndisc, "ndisc", 5, "discriminator steps per generator step")
	fs.Float64Var(&o.lr, "lr", 1e-3, "Adam learning rate of both networks (β 0.9/0.999)")
	fs.Float64Var(&o.decay, "decay", defaultDecay, "if in (0, 1): both learning rates fall linearly to zero after this fraction of -iters; 0: constant, as in the paper")
	fs.BoolVar(&o.f64, "f64", false, "train in float64 instead of float32")
	fs.BoolVar(&o.reuse, "reuse", false, "also score the complementary mixed batch (the paper's reuse of discarded samples, Sec. 3.1)")
	fs.IntVar(&o.jobs, "jobs", runtime.GOMAXPROCS(0), "runs trained at once")
	fs.StringVar(&o.snapshots, "snapshots", "", "comma-separated iterations at which samples are plotted; empty for five spread up to -iters")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the training to this `file`")
	fs.BoolVar(&o.paper, "paper", false, "the paper's protocol: -width 512 -depth 3 -iters 20000 -seeds 5 -gamma 0.3 -decay 0 -snapshots "+paperSnapshots+" (flags given explicitly still apply)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.paper {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, val := range map[string]string{
			"width": strconv.Itoa(paperWidth), "depth": strconv.Itoa(paperDepth), "iters": strconv.Itoa(paperIters),
			"seeds": strconv.Itoa(paperSeeds), "snapshots": paperSnapshots,
			"gamma": strconv.FormatFloat(paperGamma, 'g', -1, 64), "decay": "0",
		} {
			if !set[name] {
				if err := fs.Set(name, val); err != nil {
					return o, err
				}
			}
		}
	}
	return o, nil
}

// experiment is the parsed, checked plan of runs.
type experiment struct {
	Methods     []gan.Method
	Data        []gan.Mixture
	Seeds       []uint64
	Gamma       float64
	CurveGammas []float64
	Snapshots   []int
	Base        gan.Config // everything but method, data, seed and γ
	Jobs        int
}

func (o options) experiment() (*experiment, error) {
	e := &experiment{Gamma: o.gamma, Jobs: o.jobs}
	for _, name := range splitList(o.methods) {
		m, err := gan.ParseMethod(name)
		if err != nil {
			return nil, err
		}
		e.Methods = append(e.Methods, m)
	}
	for _, name := range splitList(o.data) {
		d, err := dataSet(name)
		if err != nil {
			return nil, err
		}
		e.Data = append(e.Data, d)
	}
	if len(e.Methods) == 0 || len(e.Data) == 0 {
		return nil, fmt.Errorf("need at least one method and one data set")
	}
	if o.seeds < 1 || o.jobs < 1 || o.iters < 1 || o.width < 1 || o.depth < 1 || o.batch < 1 || o.ndisc < 1 {
		return nil, fmt.Errorf("seeds, jobs, iters, width, depth, batch and ndisc must be positive")
	}
	for i := range o.seeds {
		e.Seeds = append(e.Seeds, o.firstSeed+uint64(i))
	}
	var err error
	if e.CurveGammas, err = parseFloats(o.curveGammas); err != nil {
		return nil, fmt.Errorf("-curve-gammas: %w", err)
	}
	if o.snapshots == "" {
		e.Snapshots = spread(o.iters)
	} else {
		ints, err := parseFloats(o.snapshots)
		if err != nil {
			return nil, fmt.Errorf("-snapshots: %w", err)
		}
		for _, v := range ints {
			if v != float64(int(v)) || v < 0 || int(v) > o.iters {
				return nil, fmt.Errorf("-snapshots: %v is not an iteration in [0, %d]", v, o.iters)
			}
			e.Snapshots = append(e.Snapshots, int(v))
		}
	}
	widths := make([]int, o.depth)
	for i := range widths {
		widths[i] = o.width
	}
	dt := tensor.Float32
	if o.f64 {
		dt = tensor.Float64
	}
	e.Base = gan.Config{
		Widths: widths, BatchSize: o.batch, DiscSteps: o.ndisc, Iterations: o.iters,
		Adam: gan.AdamConfig{LR: o.lr}, DecayFrom: o.decay, Dtype: dt, ReuseDiscarded: o.reuse,
	}
	// Let gan check every setting, γ included, before anything trains.
	for _, g := range append([]float64{e.Gamma}, e.CurveGammas...) {
		c := e.Base
		c.Method, c.Data, c.Gamma = gan.BGAN, e.Data[0], g
		if err := checkConfig(c); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// checkConfig builds a trainer of one iteration's worth of the smallest
// networks with c's settings, to surface gan's own validation.
func checkConfig(c gan.Config) error {
	c.Widths = []int{1}
	tr, err := gan.New(c)
	if err != nil {
		return err
	}
	tr.Close()
	return nil
}

func dataSet(name string) (gan.Mixture, error) {
	switch name {
	case "ring":
		return gan.MixupRing(), nil
	case "grid":
		return gan.MixupGrid(), nil
	case "pgrid":
		return gan.PacGANGrid(), nil
	}
	return gan.Mixture{}, fmt.Errorf("unknown data set %q (want ring, grid or pgrid)", name)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range splitList(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// spread returns five snapshot iterations up to n, spaced by factors of
// about ten as in the paper's Fig. 3 (10, 100, 1000, 10000, 20000).
func spread(n int) []int {
	out := []int{n}
	for v := n / 2; len(out) < 5 && v >= 1; v /= 10 {
		out = append([]int{v}, out...)
	}
	return out
}
