package setlearn

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Series is one named curve of a plot.
type Series struct {
	Name string
	X, Y []float64
}

// palette is a set of distinguishable line colours, cycled.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	color.RGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
	color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
}

// CurvePlot describes a line plot of learning curves.
type CurvePlot struct {
	Title, XLabel, YLabel string
	// LogY puts the y axis on a log scale; non-positive points are then
	// dropped.
	LogY   bool
	Series []Series
}

// ErrNoData reports a plot with no finite point to draw.
var ErrNoData = errors.New("setlearn: nothing to plot")

// Plot builds the plot. Non-finite points, and non-positive ones on a log
// scale, are left out; a plot left with no point at all is refused with
// ErrNoData, since gonum's log axis cannot place an empty range.
func (c CurvePlot) Plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Add(plotter.NewGrid())
	drawn := 0
	for i, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("setlearn: series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		var pts plotter.XYs
		for j := range s.X {
			if !finite(s.X[j]) || !finite(s.Y[j]) || c.LogY && !(s.Y[j] > 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: s.X[j], Y: s.Y[j]})
		}
		if len(pts) == 0 {
			continue
		}
		l, dots, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, fmt.Errorf("setlearn: series %q: %w", s.Name, err)
		}
		l.Color = Colour(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.Name, l)
		// A short series (one point per epoch, say) gets a dot at each
		// point, so that a single point is visible at all.
		if len(pts) <= markedPoints {
			dots.Color = Colour(i)
			dots.Shape = draw.CircleGlyph{}
			p.Add(dots)
		}
		drawn += len(pts)
	}
	if drawn == 0 {
		return nil, fmt.Errorf("%w: %q has no finite point", ErrNoData, c.Title)
	}
	if c.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	p.Legend.Top = true
	return p, nil
}

// Save writes the plot as a PNG of the given size in inches to path,
// creating the folder if needed.
func (c CurvePlot) Save(path string, width, height float64) error {
	p, err := c.Plot()
	if err != nil {
		return err
	}
	return SavePlot(p, path, width, height)
}

// markedPoints is the longest series drawn with a dot at every point.
const markedPoints = 30

// logTicks labels a log axis at 1, 2 and 5 times the powers of ten in its
// range, so that a range narrower than a decade still gets labels (gonum's
// LogTicks labels powers of ten only); it labels every integer multiple when
// that leaves fewer than two labels, and thins the labels to powers of ten
// when the range spans more than three decades.
type logTicks struct{}

// Ticks returns the ticks for the range [lo, hi], lo > 0.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi >= lo) || !finite(hi) {
		return nil
	}
	mults := []float64{1, 2, 5}
	if math.Log10(hi/lo) > 3 {
		mults = []float64{1}
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for k := 1; k < 10; k++ {
			v := float64(k) * base
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			for _, m := range mults {
				if k == int(m) {
					t.Label = strconv.FormatFloat(v, 'g', -1, 64)
				}
			}
			ticks = append(ticks, t)
		}
	}
	labelled := 0
	for _, t := range ticks {
		if t.Label != "" {
			labelled++
		}
	}
	if labelled < 2 { // a narrow range: label every tick
		for i := range ticks {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', -1, 64)
		}
	}
	return ticks
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// SavePlot writes p as a PNG of the given size in inches, creating the
// folder of path if needed.
func SavePlot(p *plot.Plot, path string, width, height float64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("setlearn: %w", err)
	}
	if err := p.Save(vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch, path); err != nil {
		return fmt.Errorf("setlearn: saving %s: %w", path, err)
	}
	return nil
}

// SaveGrid writes plots, a grid of rows of equal length, as one PNG of the
// given size in inches, with aligned axes. A nil entry leaves its tile
// blank.
func SaveGrid(plots [][]*plot.Plot, path string, width, height float64) error {
	if len(plots) == 0 || len(plots[0]) == 0 {
		return fmt.Errorf("%w: empty grid", ErrNoData)
	}
	for _, row := range plots {
		if len(row) != len(plots[0]) {
			return fmt.Errorf("setlearn: grid rows of %d and %d plots", len(plots[0]), len(row))
		}
	}
	img := vgimg.New(vg.Length(width)*vg.Inch, vg.Length(height)*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{
		Rows: len(plots), Cols: len(plots[0]),
		PadX: vg.Millimeter, PadY: vg.Millimeter,
		PadTop: vg.Millimeter, PadBottom: vg.Millimeter, PadLeft: vg.Millimeter, PadRight: vg.Millimeter,
	}
	canvases := plot.Align(plots, tiles, dc)
	for j, row := range plots {
		for i, p := range row {
			if p != nil {
				p.Draw(canvases[j][i])
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("setlearn: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("setlearn: %w", err)
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("setlearn: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("setlearn: writing %s: %w", path, err)
	}
	return nil
}

// Colour returns the i-th colour of the plots' palette, cycling.
func Colour(i int) color.Color { return palette[((i%len(palette))+len(palette))%len(palette)] }
