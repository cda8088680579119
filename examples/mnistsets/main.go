package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/symnet/symnet/internal/mnist"
	"github.com/symnet/symnet/internal/setlearn"
)

func main() {
	os.Exit(setlearn.Exit("mnistsets", run(os.Args[1:], os.Stdout, os.Stderr), os.Stderr))
}

// options are the parsed command line.
type options struct {
	cfg       config
	seed      uint64
	train     int // training digits used, the first ones of the file
	test      int // test digits scored, the first ones of the file
	threshold int
	data      string
	out       string
}

func parse(args []string, stderr io.Writer) (options, error) {
	fs := flag.NewFlagSet("mnistsets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		o      options
		widths string
	)
	fs.Uint64Var(&o.seed, "seed", 1, "random seed for weights, shuffling and subsampling")
	fs.IntVar(&o.cfg.points, "size", 100, "set size: training clouds are subsampled afresh each epoch to at most this many points")
	fs.IntVar(&o.train, "train", 60000, "training digits (the first ones of the MNIST training file)")
	fs.IntVar(&o.test, "test", 10000, "test digits (the first ones of the MNIST test file)")
	fs.IntVar(&o.cfg.epochs, "epochs", 20, "passes over the training digits")
	fs.IntVar(&o.cfg.batch, "batch", 64, "clouds per training batch")
	fs.StringVar(&widths, "widths", "64,64,128", "comma-separated widths of the equivariant layers")
	fs.IntVar(&o.cfg.head, "head", 128, "hidden units of the per-set head")
	fs.Float64Var(&o.cfg.lr, "lr", 1e-3, "peak Adam learning rate (cosine decay over the run)")
	fs.IntVar(&o.threshold, "threshold", 128, "a pixel above this grey level (0..254) becomes a point")
	fs.IntVar(&o.cfg.monitor, "monitor", 1000, "test digits scored after each epoch for the learning curve (0: none)")
	fs.StringVar(&o.data, "data", "", "folder of the MNIST .gz files; empty means the data folder of the Go module "+mnist.Module)
	fs.StringVar(&o.out, "out", filepath.Join("out", "mnistsets"), "output folder for the PNGs")
	if err := setlearn.Parse(fs, args); err != nil {
		return o, err
	}
	var c setlearn.Checks
	c.Positive("size", o.cfg.points)
	c.Positive("train", o.train)
	c.Require(o.train <= 60000, "-train must be at most 60000 (the MNIST training set), got %d", o.train)
	c.Positive("test", o.test)
	c.Require(o.test <= 10000, "-test must be at most 10000 (the MNIST test set), got %d", o.test)
	c.Positive("epochs", o.cfg.epochs)
	c.Positive("batch", o.cfg.batch)
	c.Require(o.cfg.batch <= o.train, "-batch %d exceeds -train %d", o.cfg.batch, o.train)
	c.Positive("head", o.cfg.head)
	c.PositiveFloat("lr", o.cfg.lr)
	c.Range("threshold", float64(o.threshold), 0, 254)
	c.Require(o.cfg.monitor >= 0, "-monitor must be non-negative, got %d", o.cfg.monitor)
	c.Require(o.out != "", "-out must name a folder")
	for _, w := range strings.Split(widths, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(w))
		c.Require(err == nil && v >= 1, "-widths must be positive integers, got %q", w)
		o.cfg.widths = append(o.cfg.widths, v)
	}
	o.cfg.monitor = min(o.cfg.monitor, o.test)
	o.cfg.curveLen = max(1, o.cfg.epochs*(o.train/max(1, o.cfg.batch))/50)
	return o, c.Err()
}

// report is what a run prints and draws.
type report struct {
	acc, halfAcc, majority float64
	majorityClass          int
	meanPoints, halfPoints float64
	maxPoints              int
	hist                   history
	pred                   []int
	elapsed                time.Duration
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	dir, err := mnist.Dir(o.data)
	if err != nil {
		return err
	}
	train, test, err := load(dir, o.threshold)
	if err != nil {
		return err
	}
	train, test = train[:o.train], test[:o.test]
	rep, err := experiment(o, train, test, stderr)
	if err != nil {
		return err
	}
	rep.elapsed = time.Since(start)
	printTable(stdout, o, rep)
	curve := filepath.Join(o.out, "mnistsets.png")
	if err := plotCurves(curve, o, rep.hist); err != nil {
		return err
	}
	clouds := filepath.Join(o.out, "mnistsets-clouds.png")
	if err := plotClouds(clouds, test, rep.pred, 12); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Plots: %s, %s\n", curve, clouds)
	return nil
}

// experiment trains the classifier on train and scores it on test, whole and
// halved. Progress goes to progw.
func experiment(o options, train, test []cloud, progw io.Writer) (report, error) {
	var rep report
	rep.majorityClass, rep.majority = majority(train, test)
	half := halve(rand.New(rand.NewPCG(o.seed, streamHalf)), test)
	for i := range test {
		rep.maxPoints = max(rep.maxPoints, test[i].size())
		rep.meanPoints += float64(test[i].size()) / float64(len(test))
		rep.halfPoints += float64(half[i].size()) / float64(len(test))
	}
	c, err := newClassifier(o.cfg, o.seed, rep.maxPoints)
	if err != nil {
		return rep, fmt.Errorf("mnistsets: building the network: %w", err)
	}
	defer c.close()
	total := o.cfg.epochs * (len(train) / o.cfg.batch)
	prog := setlearn.NewProgress(progw, "mnistsets", total)
	if rep.hist, err = c.train(train, test[:o.cfg.monitor], o.seed, func(step, _ int, loss float64) {
		prog.Update(step, fmt.Sprintf("[loss %.4f]", loss))
	}); err != nil {
		return rep, err
	}
	if rep.acc, rep.pred, err = c.accuracy(test); err != nil {
		return rep, err
	}
	if rep.halfAcc, _, err = c.accuracy(half); err != nil {
		return rep, err
	}
	return rep, nil
}

// majority returns the most frequent label of train and the fraction of
// test that carries it: the accuracy of the trivial classifier.
func majority(train, test []cloud) (class int, acc float64) {
	var count [classes]int
	for _, c := range train {
		count[c.label]++
	}
	for k := range count {
		if count[k] > count[class] {
			class = k
		}
	}
	right := 0
	for _, c := range test {
		if c.label == class {
			right++
		}
	}
	return class, float64(right) / float64(len(test))
}

func printTable(w io.Writer, o options, r report) {
	fmt.Fprintf(w, "MNIST as point clouds: pixels above %d as (x, y) points; %d training digits, %d epochs, batch %d, training clouds subsampled to at most %d points; equivariant widths %v (ρ = mean), max readout, head %d; Adam lr %g with cosine decay; seed %d.\n",
		o.threshold, o.train, o.cfg.epochs, o.cfg.batch, o.cfg.points, o.cfg.widths, o.cfg.head, o.cfg.lr, o.seed)
	fmt.Fprintf(w, "Test clouds are scored whole (no subsampling). Run time %v.\n\n", setlearn.Round(r.elapsed))
	fmt.Fprintln(w, "| test clouds | points per cloud (mean) | accuracy |")
	fmt.Fprintln(w, "| --- | --- | --- |")
	fmt.Fprintf(w, "| all %d test digits, every point | %.1f (max %d) | %.2f%% |\n", o.test, r.meanPoints, r.maxPoints, 100*r.acc)
	fmt.Fprintf(w, "| the same, each randomly subsampled to half its points | %.1f | %.2f%% |\n", r.halfPoints, 100*r.halfAcc)
	fmt.Fprintf(w, "| baseline: majority class of training (%d) | — | %.2f%% |\n", r.majorityClass, 100*r.majority)
}
