package gan

import (
	"fmt"
	"math"
)

// Coverage measures how well samples cover the modes of a [Mixture], as in
// the mode-collapse literature (Srivastava et al., 2017; Lin et al., 2018).
type Coverage struct {
	// Samples is the number of samples scored.
	Samples int
	// HighQuality is the fraction of samples within 3 standard deviations
	// (Euclidean distance) of their nearest mode.
	HighQuality float64
	// Modes is the number of modes with at least one high-quality sample.
	Modes int
	// ReverseKL is KL(p̂ ‖ uniform) = ln K − H(p̂), where p̂ is the histogram
	// of the high-quality samples over their nearest modes. It is 0 when
	// every mode gets the same share and ln K when one mode gets all. With
	// no high-quality sample p̂ is undefined; ReverseKL is then set to
	// ln K, the worst value any histogram can reach, rather than to a
	// value that would look good.
	ReverseKL float64
	// Counts holds the number of high-quality samples at each mode.
	Counts []int
}

// HighQualityRadius is the distance, in standard deviations, within which
// a sample counts as high quality.
const HighQualityRadius = 3

// Measure scores n samples given row-major as n×2 values.
func Measure(m Mixture, samples []float64) (Coverage, error) {
	if err := m.check(); err != nil {
		return Coverage{}, err
	}
	if len(samples) == 0 || len(samples)%2 != 0 {
		return Coverage{}, fmt.Errorf("%w: %d values (want a positive even number: n points × 2)", ErrSamples, len(samples))
	}
	n := len(samples) / 2
	c := Coverage{Samples: n, Counts: make([]int, m.K())}
	r2 := math.Pow(HighQualityRadius*m.Std, 2)
	good := 0
	for i := 0; i < n; i++ {
		x, y := samples[2*i], samples[2*i+1]
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			return Coverage{}, fmt.Errorf("%w: sample %d is (%v, %v)", ErrSamples, i, x, y)
		}
		best, bestD := 0, math.Inf(1)
		for k, mu := range m.Means {
			dx, dy := x-mu[0], y-mu[1]
			if d := dx*dx + dy*dy; d < bestD {
				best, bestD = k, d
			}
		}
		if bestD <= r2 {
			c.Counts[best]++
			good++
		}
	}
	c.HighQuality = float64(good) / float64(n)
	logK := math.Log(float64(m.K()))
	if good == 0 {
		c.ReverseKL = logK
		return c, nil
	}
	h := 0.0
	for _, k := range c.Counts {
		if k > 0 {
			c.Modes++
			p := float64(k) / float64(good)
			h -= p * math.Log(p)
		}
	}
	// ln K − H(p̂) is ≥ 0 in exact arithmetic; clamp the rounding residue.
	c.ReverseKL = math.Max(0, logK-h)
	return c, nil
}
