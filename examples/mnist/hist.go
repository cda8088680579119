package main

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/symnet/symnet/internal/setlearn"
)

// histogram is one panel of the label-histogram figure.
type histogram struct {
	Name   string
	Counts []int
}

// saveHistograms draws the label histogram of each entry in its own
// panel, one above the other, with the level every class would have under
// the uniform distribution, and writes the figure as a PNG at path.
func saveHistograms(path string, hs []histogram) error {
	if len(hs) == 0 {
		return fmt.Errorf("mnist: no histogram to draw")
	}
	rows := make([][]*plot.Plot, len(hs))
	for i, h := range hs {
		k, n := len(h.Counts), 0
		x, y := make([]float64, k), make([]float64, k)
		for j, c := range h.Counts {
			x[j], y[j] = float64(j), float64(c)
			n += c
		}
		if k == 0 || n == 0 {
			return fmt.Errorf("mnist: empty histogram for %s", h.Name)
		}
		level := float64(n) / float64(k)
		p, err := setlearn.CurvePlot{
			Title:  fmt.Sprintf("%s: labels of %d samples", h.Name, n),
			XLabel: "label", YLabel: "samples",
			Series: []setlearn.Series{
				{Name: "count", X: x, Y: y},
				{Name: "uniform", X: []float64{0, float64(k - 1)}, Y: []float64{level, level}},
			},
		}.Plot()
		if err != nil {
			return err
		}
		rows[i] = []*plot.Plot{p}
	}
	return setlearn.SaveGrid(rows, path, 8, 2.5*float64(len(hs)))
}
