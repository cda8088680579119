package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// row is one line of the results table.
type row struct {
	// Name is the method, or the reference row of real images.
	Name string `json:"name"`
	// Iterations is the number of generator steps; 0 for real images.
	Iterations int `json:"iterations"`
	// Samples is the number of images labelled, Classes the number of
	// labels K, Modes the labels reached.
	Samples int `json:"samples"`
	Classes int `json:"classes"`
	Modes   int `json:"modes"`
	// KL is KL(p̂ ‖ uniform) of the label histogram, in nats.
	KL float64 `json:"kl"`
	// Seconds is the training time.
	Seconds float64 `json:"seconds"`
}

// printTable writes the rows as an aligned table, then what the numbers
// mean and where published ones stand.
func printTable(w io.Writer, title string, accuracy float64, rows []row) error {
	fmt.Fprintf(w, "%s\n", title)
	fmt.Fprintf(w, "classifier test accuracy: %.2f%% (labels each channel of a sample)\n\n", 100*accuracy)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\titerations\tsamples\tmodes\tKL(p̂‖U)\ttrain time\t")
	for _, r := range rows {
		iters, secs := "-", "-"
		if r.Iterations > 0 {
			iters, secs = fmt.Sprint(r.Iterations), fmt.Sprintf("%.0fs", r.Seconds)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d/%d\t%.3f\t%s\t\n", r.Name, iters, r.Samples, r.Modes, r.Classes, r.KL, secs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, `
modes: labels given to at least one sample; KL: KL divergence from the
label histogram to the uniform one (0 is perfect; ln K if every sample gets
one label). The "real images" row labels real stacks drawn from the test
set: it is what a perfect generator would score with this classifier, the
classifier's own mistakes included.

Published stacked-MNIST tables (VEEGAN, Srivastava et al., 2017, Table 2;
PacGAN, Lin et al., 2018, Tables 2–3) report the same two scores over
26,000 samples for DCGAN-sized networks trained for many epochs at 28×28.
Their figures could not be confirmed from a source available to this
program's authors, so none is printed here; see those papers.
`)
	return err
}
