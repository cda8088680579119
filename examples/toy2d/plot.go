package main

import (
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/symnet/symnet/gan"
)

var (
	sampleColor = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	modeColor   = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	curveColors = []color.Color{
		color.RGBA{R: 31, G: 119, B: 180, A: 255},
		color.RGBA{R: 255, G: 127, B: 14, A: 255},
		color.RGBA{R: 44, G: 160, B: 44, A: 255},
		color.RGBA{R: 148, G: 103, B: 189, A: 255},
		color.RGBA{R: 140, G: 86, B: 75, A: 255},
	}
)

// samplesFigure draws the layout of the paper's Fig. 3 for one data set:
// a row per method, a column per snapshot iteration, generator samples
// (blue) over the modes (red rings).
func samplesFigure(path string, data gan.Mixture, runs []runResult) error {
	if len(runs) == 0 || len(runs[0].Snapshots) == 0 {
		return nil
	}
	cols := len(runs[0].Snapshots)
	lo, hi := extent(data)
	plots := make([][]*plot.Plot, len(runs))
	for i, r := range runs {
		plots[i] = make([]*plot.Plot, cols)
		for j, s := range r.Snapshots {
			p := plot.New()
			p.Title.Text = fmt.Sprintf("%s, it %d: %d/%d modes", methodNames[r.Method], s.Iteration, s.Modes, data.K())
			p.Title.TextStyle.Font.Size = vg.Points(8)
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = lo, hi, lo, hi
			p.X.Tick.Label.Font.Size = vg.Points(6)
			p.Y.Tick.Label.Font.Size = vg.Points(6)
			var pts plotter.XYs
			for k := 0; k+1 < len(s.Points); k += 2 {
				x, y := s.Points[k], s.Points[k+1]
				if x >= lo && x <= hi && y >= lo && y <= hi { // the canvas does not clip
					pts = append(pts, plotter.XY{X: x, Y: y})
				}
			}
			if len(pts) > 0 {
				sc, err := plotter.NewScatter(pts)
				if err != nil {
					return err
				}
				sc.GlyphStyle = draw.GlyphStyle{Color: sampleColor, Radius: vg.Points(0.6), Shape: draw.CircleGlyph{}}
				p.Add(sc)
			}
			modes := make(plotter.XYs, data.K())
			for k, mu := range data.Means {
				modes[k] = plotter.XY{X: mu[0], Y: mu[1]}
			}
			mc, err := plotter.NewScatter(modes)
			if err != nil {
				return err
			}
			mc.GlyphStyle = draw.GlyphStyle{Color: modeColor, Radius: vg.Points(2), Shape: draw.RingGlyph{}}
			p.Add(mc)
			plots[i][j] = p
		}
	}
	side := vg.Points(150)
	return savePNG(path, plots, vg.Length(cols)*side, vg.Length(len(runs))*side)
}

// extent returns a square view around the modes with a margin of a
// quarter of their span.
func extent(data gan.Mixture) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, mu := range data.Means {
		lo = math.Min(lo, math.Min(mu[0], mu[1]))
		hi = math.Max(hi, math.Max(mu[0], mu[1]))
	}
	m := math.Max(0.25*(hi-lo), 10*data.Std)
	return lo - m, hi + m
}

// lossFigure draws the paper's Fig. 2: the discriminator and generator
// losses of BGAN for several γ, each averaged over windows of iterations
// so that the trend shows through the noise of single steps.
func lossFigure(path string, runs []runResult) error {
	if len(runs) == 0 {
		return nil
	}
	dp, gp := plot.New(), plot.New()
	dp.Title.Text = fmt.Sprintf("BGAN discriminator loss (KL ratio, Eq. 4), %s", runs[0].Data)
	gp.Title.Text = "BGAN generator loss (Eq. 5)"
	for _, p := range []*plot.Plot{dp, gp} {
		p.X.Label.Text = "iteration"
		p.Legend.Top = true
		p.Add(plotter.NewGrid())
	}
	for i, r := range runs {
		for _, c := range []struct {
			p *plot.Plot
			v []float64
		}{{dp, r.DLoss}, {gp, r.GLoss}} {
			xy := windowed(c.v, 100)
			if len(xy) == 0 {
				continue
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return err
			}
			l.Color = curveColors[i%len(curveColors)]
			l.Width = vg.Points(1.2)
			c.p.Add(l)
			c.p.Legend.Add(fmt.Sprintf("γ = %g", r.Gamma), l)
		}
	}
	return savePNG(path, [][]*plot.Plot{{dp, gp}}, vg.Points(720), vg.Points(300))
}

// windowed averages v over n consecutive windows, placing each mean at
// the window's last iteration (iterations count from 1).
func windowed(v []float64, n int) plotter.XYs {
	if len(v) == 0 {
		return nil
	}
	size := max(1, len(v)/n)
	var xy plotter.XYs
	for start := 0; start < len(v); start += size {
		end := min(len(v), start+size)
		s := 0.0
		for _, x := range v[start:end] {
			s += x
		}
		xy = append(xy, plotter.XY{X: float64(end), Y: s / float64(end-start)})
	}
	return xy
}

// savePNG lays plots out on a grid and writes the image.
func savePNG(path string, plots [][]*plot.Plot, w, h vg.Length) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{
		Rows: len(plots), Cols: len(plots[0]),
		PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(4),
	}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		for j, p := range plots[i] {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
