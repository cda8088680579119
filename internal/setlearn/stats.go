package setlearn

import "math"

// MeanStd returns the mean of xs and its sample standard deviation (n−1 in
// the denominator; 0 for a single value). It returns NaN, NaN for no
// values.
func MeanStd(xs []float64) (mean, std float64) {
	n := float64(len(xs))
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= n
	if n == 1 {
		return mean, 0
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / (n - 1))
}
