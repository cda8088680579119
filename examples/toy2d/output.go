package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// report is the content of results.json.
type report struct {
	Config struct {
		Methods     []string  `json:"methods"`
		Data        []string  `json:"data"`
		Seeds       []uint64  `json:"seeds"`
		Gamma       float64   `json:"gamma"`
		CurveGammas []float64 `json:"curve_gammas"`
		Widths      []int     `json:"widths"`
		BatchSize   int       `json:"batch_size"`
		DiscSteps   int       `json:"disc_steps"`
		LR          float64   `json:"lr"`
		DecayFrom   float64   `json:"decay_from"`
		Iterations  int       `json:"iterations"`
		Dtype       string    `json:"dtype"`
		Reuse       bool      `json:"reuse_discarded"`
		Samples     int       `json:"eval_samples"`
	} `json:"config"`
	Table []row       `json:"table"`
	Runs  []runResult `json:"runs"`
	// Curves holds the loss curves of the curve runs, averaged over 100
	// windows: iteration, discriminator loss, generator loss.
	Curves []curve `json:"curves,omitempty"`
}

type curve struct {
	Gamma     float64   `json:"gamma"`
	Data      string    `json:"data"`
	Iteration []float64 `json:"iteration"`
	DLoss     []float64 `json:"d_loss"`
	GLoss     []float64 `json:"g_loss"`
}

// writeOutputs writes the figures and results.json into dir and returns
// the paths written.
func writeOutputs(dir string, e *experiment, res *results, table []row) ([]string, error) {
	var files []string
	for _, d := range e.Data {
		var runs []runResult
		for _, m := range e.Methods {
			for _, r := range res.Runs {
				if r.Table && r.Method == m.String() && r.Data == d.Name && len(r.Snapshots) > 0 {
					runs = append(runs, r)
				}
			}
		}
		path := filepath.Join(dir, fmt.Sprintf("samples-%s.png", d.Name))
		if err := samplesFigure(path, d, runs); err != nil {
			return files, err
		}
		if len(runs) > 0 {
			files = append(files, path)
		}
	}

	var rep report
	var curveRuns []runResult
	byGamma := slices.Clone(res.Runs)
	slices.SortStableFunc(byGamma, func(a, b runResult) int { return cmp.Compare(a.Gamma, b.Gamma) })
	for _, r := range byGamma {
		if r.DLoss != nil {
			curveRuns = append(curveRuns, r)
			d, g := windowed(r.DLoss, 100), windowed(r.GLoss, 100)
			c := curve{Gamma: r.Gamma, Data: r.Data}
			for i := range d {
				c.Iteration = append(c.Iteration, d[i].X)
				c.DLoss = append(c.DLoss, d[i].Y)
				c.GLoss = append(c.GLoss, g[i].Y)
			}
			rep.Curves = append(rep.Curves, c)
		}
	}
	if len(curveRuns) > 0 {
		path := filepath.Join(dir, "losses.png")
		if err := lossFigure(path, curveRuns); err != nil {
			return files, err
		}
		files = append(files, path)
	}

	c := &rep.Config
	for _, m := range e.Methods {
		c.Methods = append(c.Methods, m.String())
	}
	for _, d := range e.Data {
		c.Data = append(c.Data, d.Name)
	}
	c.Seeds, c.Gamma, c.CurveGammas = e.Seeds, e.Gamma, e.CurveGammas
	c.Widths, c.BatchSize, c.DiscSteps = e.Base.Widths, e.Base.BatchSize, e.Base.DiscSteps
	c.LR, c.DecayFrom, c.Iterations, c.Dtype, c.Reuse = e.Base.Adam.LR, e.Base.DecayFrom, e.Base.Iterations, e.Base.Dtype.String(), e.Base.ReuseDiscarded
	c.Samples = evalSamples
	rep.Table, rep.Runs = table, res.Runs
	raw, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return files, err
	}
	path := filepath.Join(dir, "results.json")
	if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
		return files, err
	}
	return append(files, path), nil
}
