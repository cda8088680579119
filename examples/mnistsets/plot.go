package main

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/symnet/symnet/internal/setlearn"
)

// plotCurves draws the training loss against the step above the accuracy
// on the monitored test digits after each epoch.
func plotCurves(path string, o options, h history) error {
	loss, err := setlearn.CurvePlot{
		Title:  "MNIST point clouds: training cross-entropy",
		XLabel: "training step", YLabel: "mean loss over a window", LogY: true,
		Series: []setlearn.Series{{Name: "training loss", X: h.steps, Y: h.loss}},
	}.Plot()
	if err != nil {
		return err
	}
	row := []*plot.Plot{loss}
	if len(h.epochs) > 0 {
		acc, err := setlearn.CurvePlot{
			Title:  fmt.Sprintf("accuracy on the first %d test digits", o.cfg.monitor),
			XLabel: "epoch", YLabel: "accuracy",
			Series: []setlearn.Series{{Name: "test accuracy", X: h.epochs, Y: h.testAcc}},
		}.Plot()
		if err != nil {
			return err
		}
		row = append(row, acc)
	}
	grid := make([][]*plot.Plot, len(row))
	for i, p := range row {
		grid[i] = []*plot.Plot{p}
	}
	return setlearn.SaveGrid(grid, path, 7, 3.5*float64(len(row)))
}

// plotClouds draws the first n test clouds, four to a row, each titled with
// its predicted and true label.
func plotClouds(path string, test []cloud, pred []int, n int) error {
	n = min(n, len(test), len(pred))
	if n == 0 {
		return fmt.Errorf("%w: no test clouds", setlearn.ErrNoData)
	}
	const cols = 4
	rows := (n + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for j := range grid {
		grid[j] = make([]*plot.Plot, cols)
	}
	for i := range n {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("predicted %d (label %d)", pred[i], test[i].label)
		if pred[i] != test[i].label {
			p.Title.TextStyle.Color = setlearn.Colour(1)
		}
		pts := make(plotter.XYs, test[i].size())
		for k := range pts {
			pts[k] = plotter.XY{X: float64(test[i].pts[2*k]), Y: float64(test[i].pts[2*k+1])}
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return fmt.Errorf("mnistsets: cloud %d: %w", i, err)
		}
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Radius = vg.Points(1.5)
		s.GlyphStyle.Color = setlearn.Colour(0)
		p.Add(s)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -1.05, 1.05, -1.05, 1.05
		p.HideAxes()
		grid[i/cols][i%cols] = p
	}
	return setlearn.SaveGrid(grid, path, 2*cols, 2*float64(rows))
}
