package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/symnet/symnet/internal/setlearn"
)

func main() {
	os.Exit(setlearn.Exit("digitsum", run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// options are the parsed command line.
type options struct {
	cfg    config
	seed   uint64
	models []model
	out    string
}

// maxLength bounds -size and -maxtest, which set the padded length of the
// training and test batches.
const maxLength = 1000

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("digitsum", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o        options
		names    string
		maxTest  int
		allNames []string
	)
	for _, m := range models {
		allNames = append(allNames, m.name)
	}
	fs.Uint64Var(&o.seed, "seed", 1, "random seed for data, weights and shuffling")
	fs.IntVar(&o.cfg.train, "train", 100000, "training sets (the size of the training set)")
	fs.IntVar(&o.cfg.maxLen, "size", 10, "largest training set size; training lengths are uniform on 1..size")
	fs.IntVar(&o.cfg.epochs, "epochs", 10, "passes over the training set")
	fs.IntVar(&o.cfg.batch, "batch", 128, "sets per batch")
	fs.IntVar(&o.cfg.width, "width", 32, "units per layer")
	fs.Float64Var(&o.cfg.lr, "lr", 1e-3, "peak Adam learning rate (cosine decay to 0)")
	fs.IntVar(&o.cfg.test, "test", 10000, "test sets per test length")
	fs.IntVar(&maxTest, "maxtest", 100, "longest test length; lengths 5, 10, …, maxtest")
	fs.StringVar(&names, "models", strings.Join(allNames, ","), "comma-separated models: "+strings.Join(allNames, ", "))
	fs.StringVar(&o.out, "out", filepath.Join("out", "digitsum"), "output folder for the PNGs")
	if err := setlearn.Parse(fs, args); err != nil {
		return o, err
	}
	var c setlearn.Checks
	c.Positive("train", o.cfg.train)
	c.Positive("size", o.cfg.maxLen)
	c.Require(o.cfg.maxLen <= maxLength, "-size must be at most %d, got %d", maxLength, o.cfg.maxLen)
	c.Positive("epochs", o.cfg.epochs)
	c.Positive("batch", o.cfg.batch)
	c.Require(o.cfg.batch <= o.cfg.train, "-batch %d exceeds -train %d", o.cfg.batch, o.cfg.train)
	c.Positive("width", o.cfg.width)
	c.PositiveFloat("lr", o.cfg.lr)
	c.Positive("test", o.cfg.test)
	c.Require(maxTest >= 5 && maxTest <= maxLength, "-maxtest must be in [5, %d], got %d", maxLength, maxTest)
	c.Require(o.out != "", "-out must name a folder")
	for _, n := range strings.Split(names, ",") {
		m, ok := modelByName(strings.TrimSpace(n))
		c.Require(ok, "unknown model %q in -models (want some of %s)", n, strings.Join(allNames, ", "))
		if ok && !slices.ContainsFunc(o.models, func(x model) bool { return x.name == m.name }) {
			o.models = append(o.models, m)
		}
	}
	for l := 5; l <= maxTest; l += 5 {
		o.cfg.lengths = append(o.cfg.lengths, l)
	}
	o.cfg.curveLen = max(1, o.cfg.epochs*(o.cfg.train/max(1, o.cfg.batch))/50)
	return o, c.Err()
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	results, err := runAll(o, stderr)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	base := baseline(o.cfg, o.seed)

	fmt.Fprintf(stdout, "Digit sum (Zaheer et al. 2017, Sec. 4.1.1): train on %d sets of 1..%d digits, %d epochs, batch %d, width %d, L1 loss, Adam lr %g with cosine decay; seed %d.\n",
		o.cfg.train, o.cfg.maxLen, o.cfg.epochs, o.cfg.batch, o.cfg.width, o.cfg.lr, o.seed)
	fmt.Fprintf(stdout, "Accuracy (rounded prediction = sum) on %d test sets per length. Run time %v.\n\n", o.cfg.test, setlearn.Round(elapsed))
	head := "| test length |"
	rule := "| --- |"
	for _, m := range o.models {
		head += " " + m.label + " |"
		rule += " --- |"
	}
	fmt.Fprintln(stdout, head+" baseline round(5·n) | published DeepSets (Zaheer et al. 2017, Fig. 2; their protocol) |")
	fmt.Fprintln(stdout, rule+" --- | --- |")
	for j, l := range o.cfg.lengths {
		row := fmt.Sprintf("| %d |", l)
		for i := range o.models {
			row += fmt.Sprintf(" %.2f%% |", 100*results[i].acc[j])
		}
		fmt.Fprintf(stdout, "%s %.2f%% | ≈ 100%% |\n", row, 100*base[j])
	}
	for i, m := range o.models {
		fmt.Fprintf(stdout, "\n%s: lowest accuracy %.2f%% over lengths %d..%d.", m.name, 100*slices.Min(results[i].acc), o.cfg.lengths[0], o.cfg.lengths[len(o.cfg.lengths)-1])
	}
	fmt.Fprintln(stdout)

	curve := setlearn.CurvePlot{Title: "Digit sum: training L1 loss", XLabel: "training step", YLabel: "mean L1 loss over a window", LogY: true}
	accPlot := setlearn.CurvePlot{Title: fmt.Sprintf("Digit sum: test accuracy (trained on lengths 1..%d)", o.cfg.maxLen), XLabel: "test set length", YLabel: "accuracy"}
	lengths := make([]float64, len(o.cfg.lengths))
	for j, l := range o.cfg.lengths {
		lengths[j] = float64(l)
	}
	for i, m := range o.models {
		curve.Series = append(curve.Series, setlearn.Series{Name: m.name, X: results[i].steps, Y: results[i].curve})
		accPlot.Series = append(accPlot.Series, setlearn.Series{Name: m.name, X: lengths, Y: results[i].acc})
	}
	accPlot.Series = append(accPlot.Series, setlearn.Series{Name: "baseline round(5n)", X: lengths, Y: base})
	for _, p := range []struct {
		plot setlearn.CurvePlot
		name string
	}{{curve, "digitsum.png"}, {accPlot, "digitsum-accuracy.png"}} {
		path := filepath.Join(o.out, p.name)
		if err := p.plot.Save(path, 7, 4.5); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Plot: %s\n", path)
	}
	return nil
}

// runAll trains and tests every model, reporting progress to progw.
func runAll(o options, progw io.Writer) ([]result, error) {
	perModel := o.cfg.epochs * (o.cfg.train / o.cfg.batch)
	prog := setlearn.NewProgress(progw, "digitsum", len(o.models)*perModel)
	var results []result
	for i, m := range o.models {
		res, err := run1(m, o.cfg, o.seed, func(step, _ int, loss float64) {
			prog.Update(i*perModel+step, fmt.Sprintf("[%s, loss %.4f]", m.name, loss))
		})
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	return results, nil
}
