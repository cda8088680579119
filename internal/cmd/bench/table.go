package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// stat summarises a cell's samples; N = 0 is an empty cell.
type stat struct {
	Median, Min float64
	N           int
}

func summarize(xs []float64) stat {
	if len(xs) == 0 {
		return stat{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{Median: m, Min: s[0], N: len(s)}
}

// row is one line of the table: a Go benchmark with one dtype and backend
// beside PyTorch's time for the same row and dtype.
type row struct {
	Name, Dtype, Backend string
	Go, Torch            stat
}

// buildRows lays out the table: for every spec, dtype and backend with Go
// samples, a row with PyTorch's time beside it; a row with an empty Go cell
// for every dtype PyTorch has but Go has not; and an empty row for a spec
// with no samples at all, so that a missing benchmark shows.
func buildRows(specs []spec, s samples) []row {
	var rows []row
	for _, sp := range specs {
		n := len(rows)
		for _, dt := range dtypes {
			torch := summarize(s[key{sp.Row, dt, "torch"}])
			found := false
			for _, be := range backends {
				g := s[key{sp.Row, dt, be}]
				if len(g) == 0 {
					continue
				}
				found = true
				rows = append(rows, row{Name: sp.Row, Dtype: dt, Backend: be, Go: summarize(g), Torch: torch})
			}
			if !found && torch.N > 0 {
				rows = append(rows, row{Name: sp.Row, Dtype: dt, Backend: "-", Torch: torch})
			}
		}
		if len(rows) == n {
			rows = append(rows, row{Name: sp.Row, Dtype: "-", Backend: "-"})
		}
	}
	return rows
}

// writeTable prints the rows: medians over the runs, the fastest Go run,
// and the ratio of the medians, symnet over PyTorch. Empty cells are blank.
func writeTable(w io.Writer, rows []row) error {
	cells := [][]string{{"name", "dtype", "backend", "symnet ms", "min ms", "PyTorch ms", "ratio", "runs"}}
	for _, r := range rows {
		cells = append(cells, []string{r.Name, r.Dtype, r.Backend,
			ms(r.Go.Median, r.Go.N), ms(r.Go.Min, r.Go.N), ms(r.Torch.Median, r.Torch.N),
			ratio(r.Go, r.Torch), runs(r.Go.N)})
	}
	return writeColumns(w, cells, 3)
}

// writeOverhead prints equi_fwdbwd / dense_fwdbwd, the equivariant layer's
// cost over a plain dense layer's, for each dtype and backend that has
// both, and for PyTorch; nothing if there is no such pair.
func writeOverhead(w io.Writer, s samples) error {
	cells := [][]string{{"dtype", "backend", "equi/dense (medians)", "equi/dense (minima)"}}
	for _, dt := range dtypes {
		for _, be := range append(slices.Clone(backends), "torch") {
			e, d := summarize(s[key{"equi_fwdbwd", dt, be}]), summarize(s[key{"dense_fwdbwd", dt, be}])
			if e.N == 0 || d.N == 0 {
				continue
			}
			minima := "" // PyTorch's minima are not kept
			if be != "torch" {
				minima = fmt.Sprintf("%.3f", e.Min/d.Min)
			}
			cells = append(cells, []string{dt, be, fmt.Sprintf("%.3f", e.Median/d.Median), minima})
		}
	}
	if len(cells) == 1 {
		return nil
	}
	return writeColumns(w, cells, 2)
}

// writeColumns prints cells as aligned columns two spaces apart, the first
// left columns aligned left and the others right, without trailing
// spaces.
func writeColumns(w io.Writer, cells [][]string, left int) error {
	var width []int
	for _, line := range cells {
		for i, c := range line {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, line := range cells {
		var l strings.Builder
		for i, c := range line {
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < left {
				l.WriteString(c + pad)
			} else {
				l.WriteString(pad + c)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(v float64, n int) string {
	if n == 0 {
		return ""
	}
	if v >= 100 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func ratio(g, t stat) string {
	if g.N == 0 || t.N == 0 || t.Median == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", g.Median/t.Median)
}

func runs(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}
