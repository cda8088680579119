package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/symnet/symnet/gan"
)

// evalSamples is the number of generator samples scored at the end of a
// run, as in PacGAN's protocol; plotSamples the number drawn at each
// snapshot for the figures.
const (
	evalSamples = 2500
	plotSamples = 1000
)

// job is one training run.
type job struct {
	Method gan.Method
	Data   gan.Mixture
	Seed   uint64
	Gamma  float64
	// Table: the run enters the results table. Snapshots: samples are
	// kept at the snapshot iterations for the figure. Curve: the losses
	// are kept for the loss figure.
	Table, Snapshots, Curve bool
}

// runResult is what one run measured.
type runResult struct {
	Method      string     `json:"method"`
	Data        string     `json:"data"`
	Seed        uint64     `json:"seed"`
	Gamma       float64    `json:"gamma"`
	Table       bool       `json:"in_table"`
	Modes       int        `json:"modes"`
	K           int        `json:"k"`
	HighQuality float64    `json:"high_quality"`
	ReverseKL   float64    `json:"reverse_kl"`
	Seconds     float64    `json:"seconds"`
	Snapshots   []snapshot `json:"snapshots,omitempty"`
	// DLoss and GLoss hold every iteration's losses of a curve run.
	DLoss []float64 `json:"-"`
	GLoss []float64 `json:"-"`
}

// snapshot is the generator at one iteration: its samples and metrics.
type snapshot struct {
	Iteration   int       `json:"iteration"`
	Modes       int       `json:"modes"`
	HighQuality float64   `json:"high_quality"`
	ReverseKL   float64   `json:"reverse_kl"`
	Points      []float64 `json:"-"`
}

// results holds every run in the order of jobs.
type results struct {
	Runs []runResult
}

// jobs lists the runs: every method on every data set for every seed, the
// first seed keeping snapshots, and BGAN on the first data set with each
// curve γ for the loss figure (reusing the table's BGAN run when its γ is
// one of them).
func (e *experiment) jobs() []job {
	var js []job
	for _, d := range e.Data {
		for _, m := range e.Methods {
			for i, s := range e.Seeds {
				js = append(js, job{Method: m, Data: d, Seed: s, Gamma: e.Gamma, Table: true, Snapshots: i == 0})
			}
		}
	}
	for _, g := range e.CurveGammas {
		found := false
		for i := range js {
			j := &js[i]
			if j.Method == gan.BGAN && j.Data.Name == e.Data[0].Name && j.Seed == e.Seeds[0] && j.Gamma == g {
				j.Curve, found = true, true
			}
		}
		if !found {
			js = append(js, job{Method: gan.BGAN, Data: e.Data[0], Seed: e.Seeds[0], Gamma: g, Curve: true})
		}
	}
	return js
}

// cost is a job's work in network passes per iteration: DiscSteps
// discriminator steps and one generator step, the standard GAN's
// discriminator seeing real and fake batches separately (twice the rows).
func (e *experiment) cost(j job) float64 {
	d := float64(e.Base.DiscSteps)
	if j.Method == gan.Standard {
		d *= 1.5
	}
	return float64(e.Base.Iterations) * (d + 1)
}

func (e *experiment) work() float64 {
	w := 0.0
	for _, j := range e.jobs() {
		w += e.cost(j)
	}
	return w
}

func (e *experiment) describe() string {
	names := func(ms []gan.Method) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.String())
		}
		return strings.Join(s, ",")
	}
	var data []string
	for _, d := range e.Data {
		data = append(data, d.Name)
	}
	c := e.Base
	return fmt.Sprintf("%d runs (%s on %s, %d seed(s), γ %v; loss curves for γ %v), %s, %v, %d at once",
		len(e.jobs()), names(e.Methods), strings.Join(data, ","), len(e.Seeds), e.Gamma, e.CurveGammas,
		e.training(), c.Dtype, e.Jobs)
}

// training describes the networks and the optimisation.
func (e *experiment) training() string {
	c := e.Base
	lr := fmt.Sprintf("Adam lr %g", c.Adam.LR)
	if c.DecayFrom > 0 {
		lr += fmt.Sprintf(" falling linearly to 0 after %g of the run", c.DecayFrom)
	}
	return fmt.Sprintf("widths %v, batch %d, %d D steps per G step, %s, %d iterations", c.Widths, c.BatchSize, c.DiscSteps, lr, c.Iterations)
}

// execute trains every job, e.Jobs at a time. Each run depends only on
// its own seed, so the results do not depend on the scheduling.
func (e *experiment) execute(ctx context.Context, prog *progress) (*results, error) {
	js := e.jobs()
	// Longest first, so that the last runs do not leave a core idle.
	order := make([]int, len(js))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := e.cost(js[a]), e.cost(js[b])
		switch {
		case ca > cb:
			return -1
		case ca < cb:
			return 1
		}
		return 0
	})
	res := &results{Runs: make([]runResult, len(js))}
	errs := make([]error, len(js))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(e.Jobs, len(js)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res.Runs[i], errs[i] = e.train(ctx, js[i], prog)
			}
		}()
	}
	prog.start()
feed:
	for _, i := range order {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	prog.stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, err := range errs {
		if err != nil {
			j := js[i]
			return nil, fmt.Errorf("%v on %s, seed %d: %w", j.Method, j.Data.Name, j.Seed, err)
		}
	}
	return res, nil
}

// train runs one job.
func (e *experiment) train(ctx context.Context, j job, prog *progress) (runResult, error) {
	cfg := e.Base
	cfg.Method, cfg.Data, cfg.Seed, cfg.Gamma = j.Method, j.Data, j.Seed, j.Gamma
	r := runResult{Method: j.Method.String(), Data: j.Data.Name, Seed: j.Seed, Gamma: j.Gamma, Table: j.Table, K: j.Data.K()}
	start := time.Now()
	tr, err := gan.New(cfg)
	if err != nil {
		return r, err
	}
	defer tr.Close()
	// Samples for figures and metrics come from their own source, so
	// that looking at the generator never changes its training.
	look := rand.New(rand.NewPCG(j.Seed, 0x746f793264))
	snap := func(it int) error {
		pts, err := tr.Sample(look, plotSamples)
		if err != nil {
			return err
		}
		c, err := gan.Measure(j.Data, pts)
		if err != nil {
			return err
		}
		r.Snapshots = append(r.Snapshots, snapshot{Iteration: it, Modes: c.Modes, HighQuality: c.HighQuality, ReverseKL: c.ReverseKL, Points: pts})
		return nil
	}
	if j.Snapshots && slices.Contains(e.Snapshots, 0) {
		if err := snap(0); err != nil {
			return r, err
		}
	}
	if j.Curve {
		r.DLoss = make([]float64, 0, cfg.Iterations)
		r.GLoss = make([]float64, 0, cfg.Iterations)
	}
	perIter := e.cost(j) / float64(cfg.Iterations)
	err = tr.Train(func(_ *gan.Trainer, p gan.Progress) error {
		prog.add(perIter)
		if j.Curve {
			r.DLoss = append(r.DLoss, p.DLoss)
			r.GLoss = append(r.GLoss, p.GLoss)
		}
		if j.Snapshots && slices.Contains(e.Snapshots, p.Iteration) {
			if err := snap(p.Iteration); err != nil {
				return err
			}
		}
		if p.Iteration%64 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	pts, err := tr.Sample(rand.New(rand.NewPCG(j.Seed, evalSamples)), evalSamples)
	if err != nil {
		return r, err
	}
	c, err := gan.Measure(j.Data, pts)
	if err != nil {
		return r, err
	}
	r.Modes, r.HighQuality, r.ReverseKL = c.Modes, c.HighQuality, c.ReverseKL
	r.Seconds = time.Since(start).Seconds()
	prog.finish()
	return r, nil
}
