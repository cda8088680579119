package mnist

import (
	"fmt"
	"math"
)

// Coverage summarises the labels a classifier gave to generated images, as
// the stacked-MNIST literature reports them (Metz et al., 2017; Srivastava
// et al., 2017; Lin et al., 2018).
type Coverage struct {
	// Samples is the number of labels counted and Classes the number of
	// possible labels K.
	Samples, Classes int
	// Modes is the number of classes given to at least one sample.
	Modes int
	// KL is KL(p̂ ‖ uniform) = Σ_k p̂_k ln(K p̂_k) = ln K − H(p̂), in nats,
	// where p̂ is the histogram of the labels: 0 when every class gets the
	// same share, ln K when one class gets all. Even a generator that draws
	// classes exactly uniformly scores about (K−1)/(2N) on N samples by
	// chance (the mean of a χ² with K−1 degrees of freedom over 2N):
	// 0.019 for 1,000 classes and 26,000 samples.
	KL float64
	// Counts holds the number of samples of each class.
	Counts []int
}

// Cover counts labels, each in [0, classes), and scores the histogram.
func Cover(labels []int, classes int) (Coverage, error) {
	counts, err := Histogram(labels, classes)
	if err != nil {
		return Coverage{}, err
	}
	kl, err := KLUniform(counts)
	if err != nil {
		return Coverage{}, err
	}
	return Coverage{Samples: len(labels), Classes: classes, Modes: Modes(counts), KL: kl, Counts: counts}, nil
}

// Histogram returns the number of labels equal to each of 0..classes−1.
func Histogram(labels []int, classes int) ([]int, error) {
	if classes < 1 {
		return nil, fmt.Errorf("%w: histogram of %d classes", ErrArg, classes)
	}
	counts := make([]int, classes)
	for i, l := range labels {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("%w: label %d at %d outside [0, %d)", ErrArg, l, i, classes)
		}
		counts[l]++
	}
	return counts, nil
}

// Modes returns the number of non-zero counts.
func Modes(counts []int) int {
	n := 0
	for _, c := range counts {
		if c > 0 {
			n++
		}
	}
	return n
}

// KLUniform returns KL(p̂ ‖ uniform) = Σ_k p̂_k ln(K p̂_k) in nats for the
// histogram p̂ = counts/Σ counts over K = len(counts) classes, with
// 0 ln 0 = 0. Counts must be non-negative with a positive sum.
func KLUniform(counts []int) (float64, error) {
	if len(counts) == 0 {
		return 0, fmt.Errorf("%w: KL of an empty histogram", ErrArg)
	}
	total := 0.0
	for i, c := range counts {
		if c < 0 {
			return 0, fmt.Errorf("%w: count %d of class %d is negative", ErrArg, c, i)
		}
		total += float64(c)
	}
	if total == 0 {
		return 0, fmt.Errorf("%w: KL of a histogram with no samples", ErrArg)
	}
	k := float64(len(counts))
	kl := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / total
			kl += p * math.Log(k*p)
		}
	}
	// Each term is exact to rounding; the sum of a uniform histogram can
	// come out a few ulps below 0 or, for one class, above ln K.
	return math.Min(math.Log(k), math.Max(0, kl)), nil
}
