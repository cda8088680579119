package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/symnet/symnet/gan"
	"github.com/symnet/symnet/internal/mnist"
	"github.com/symnet/symnet/internal/setlearn"
)

// The default run: stacked MNIST at 14×14, the three methods trained at
// once for defaultIters generator steps each. Measured on a 2-core 2.0 GHz
// EPYC: 2,530 CPU-seconds in all (about 0.25 per generator step, the three
// methods' mean, and 115 s for the classifier), 24 minutes of wall time.
const (
	defaultIters   = 3000
	defaultSide    = 14
	defaultStack   = 3
	defaultSamples = 26000 // the stacked-MNIST literature's count
)

// options holds the command line.
type options struct {
	out       string
	data      string
	methods   string
	seed      uint64
	stack     int
	side      int
	iters     int
	batch     int
	ndisc     int
	gamma     float64
	lr        float64
	beta1     float64
	latent    int
	width     int
	genMaps   int
	channels  string
	samples   int
	snapshots string
	clsEpochs int
	digits    int
	reuse     bool
	jobs      int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.out, "out", "out/mnist", "output `folder` for the sample grids, histograms and results.json")
	fs.StringVar(&o.data, "data", "", "`folder` of the MNIST files; empty: the GoMNIST module's data folder")
	fs.StringVar(&o.methods, "methods", "gan,bgan,mbgan", "comma-separated `methods`: gan (standard, non-saturating), mixup, bgan, mbgan")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of every random draw: weights, data, latent codes, mixing")
	fs.IntVar(&o.stack, "stack", defaultStack, "digits stacked as channels: 3 is stacked MNIST (1,000 modes), 1 plain MNIST (10)")
	fs.IntVar(&o.side, "side", defaultSide, "image `side` in pixels: 28 is MNIST's own, smaller sizes are area-averaged")
	fs.IntVar(&o.iters, "iters", defaultIters, "generator steps per method")
	fs.IntVar(&o.batch, "batch", 64, "batch `size` B (the set size of the batch discriminators)")
	fs.IntVar(&o.ndisc, "ndisc", 1, "discriminator steps per generator step")
	fs.Float64Var(&o.gamma, "gamma", 0.5, "batch smoothing γ ∈ [0, 0.5] of BGAN and M-BGAN (0: pure batches, 0.5: uniform ratio)")
	fs.Float64Var(&o.lr, "lr", 2e-4, "Adam learning rate of both networks")
	fs.Float64Var(&o.beta1, "beta1", 0.5, "Adam β1 of both networks (β2 is 0.999)")
	fs.IntVar(&o.latent, "latent", 32, "latent `dimension` of the generator")
	fs.IntVar(&o.width, "width", 256, "hidden `units` of the generator's dense layer")
	fs.IntVar(&o.genMaps, "gen-maps", 16, "feature `maps` the generator draws at full size before its last convolution")
	fs.StringVar(&o.channels, "channels", "32,64", "comma-separated `channels` of the discriminator's 3×3 convolutions")
	fs.IntVar(&o.samples, "samples", defaultSamples, "generated images labelled per method for the table")
	fs.StringVar(&o.snapshots, "snapshots", "", "comma-separated iterations at which sample grids are written; empty: 0 and quarters of -iters")
	fs.IntVar(&o.clsEpochs, "cls-epochs", 5, "epochs of the evaluation classifier")
	fs.IntVar(&o.digits, "digits", 0, "use only the first `n` training digits, for the GANs and the classifier; 0: all 60,000")
	fs.BoolVar(&o.reuse, "reuse", false, "BGAN and M-BGAN also score the complementary mixed batch (the paper's reuse of discarded samples, Sec. 3.1)")
	fs.IntVar(&o.jobs, "jobs", 0, "methods trained at once; 0: all")
	if err := setlearn.Parse(fs, args); err != nil {
		return o, err
	}
	var c setlearn.Checks
	c.Range("stack", float64(o.stack), 1, mnist.MaxStack)
	c.Range("side", float64(o.side), 4, mnist.Side)
	for _, f := range []struct {
		name string
		v    int
	}{{"iters", o.iters}, {"batch", o.batch}, {"ndisc", o.ndisc}, {"latent", o.latent}, {"width", o.width},
		{"gen-maps", o.genMaps}, {"samples", o.samples}, {"cls-epochs", o.clsEpochs}} {
		c.Positive(f.name, f.v)
	}
	c.Range("digits", float64(o.digits), 0, 60000)
	c.Range("jobs", float64(o.jobs), 0, 64)
	c.Range("gamma", o.gamma, 0, 0.5)
	c.PositiveFloat("lr", o.lr)
	c.Range("beta1", o.beta1, 0, 0.999)
	if err := c.Err(); err != nil {
		return o, err
	}
	return o, nil
}

// plan is the checked plan of a run.
type plan struct {
	methods   []gan.Method
	channels  []int
	snapshots []int
}

func (o options) plan() (plan, error) {
	var p plan
	for _, s := range strings.Split(o.methods, ",") {
		m, err := gan.ParseMethod(strings.TrimSpace(s))
		if err != nil {
			return p, fmt.Errorf("%w: -methods: %v", setlearn.ErrUsage, err)
		}
		p.methods = append(p.methods, m)
	}
	var err error
	if p.channels, err = ints("channels", o.channels, 1); err != nil {
		return p, err
	}
	if o.snapshots == "" {
		p.snapshots = []int{0, o.iters / 4, o.iters / 2, 3 * o.iters / 4, o.iters}
	} else if p.snapshots, err = ints("snapshots", o.snapshots, 0); err != nil {
		return p, err
	}
	for _, s := range p.snapshots {
		if s > o.iters {
			return p, fmt.Errorf("%w: -snapshots: iteration %d after the last, %d", setlearn.ErrUsage, s, o.iters)
		}
	}
	return p, nil
}

// ints parses a comma-separated list of integers of at least lo.
func ints(flagName, s string, lo int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < lo {
			return nil, fmt.Errorf("%w: -%s: %q is not an integer ≥ %d", setlearn.ErrUsage, flagName, f, lo)
		}
		out = append(out, v)
	}
	return out, nil
}
