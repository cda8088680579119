// Package approx makes the universal-approximation theorem of Lucas et al.,
// "Mixed batches and symmetric discriminators for GAN training" (ICML 2018,
// Thm. 1, Sec. 4.2), something that runs: the symmetric-polynomial algebra
// its proof rests on, in exact plain Go.
package approx
