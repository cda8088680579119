// Command approx runs the universal-approximation theorem of Lucas et al.,
// "Mixed batches and symmetric discriminators for GAN training" (ICML 2018,
// Thm. 1, Sec. 4.2) with package approx, and prints what each step gives:
//
//  1. the symmetric-polynomial algebra (Newton's identities on a random set);
//  2. the proof's constructions with explicit weights: the error of the
//     averages (1/B) Σ f(x_b) against the width, and networks approximating
//     symmetric polynomials to a requested tolerance, with their widths and
//     the sup error measured on random sets (the tolerance-vs-width table);
//  3. "only symmetric functions": an invariant network and a naive one on
//     the concatenated set, their parameter counts and how much a
//     reordering of the set moves each;
//  4. sigmoid networks of the family trained on symmetric targets at several
//     widths: the test-error-vs-width table, also written as a PNG plot.
//
// Everything is written to the -out folder as well (tables.txt, fit.png).
// The default run takes a few minutes on two cores, most of it in part 4;
// -steps and -widths shorten it.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/symnet/symnet/approx"
)

// config is what the flags set.
type config struct {
	out     string
	seed    uint64
	widths  []int
	targets []approx.Target
	tols    []float64
	steps   int
	setSize int
}

func main() {
	var (
		outDir  = flag.String("out", "out/approx", "folder for tables.txt and fit.png")
		seed    = flag.Uint64("seed", 1, "random seed of every part")
		widths  = flag.String("widths", "1,2,4,8,16,32,64", "widths of the trained networks (comma-separated)")
		targets = flag.String("targets", "mean,variance,max,e2,median,count>0", "targets to fit (comma-separated)")
		tols    = flag.String("tols", "1e-1,1e-2,1e-3,1e-4", "tolerances of the polynomial constructions (comma-separated)")
		steps   = flag.Int("steps", 3000, "Adam steps per fit")
		setSize = flag.Int("b", 8, "elements per set in the fits")
	)
	flag.Parse()
	cfg := config{out: *outDir, seed: *seed, steps: *steps, setSize: *setSize}
	var err error
	if cfg.widths, err = parseInts(*widths); err != nil {
		log.Fatalf("approx: -widths: %v", err)
	}
	for _, s := range strings.Split(*targets, ",") {
		tg, err := approx.ParseTarget(strings.TrimSpace(s))
		if err != nil {
			log.Fatal(err)
		}
		cfg.targets = append(cfg.targets, tg)
	}
	for _, s := range strings.Split(*tols, ",") {
		tol, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !(tol > 0) || math.IsInf(tol, 0) {
			log.Fatalf("approx: -tols: bad tolerance %q", s)
		}
		cfg.tols = append(cfg.tols, tol)
	}
	if err := run(cfg, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run writes the tables to stdout and to cfg.out/tables.txt, the progress
// of the fits to stdout only, and the plot to cfg.out/fit.png.
func run(cfg config, stdout io.Writer) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	tables := filepath.Join(cfg.out, "tables.txt")
	f, err := os.Create(tables)
	if err != nil {
		return err
	}
	defer f.Close()
	out := io.MultiWriter(stdout, f)

	if err := newton(out, cfg.seed); err != nil {
		return err
	}
	if err := averages(out); err != nil {
		return err
	}
	if err := tolerances(out, cfg.tols, cfg.seed); err != nil {
		return err
	}
	if err := symmetry(out, cfg.seed); err != nil {
		return err
	}
	results, err := fits(out, stdout, cfg)
	if err != nil {
		return err
	}
	png := filepath.Join(cfg.out, "fit.png")
	if err := plotFits(png, cfg, results); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s and %s\n", tables, png)
	return nil
}

func parseInts(s string) ([]int, error) {
	var v []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		if n < 1 || n > approx.MaxTrainWidth {
			return nil, fmt.Errorf("width %d out of 1..%d", n, approx.MaxTrainWidth)
		}
		v = append(v, n)
	}
	return v, nil
}

// newton prints part 1: power sums and elementary symmetric polynomials of
// a random set, and the conversions between them.
func newton(w io.Writer, seed uint64) error {
	fmt.Fprintln(w, "== 1. Symmetric polynomials: power sums, elementary polynomials, Newton's identities")
	rng := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, 6)
	for i := range x {
		x[i] = 2*rng.Float64() - 1
	}
	const k = 6
	p, err := approx.PowerSums(x, k)
	if err != nil {
		return err
	}
	e, err := approx.Elementary(x, k)
	if err != nil {
		return err
	}
	eP, err := approx.ElementaryFromPowerSums(p)
	if err != nil {
		return err
	}
	pE, err := approx.PowerSumsFromElementary(e)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "set of %d in [-1, 1]\n%3s %14s %14s %14s %14s\n", len(x), "k", "p_k", "p_k from e", "e_k", "e_k from p")
	for i := 0; i < k; i++ {
		fmt.Fprintf(w, "%3d %14.10f %14.10f %14.10f %14.10f\n", i+1, p[i], pE[i], e[i], eP[i])
	}
	for j := 2; j <= 4; j++ {
		poly, err := approx.ElementaryPolynomial(j)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "e%d = %v\n", j, poly)
	}
	fmt.Fprintln(w)
	return nil
}

// averages prints the first half of part 2: the error bound of (1/B) Σ f(x_b)
// against the width of the sigmoid layer that stands for f.
func averages(w io.Writer) error {
	fmt.Fprintln(w, "== 2a. Averages (1/B) Σ_b f(x_b): certified error bound vs width of the sigmoid layer")
	funcs := []struct {
		name string
		f    approx.Func
	}{
		{"t^2 on [-1,1]", approx.Func{F: func(t float64) float64 { return t * t }, Lo: -1, Hi: 1, Curv: 2}},
		{"sin 3t on [-1,1]", approx.Func{F: func(t float64) float64 { return math.Sin(3 * t) }, Lo: -1, Hi: 1, Curv: 9}},
		{"log t on [0.5,2]", approx.Func{F: math.Log, Lo: 0.5, Hi: 2, Curv: 4}},
		{"|t|_0.1 on [-1,1]", approx.Func{F: func(t float64) float64 { return math.Sqrt(t*t + 0.01) }, Lo: -1, Hi: 1, Curv: 10}},
	}
	ws := []int{1, 2, 4, 8, 16, 32, 64}
	fmt.Fprintf(w, "%-20s", "f \\ width")
	for _, n := range ws {
		fmt.Fprintf(w, " %9d", n)
	}
	fmt.Fprintln(w)
	for _, fc := range funcs {
		fmt.Fprintf(w, "%-20s", fc.name)
		for _, n := range ws {
			net, err := approx.Average(fc.f, n)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, " %9.2e", net.Outputs()[0].Err)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "(|t|_0.1 = sqrt(t^2 + 0.01), a smoothed |t|)")
	fmt.Fprintln(w)
	return nil
}

// tolerances prints the tolerance-vs-width table of part 2.
func tolerances(w io.Writer, tols []float64, seed uint64) error {
	const b = 5
	fmt.Fprintf(w, "== 2b. Symmetric polynomials on sets of %d elements, to a tolerance (Approximate)\n", b)
	fmt.Fprintln(w, "bound: the construction's certified error; measured: sup |net - polynomial| over 1000 random sets of the box, corners included")
	e2, err := approx.ElementaryPolynomial(2)
	if err != nil {
		return err
	}
	e3, err := approx.ElementaryPolynomial(3)
	if err != nil {
		return err
	}
	polys := []struct {
		name   string
		p      approx.Polynomial
		lo, hi float64
	}{
		{"p2", approx.Polynomial{{Coef: 1, Powers: []int{2}}}, -1, 1},
		{"e2", e2, -1, 1},
		{"e3", e3, -1, 1},
		{"p1^3", approx.Polynomial{{Coef: 1, Powers: []int{1, 1, 1}}}, -1, 1},
		{"variance", approx.Polynomial{{Coef: 1.0 / b, Powers: []int{2}}, {Coef: -1.0 / (b * b), Powers: []int{1, 1}}}, 0, 1},
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	fmt.Fprintf(w, "%-9s %-9s %8s %-18s %7s %8s %10s %10s %8s\n", "poly", "box", "tol", "layer widths", "hidden", "params", "bound", "measured", "build")
	for _, pc := range polys {
		sets, err := approx.RandomSets(rng, 1000, b, pc.lo, pc.hi)
		if err != nil {
			return err
		}
		target := func(x []float64) float64 {
			v, err := pc.p.Eval(x)
			if err != nil {
				log.Fatalf("approx: evaluating %v: %v", pc.p, err)
			}
			return v
		}
		for _, tol := range tols {
			t0 := time.Now()
			net, err := approx.Approximate(pc.p, approx.ApproxConfig{SetSize: b, Lo: pc.lo, Hi: pc.hi, Tol: tol})
			if err != nil {
				return err
			}
			built := time.Since(t0)
			m, err := approx.MaxError(net, 0, target, sets)
			if err != nil {
				return err
			}
			flag := ""
			if m > tol {
				flag = "  ABOVE TOLERANCE"
			}
			fmt.Fprintf(w, "%-9s %-9s %8.0e %-18s %7d %8d %10.2e %10.2e %8s%s\n",
				pc.name, fmt.Sprintf("[%g,%g]", pc.lo, pc.hi), tol, fmt.Sprint(net.Widths()), net.Hidden(), net.Params(),
				net.Outputs()[0].Err, m, built.Round(time.Millisecond), flag)
		}
	}
	fmt.Fprintf(w, "in power sums p_k = Σ_b x_b^k: e2 = %v, e3 = %v\n\n", e2, e3)
	return nil
}

// symmetry prints part 3.
func symmetry(w io.Writer, seed uint64) error {
	const width, depth, in = 32, 2, 2
	fmt.Fprintf(w, "== 3. Only symmetric functions: invariant network vs naive network on the concatenated set\n")
	fmt.Fprintf(w, "both: %d hidden sigmoid layers of %d units, 1 output, elements in R^%d, random weights; 200 random sets, one random reordering each\n", depth, width, in)
	fmt.Fprintf(w, "%5s %12s %10s %14s %14s %14s %10s\n", "B", "inv params", "naive par", "inv max move", "naive max move", "naive spread", "move/spr")
	rng := rand.New(rand.NewPCG(seed, 3))
	for _, b := range []int{2, 8, 32, 128, 512} {
		rep, err := approx.CompareSymmetry(approx.SymmetryConfig{In: in, SetSize: b, Width: width, Depth: depth, Trials: 200, Rand: rng})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%5d %12d %10d %14.2e %14.2e %14.2e %10.2f\n", b, rep.InvariantParams, rep.NaiveParams,
			rep.InvariantGap, rep.NaiveGap, rep.NaiveScale, rep.NaiveGap/rep.NaiveScale)
	}
	fmt.Fprintln(w, "move: max over sets of |f(x) - f(πx)|; spread: standard deviation of the naive output over the sets")
	fmt.Fprintln(w)
	return nil
}

// fits runs part 4, writing the table to w and the progress to progress,
// and returns the results, [target][width].
func fits(w, progress io.Writer, cfg config) ([][]approx.TrainResult, error) {
	tgs, ws, steps, b := cfg.targets, cfg.widths, cfg.steps, cfg.setSize
	fmt.Fprintf(w, "== 4. Fitting in practice: sigmoid equivariant networks (2 hidden layers, mean ρ and readout) trained by Adam\n")
	fmt.Fprintf(w, "sets of %d elements uniform in [-1, 1]; %d steps of 64 fresh sets; test on 4096 held-out sets\n", b, steps)
	res := make([][]approx.TrainResult, len(tgs))
	start := time.Now()
	for i, tg := range tgs {
		for _, width := range ws {
			t0 := time.Now()
			// One line per fit: the loss at each quarter of the steps as it
			// comes, then the result.
			fmt.Fprintf(progress, "  %-9v width %4d: loss", tg, width)
			report := max(1, steps/4)
			r, err := approx.Train(approx.TrainConfig{
				Target: tg, Width: width, Steps: steps, SetSize: b, Seed: cfg.seed,
				Progress: func(step int, loss float64) {
					if step%report == 0 {
						fmt.Fprintf(progress, " %.4f", loss)
					}
				},
			})
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(progress, " -> relative test error %.4f, %d parameters, %v (total %v)\n",
				r.RelRMSE, r.Params, time.Since(t0).Round(100*time.Millisecond), time.Since(start).Round(time.Second))
			res[i] = append(res[i], r)
		}
	}
	fmt.Fprintln(w, "relative test RMSE (RMSE / std of the target; 1 = best constant)")
	fmt.Fprintf(w, "%-10s", "target")
	for _, n := range ws {
		fmt.Fprintf(w, " %8s", fmt.Sprintf("w=%d", n))
	}
	fmt.Fprintf(w, " %10s\n", "target std")
	for i, tg := range tgs {
		fmt.Fprintf(w, "%-10v", tg)
		for _, r := range res[i] {
			fmt.Fprintf(w, " %8.4f", r.RelRMSE)
		}
		fmt.Fprintf(w, " %10.4f\n", res[i][0].Std)
	}
	fmt.Fprintf(w, "%-10s", "params")
	for _, r := range res[0] {
		fmt.Fprintf(w, " %8d", r.Params)
	}
	fmt.Fprintln(w)
	return res, nil
}

// plotFits draws the relative test error against the width, one line per
// target, on log-log axes.
func plotFits(path string, cfg config, res [][]approx.TrainResult) error {
	tgs, ws := cfg.targets, cfg.widths
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Sigmoid equivariant networks on sets of %d: test error vs width", cfg.setSize)
	p.X.Label.Text = "width (units per hidden layer)"
	p.Y.Label.Text = "relative test RMSE"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	// Ticks at the widths trained, and at 1, 2 and 5 times the powers of
	// ten on an error axis that reaches from two powers of ten below the
	// smallest error to just above 1.
	var xt []plot.Tick
	for _, n := range ws {
		xt = append(xt, plot.Tick{Value: float64(n), Label: strconv.Itoa(n)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	lowest := 1.0
	for _, row := range res {
		for _, r := range row {
			lowest = math.Min(lowest, r.RelRMSE)
		}
	}
	// A decade of room under the lowest error holds the legend.
	p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lowest))-1), 1.5
	var yt []plot.Tick
	for v := p.Y.Min; v < 2; v *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*v <= p.Y.Max {
				yt = append(yt, plot.Tick{Value: m * v, Label: strconv.FormatFloat(m*v, 'g', 3, 64)})
			}
		}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.Legend.Top, p.Legend.Left = false, true
	var lines []any
	for i, tg := range tgs {
		xy := make(plotter.XYs, len(ws))
		for j, n := range ws {
			xy[j].X = float64(n)
			xy[j].Y = res[i][j].RelRMSE
		}
		lines = append(lines, tg.String(), xy)
	}
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return err
	}
	// The best constant predictor scores 1.
	one := plotter.NewFunction(func(float64) float64 { return 1 })
	one.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	p.Add(one)
	p.Legend.Add("best constant", one)
	return p.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
