package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/symnet/symnet/internal/setlearn"
)

func main() {
	os.Exit(setlearn.Exit("maxregression", run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// options are the parsed command line.
type options struct {
	cfg    config
	seed   uint64
	seeds  int
	models []model
	out    string
}

// maxSize bounds -size: training keeps one graph per set length.
const maxSize = 100

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("maxregression", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o        options
		names    string
		allNames []string
	)
	for _, m := range models {
		allNames = append(allNames, m.name)
	}
	fs.Uint64Var(&o.seed, "seed", 1, "first seed; seeds seed, seed+1, … are run")
	fs.IntVar(&o.seeds, "seeds", 3, "number of seeds per model")
	fs.IntVar(&o.cfg.steps, "steps", 20000, "training steps, one fresh batch each")
	fs.IntVar(&o.cfg.batch, "batch", 128, "sets per training batch")
	fs.IntVar(&o.cfg.maxLen, "size", 10, "largest set size n; lengths are uniform on 1..size")
	fs.IntVar(&o.cfg.width, "width", 64, "units per hidden layer (64 in the published small DeepSets model)")
	fs.IntVar(&o.cfg.test, "test", 10000, "test sets")
	fs.IntVar(&o.cfg.curve, "curve", 40, "learning-curve points (test MAE on up to 2000 test sets)")
	fs.Float64Var(&o.cfg.lr, "lr", 1e-3, "Adam learning rate")
	fs.Float64Var(&o.cfg.decay, "decay", 0.5, "fraction of the final steps over which the learning rate decays to 0 by a cosine; 0 keeps it constant (the published protocol)")
	fs.Float64Var(&o.cfg.scale, "scale", 100, "inputs enter the networks divided by this and outputs leave multiplied by it; 1 feeds raw values, as the published code does")
	fs.StringVar(&names, "models", strings.Join(allNames, ","), "comma-separated models: "+strings.Join(allNames, ", "))
	fs.StringVar(&o.out, "out", filepath.Join("out", "maxregression"), "output folder for the PNG")
	if err := setlearn.Parse(fs, args); err != nil {
		return o, err
	}
	o.cfg.curveSets = 2000
	var c setlearn.Checks
	c.Positive("seeds", o.seeds)
	c.Positive("steps", o.cfg.steps)
	c.Positive("batch", o.cfg.batch)
	c.Positive("size", o.cfg.maxLen)
	// Training builds one graph per set length, so the length is bounded.
	c.Require(o.cfg.maxLen <= maxSize, "-size must be at most %d, got %d", maxSize, o.cfg.maxLen)
	c.Positive("width", o.cfg.width)
	c.Positive("test", o.cfg.test)
	c.Positive("curve", o.cfg.curve)
	c.PositiveFloat("lr", o.cfg.lr)
	c.Range("decay", o.cfg.decay, 0, 1)
	c.PositiveFloat("scale", o.cfg.scale)
	c.Require(o.out != "", "-out must name a folder")
	for _, n := range strings.Split(names, ",") {
		m, ok := modelByName(strings.TrimSpace(n))
		c.Require(ok, "unknown model %q in -models (want some of %s)", n, strings.Join(allNames, ", "))
		if ok && !slices.ContainsFunc(o.models, func(x model) bool { return x.name == m.name }) {
			o.models = append(o.models, m)
		}
	}
	return o, c.Err()
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	all, err := runAll(o, stderr)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)

	base := constantBaseline(o)
	fmt.Fprintf(stdout, "Max regression (Lee et al. 2019, Table 1 task): n ~ U{1..%d}, x ~ U[0,100], L1 loss, Adam lr %g (%s), batch %d, %d steps, width %d, inputs ÷ %g and outputs × %g.\n",
		o.cfg.maxLen, o.cfg.lr, schedule(o.cfg.decay), o.cfg.batch, o.cfg.steps, o.cfg.width, o.cfg.scale, o.cfg.scale)
	fmt.Fprintf(stdout, "Test MAE on %d fresh sets per seed, mean ± std over %d seed(s) from %d. Run time %v.\n\n", o.cfg.test, o.seeds, o.seed, setlearn.Round(elapsed))
	fmt.Fprintln(stdout, "| model | ours: test MAE | per seed | published MAE (Lee et al. 2019, Table 1; their protocol) |")
	fmt.Fprintln(stdout, "| --- | --- | --- | --- |")
	for i, m := range o.models {
		var maes []string
		var vals []float64
		for _, r := range all[i] {
			vals = append(vals, r.mae)
			maes = append(maes, fmt.Sprintf("%.4f", r.mae))
		}
		mean, std := setlearn.MeanStd(vals)
		pub := m.published
		if pub == "" {
			pub = "—"
		}
		fmt.Fprintf(stdout, "| %s | %.4f ± %.4f | %s | %s |\n", m.label, mean, std, strings.Join(maes, ", "), pub)
	}
	fmt.Fprintln(stdout, "| SAB + PMA (Set Transformer) | not run | — | 0.2085 |")
	fmt.Fprintf(stdout, "| constant prediction (median of training targets) | %.4f | — | — |\n", base)
	fmt.Fprintln(stdout, "\nPublished protocol: integers 1..99 fed unscaled, constant learning rate 1e-3. Ours: reals in [0,100], the scaling and schedule above; test sets of mixed lengths, padded and masked.")

	path := filepath.Join(o.out, "maxregression.png")
	if err := plotCurves(path, o, all); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Learning curves: %s\n", path)
	return nil
}

// runAll trains and tests every model with every seed, reporting progress
// to progw; all[i][k] is model i with seed o.seed+k.
func runAll(o options, progw io.Writer) ([][]result, error) {
	prog := setlearn.NewProgress(progw, "maxregression", len(o.models)*o.seeds*o.cfg.steps)
	all := make([][]result, len(o.models))
	done := 0
	for k := range o.seeds {
		seed := o.seed + uint64(k)
		for i, m := range o.models {
			res, err := run1(m, o.cfg, seed, func(step int, loss float64) {
				prog.Update(done+step, fmt.Sprintf("[%s seed %d, loss %.3f]", m.name, seed, loss))
			})
			if err != nil {
				return nil, err
			}
			done += o.cfg.steps
			all[i] = append(all[i], res)
		}
	}
	return all, nil
}

// constantBaseline returns the test MAE of the best constant predictor for
// the L1 loss, the median of the training targets (estimated from 10,000
// training-law sets of the first seed), on the first seed's test sets.
func constantBaseline(o options) float64 {
	b := newBatch(10000, o.cfg.maxLen)
	b.fill(rand.New(rand.NewPCG(o.seed, streamBaseline)))
	med := median(b.target)
	test := newBatch(o.cfg.test, o.cfg.maxLen)
	test.fill(rand.New(rand.NewPCG(o.seed, streamTest)))
	total := 0.0
	for _, y := range test.target {
		total += abs(y - med)
	}
	return total / float64(len(test.target))
}

// streamBaseline is the random stream of the sets that fix the constant
// baseline.
const streamBaseline = streamTest + 1

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// plotCurves draws each model's test MAE against the step, averaged over
// seeds, on a log scale.
func plotCurves(path string, o options, all [][]result) error {
	cp := setlearn.CurvePlot{
		Title:  fmt.Sprintf("Max regression: test MAE (mean over %d seed(s))", o.seeds),
		XLabel: "training step", YLabel: "test MAE", LogY: true,
	}
	for i, m := range o.models {
		if len(all[i]) == 0 || len(all[i][0].steps) == 0 {
			continue
		}
		s := setlearn.Series{Name: m.name, X: all[i][0].steps, Y: make([]float64, len(all[i][0].curve))}
		for _, r := range all[i] {
			for j, v := range r.curve {
				s.Y[j] += v / float64(len(all[i]))
			}
		}
		cp.Series = append(cp.Series, s)
	}
	return cp.Save(path, 7, 4.5)
}

func schedule(decay float64) string {
	if decay == 0 {
		return "constant"
	}
	return fmt.Sprintf("cosine decay to 0 over the last %.0f%% of steps", 100*decay)
}
