// Command toy2d runs the 2D experiment of Lucas et al., "Mixed batches and
// symmetric discriminators for GAN training" (ICML 2018), Sec. 5.1: a
// standard GAN, a mixup GAN, BGAN and M-BGAN learn a ring and a grid of
// narrow Gaussians, and the program reports how many modes each captures.
//
// Usage:
//
//	go run ./examples/toy2d [flags]
//
// With no flags it trains each method once on each data set, with three
// hidden layers of 128 units (the paper has 512) for 4,000 iterations, BGAN
// and M-BGAN with γ = 0.5, and both learning rates falling linearly to zero
// over the second half of the run (the paper keeps them constant): about
// 14 minutes on two cores. It prints a progress line with an estimate of
// the time left on stderr, then a table on stdout: for each method and
// data set the modes captured, the percentage of high-quality samples
// (within 3 standard deviations of a mode) and the reverse KL divergence
// from the mode histogram to the uniform one, as mean ± standard error
// over seeds, measured on 2,500 generator samples. Published rows of
// PacGAN (Lin et al., 2018, Table 1) follow for comparison; they were
// obtained with other networks and budgets.
//
// It writes to the output folder (-out, default out/toy2d):
//
//	samples-<data>.png   generator samples over the modes at several
//	                     iterations, one row per method (the paper's Fig. 3)
//	losses.png           discriminator and generator losses of BGAN for
//	                     several γ (the paper's Fig. 2)
//	results.json         the configuration, every run's metrics, and the table
//
// -paper selects the paper's protocol (three hidden layers of 512 units,
// 20,000 iterations, constant learning rates, γ = 0.3, five seeds); at
// about 0.2 s per iteration on one core (accel's gemm, float32) its 40 runs
// take about a day on two cores. Run with -h for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"

	"github.com/symnet/symnet/accel"
)

func main() {
	// The fast gemm of package accel, for gorgonia's matrix products; the
	// library packages leave that process-wide choice to programs.
	accel.Use()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "toy2d:", err)
		os.Exit(1)
	}
}

// run parses args, trains every run of the experiment, and writes the
// table to stdout, progress to stderr and the files to the output folder.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	exp, err := opts.experiment()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.out, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "toy2d: %s\n", exp.describe())
	if opts.cpuprofile != "" {
		f, err := os.Create(opts.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res, err := exp.execute(ctx, newProgress(stderr, exp.work()))
	if err != nil {
		return err
	}
	table := summarise(res.Runs)
	if err := printTable(stdout, exp, table); err != nil {
		return err
	}
	files, err := writeOutputs(opts.out, exp, res, table)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(stderr, "toy2d: wrote", f)
	}
	return nil
}
