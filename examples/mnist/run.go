package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/symnet/symnet/gan"
	"github.com/symnet/symnet/internal/mnist"
	"github.com/symnet/symnet/internal/setlearn"
)

// Streams of the run's random sources, all from -seed: the classifier's,
// the reference stacks', the fixed latent codes of the sample grids and
// the evaluation samples'. Each GAN trainer draws from its own source
// seeded by -seed.
const (
	streamClassifier = 1 + iota
	streamReal
	streamGrid
	streamEval
)

// gridSide is the number of samples per row and column of a grid.
const gridSide = 10

// run parses args, trains the classifier and every method, and writes the
// table to stdout, progress to stderr and the pictures to the output
// folder.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	p, err := o.plan()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	train, test, err := mnist.Load(o.data)
	if err != nil {
		return err
	}
	if o.digits > 0 {
		if train, err = train.Head(o.digits); err != nil {
			return err
		}
	}
	if o.side != mnist.Side {
		if train, err = mnist.Resize(train, o.side, o.side); err != nil {
			return err
		}
		if test, err = mnist.Resize(test, o.side, o.side); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "mnist: training the evaluation classifier on %d digits of %d×%d (%d epochs)\n", train.Len(), o.side, o.side, o.clsEpochs)
	cls, err := mnist.TrainClassifier(train, mnist.ClassifierConfig{Epochs: o.clsEpochs, Seed: o.seed + streamClassifier, Log: stderr})
	if err != nil {
		return err
	}
	defer cls.Close()
	acc, err := cls.Accuracy(test)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "mnist: classifier test accuracy %.2f%% (%v)\n", 100*acc, setlearn.Round(time.Since(start)))

	e := &experiment{o: o, p: p, cls: cls}
	if e.src, err = mnist.NewSampler(train, o.stack); err != nil {
		return err
	}
	ref, err := e.reference(test)
	if err != nil {
		return err
	}
	rows, hists, err := e.trainAll(ctx, stderr)
	if err != nil {
		return err
	}
	rows = append([]row{ref.row}, rows...)
	hists = append([]histogram{ref.hist}, hists...)
	if err := saveHistograms(filepath.Join(o.out, "histograms.png"), hists); err != nil {
		return err
	}
	title := fmt.Sprintf("%s at %d×%d: %d modes, %d samples per row, seed %d", e.dataName(), o.side, o.side, e.src.Classes(), o.samples, o.seed)
	if err := printTable(stdout, title, acc, rows); err != nil {
		return err
	}
	return writeJSON(filepath.Join(o.out, "results.json"), map[string]any{
		"data": e.dataName(), "side": o.side, "seed": o.seed, "iterations": o.iters, "batch": o.batch,
		"ndisc": o.ndisc, "gamma": o.gamma, "reuse": o.reuse, "training_digits": train.Len(), "lr": o.lr, "beta1": o.beta1, "latent": o.latent,
		"width": o.width, "gen_maps": o.genMaps, "channels": p.channels,
		"classifier_accuracy": acc, "rows": rows,
	})
}

// experiment is the state shared by the runs of the methods.
type experiment struct {
	o   options
	p   plan
	src *mnist.Sampler

	clsMu sync.Mutex // the classifier's labelling machine is not safe for concurrent use
	cls   *mnist.Classifier
}

func (e *experiment) dataName() string {
	if e.o.stack == 1 {
		return "MNIST"
	}
	if e.o.stack == 3 {
		return "stacked MNIST"
	}
	return fmt.Sprintf("MNIST stacked %d deep", e.o.stack)
}

// scored is a row of the table with its histogram.
type scored struct {
	row  row
	hist histogram
}

// reference labels -samples real stacks of test digits: the scores of a
// perfect generator seen through the classifier. It also writes real.png.
func (e *experiment) reference(test *mnist.Set) (scored, error) {
	src, err := mnist.NewSampler(test, e.o.stack)
	if err != nil {
		return scored{}, err
	}
	imgs := make([]float64, e.o.samples*src.Size())
	if err := src.SampleTo(rand.New(rand.NewPCG(e.o.seed, streamReal)), imgs); err != nil {
		return scored{}, err
	}
	c, h, w := src.Shape()
	if err := writeGrid(filepath.Join(e.o.out, "real.png"), imgs[:gridSide*gridSide*src.Size()], c, h, w, gridSide, 2); err != nil {
		return scored{}, err
	}
	return e.score("real images", imgs)
}

// score labels images with the classifier and scores the histogram.
func (e *experiment) score(name string, imgs []float64) (scored, error) {
	e.clsMu.Lock()
	labels, err := e.cls.Label(imgs, e.o.stack)
	e.clsMu.Unlock()
	if err != nil {
		return scored{}, err
	}
	cov, err := mnist.Cover(labels, e.src.Classes())
	if err != nil {
		return scored{}, err
	}
	return scored{
		row:  row{Name: name, Samples: cov.Samples, Classes: cov.Classes, Modes: cov.Modes, KL: cov.KL},
		hist: histogram{Name: name, Counts: cov.Counts},
	}, nil
}

// trainAll trains every method, -jobs at a time, and returns their rows
// in the order of -methods.
func (e *experiment) trainAll(ctx context.Context, stderr io.Writer) ([]row, []histogram, error) {
	n := len(e.p.methods)
	prog := &sharedProgress{p: setlearn.NewProgress(stderr, "mnist", n*e.o.iters)}
	prog.p.Every = 10 * time.Second
	out := make([]scored, n)
	errs := make([]error, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	jobsAtOnce := e.o.jobs
	if jobsAtOnce == 0 {
		jobsAtOnce = n
	}
	for range min(jobsAtOnce, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				out[i], errs[i] = e.trainOne(ctx, e.p.methods[i], prog, stderr)
				if errs[i] != nil {
					cancel()
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	rows, hists := make([]row, n), make([]histogram, n)
	for i, s := range out {
		rows[i], hists[i] = s.row, s.hist
	}
	return rows, hists, nil
}

// sharedProgress serialises the progress line of concurrent runs.
type sharedProgress struct {
	mu   sync.Mutex
	p    *setlearn.Progress
	done int
}

func (s *sharedProgress) step(extra string) {
	s.mu.Lock()
	s.done++
	s.p.Update(s.done, extra)
	s.mu.Unlock()
}

// config returns the GAN configuration of method m.
func (e *experiment) config(m gan.Method) gan.Config {
	o := e.o
	return gan.Config{
		Method: m, Images: e.src, LatentDim: o.latent, Widths: []int{o.width},
		Channels: e.p.channels, GenMaps: o.genMaps,
		BatchSize: o.batch, DiscSteps: o.ndisc, Iterations: o.iters,
		Adam:  gan.AdamConfig{LR: o.lr, Beta1: o.beta1, Beta2: 0.999},
		Gamma: o.gamma, ReuseDiscarded: o.reuse, Seed: o.seed,
	}
}

// trainOne trains method m, writing the sample grids at the snapshots,
// and scores -samples of its images.
func (e *experiment) trainOne(ctx context.Context, m gan.Method, prog *sharedProgress, stderr io.Writer) (scored, error) {
	t, err := gan.New(e.config(m))
	if err != nil {
		return scored{}, err
	}
	defer t.Close()
	snap := map[int]bool{}
	for _, s := range e.p.snapshots {
		snap[s] = true
	}
	if snap[0] {
		if err := e.grid(t, m, 0); err != nil {
			return scored{}, err
		}
	}
	begin := time.Now()
	err = t.Train(func(t *gan.Trainer, p gan.Progress) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		prog.step(fmt.Sprintf("[%v: D %.3f G %.3f]", m, p.DLoss, p.GLoss))
		if snap[p.Iteration] {
			return e.grid(t, m, p.Iteration)
		}
		return nil
	})
	if err != nil {
		return scored{}, fmt.Errorf("%v: %w", m, err)
	}
	secs := time.Since(begin).Seconds()
	imgs, err := t.Sample(rand.New(rand.NewPCG(e.o.seed, streamEval)), e.o.samples)
	if err != nil {
		return scored{}, err
	}
	s, err := e.score(m.String(), imgs)
	if err != nil {
		return scored{}, err
	}
	s.row.Iterations, s.row.Seconds = t.Iteration(), secs
	fmt.Fprintf(stderr, "mnist: %v done: %d/%d modes, KL %.3f\n", m, s.row.Modes, s.row.Classes, s.row.KL)
	return s, nil
}

// grid writes the samples of the fixed latent codes at iteration it.
func (e *experiment) grid(t *gan.Trainer, m gan.Method, it int) error {
	imgs, err := t.Sample(rand.New(rand.NewPCG(e.o.seed, streamGrid)), gridSide*gridSide)
	if err != nil {
		return err
	}
	c, h, w := e.src.Shape()
	return writeGrid(filepath.Join(e.o.out, fmt.Sprintf("samples-%v-%d.png", m, it)), imgs, c, h, w, gridSide, 2)
}

// writeJSON writes v, indented, to path.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
