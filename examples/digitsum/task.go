package main

import "math/rand/v2"

// digits is the number of digit values, 1…9; digit d is one-hot at d−1.
const digits = 9

// sets holds n sets of digits, each padded to maxLen slots.
type sets struct {
	n, maxLen int
	digit     []uint8 // n×maxLen, 0 in padded slots
	length    []int
	sum       []int
}

// drawSets draws n sets whose lengths are uniform on lo..hi, padded to hi
// slots, with digits uniform on 1…9.
func drawSets(rng *rand.Rand, n, lo, hi int) *sets {
	s := &sets{n: n, maxLen: hi, digit: make([]uint8, n*hi), length: make([]int, n), sum: make([]int, n)}
	for i := range n {
		l := lo + rng.IntN(hi-lo+1)
		s.length[i] = l
		for j := range l {
			d := 1 + rng.IntN(digits)
			s.digit[i*hi+j] = uint8(d)
			s.sum[i] += d
		}
	}
	return s
}

// encode writes sets idx of s into x (len(idx)×maxLen×digits one-hot) and
// mask (len(idx)×maxLen), and their sums into y.
func (s *sets) encode(idx []int, x, mask, y []float64) {
	clear(x)
	clear(mask)
	for k, i := range idx {
		for j := range s.length[i] {
			d := int(s.digit[i*s.maxLen+j])
			x[(k*s.maxLen+j)*digits+d-1] = 1
			mask[k*s.maxLen+j] = 1
		}
		y[k] = float64(s.sum[i])
	}
}
