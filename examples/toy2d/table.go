package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// stat is a mean and its standard error over seeds; SE is NaN for a
// single seed.
type stat struct {
	Mean float64 `json:"mean"`
	SE   float64 `json:"se"`
}

// MarshalJSON writes a missing standard error as null: JSON has no NaN.
func (s stat) MarshalJSON() ([]byte, error) {
	se := "null"
	if !math.IsNaN(s.SE) {
		se = strconv.FormatFloat(s.SE, 'g', -1, 64)
	}
	return []byte(fmt.Sprintf(`{"mean":%s,"se":%s}`, strconv.FormatFloat(s.Mean, 'g', -1, 64), se)), nil
}

// meanSE returns the mean of xs and its standard error s/√n, s the sample
// standard deviation (n−1 in the denominator).
func meanSE(xs []float64) stat {
	n := float64(len(xs))
	if n == 0 {
		return stat{Mean: math.NaN(), SE: math.NaN()}
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= n
	if n < 2 {
		return stat{Mean: m, SE: math.NaN()}
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return stat{Mean: m, SE: math.Sqrt(ss/(n-1)) / math.Sqrt(n)}
}

// row is one line of the results table: a method on a data set over seeds.
type row struct {
	Method      string  `json:"method"`
	Data        string  `json:"data"`
	K           int     `json:"k"`
	Seeds       int     `json:"seeds"`
	Modes       stat    `json:"modes"`
	HighQuality stat    `json:"high_quality_percent"`
	ReverseKL   stat    `json:"reverse_kl"`
	Gamma       float64 `json:"gamma,omitempty"`
}

// summarise groups the table runs by data set and method, in the order
// they were run.
func summarise(runs []runResult) []row {
	type key struct{ method, data string }
	var order []key
	groups := map[key][]runResult{}
	for _, r := range runs {
		if !r.Table {
			continue
		}
		k := key{r.Method, r.Data}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	var rows []row
	for _, k := range order {
		g := groups[k]
		var modes, hq, kl []float64
		for _, r := range g {
			modes = append(modes, float64(r.Modes))
			hq = append(hq, 100*r.HighQuality)
			kl = append(kl, r.ReverseKL)
		}
		rw := row{Method: k.method, Data: k.data, K: g[0].K, Seeds: len(g),
			Modes: meanSE(modes), HighQuality: meanSE(hq), ReverseKL: meanSE(kl)}
		if k.method == "bgan" || k.method == "mbgan" {
			rw.Gamma = g[0].Gamma
		}
		rows = append(rows, rw)
	}
	return rows
}

// published holds the rows of PacGAN's Table 1 (Lin et al., 2018) that our
// runs can be set beside: 2,500 samples, the same three metrics, the
// ring of 8 modes (our ring) and the grid of 25 modes at {−4, …, 4}²
// (our pgrid). They come from other networks, batch sizes and iteration
// budgets, averaged over their own trials.
var published = []struct {
	Model, Data      string
	Modes, K         float64
	HighQuality, RKL float64
}{
	{"GAN", "2D-ring", 6.3, 8, 98.2, 0.45},
	{"PacGAN2", "2D-ring", 7.9, 8, 95.6, 0.07},
	{"GAN", "2D-grid", 17.3, 25, 94.8, 0.70},
	{"PacGAN4", "2D-grid", 24.8, 25, 93.6, 0.04},
}

var methodNames = map[string]string{"gan": "GAN", "mixup": "mixup GAN", "bgan": "BGAN", "mbgan": "M-BGAN"}

func printTable(w io.Writer, e *experiment, rows []row) error {
	fmt.Fprintf(w, "Modes captured, high-quality samples (within 3 std of a mode) and reverse KL on %d samples, mean ± s.e. over %d seed(s);\n", evalSamples, len(e.Seeds))
	fmt.Fprintf(w, "%s.\n\n", e.training())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "method\tdata\tmodes\thigh quality %\treverse KL")
	for _, r := range rows {
		name := methodNames[r.Method]
		if r.Method == "bgan" || r.Method == "mbgan" {
			name = fmt.Sprintf("%s γ=%g", name, r.Gamma)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s / %d\t%s\t%s\n", name, r.Data,
			format(r.Modes, 1), r.K, format(r.HighQuality, 1), format(r.ReverseKL, 3))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nPublished: PacGAN (Lin et al., 2018), Table 1, with their networks and protocol, not these.")
	fmt.Fprintln(w, "Their 2D-ring is our ring; their 2D-grid is our pacgan-grid (-data pgrid), not the mixup grid.")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tdata\tmodes\thigh quality %\treverse KL")
	for _, p := range published {
		fmt.Fprintf(tw, "%s\t%s\t%.1f / %.0f\t%.1f\t%.2f\n", p.Model, p.Data, p.Modes, p.K, p.HighQuality, p.RKL)
	}
	return tw.Flush()
}

// format prints a mean with its standard error, or the mean alone for a
// single seed.
func format(s stat, prec int) string {
	if math.IsNaN(s.SE) {
		return fmt.Sprintf("%.*f", prec, s.Mean)
	}
	return fmt.Sprintf("%.*f ± %.*f", prec, s.Mean, prec, s.SE)
}
