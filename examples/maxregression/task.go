package main

import (
	"math/rand/v2"
	"slices"
)

// maxValue is the upper end of U[0, maxValue], the law of the elements.
const maxValue = 100.0

// batch is a padded batch of sets: x holds n sets of maxLen slots, each
// set's elements first and zeros after; mask marks the real slots.
type batch struct {
	n, maxLen int
	x, mask   []float64
	target    []float64
}

func newBatch(n, maxLen int) *batch {
	return &batch{n: n, maxLen: maxLen, x: make([]float64, n*maxLen), mask: make([]float64, n*maxLen), target: make([]float64, n)}
}

// fill draws every set of b afresh: a length uniform on 1..maxLen, then
// that many elements uniform on [0, maxValue]. The test sets are drawn so,
// each with its own length, and evaluated padded and masked.
func (b *batch) fill(rng *rand.Rand) {
	clear(b.x)
	clear(b.mask)
	for i := range b.n {
		l := 1 + rng.IntN(b.maxLen)
		row := b.x[i*b.maxLen : i*b.maxLen+l]
		for j := range row {
			row[j] = maxValue * rng.Float64()
			b.mask[i*b.maxLen+j] = 1
		}
		b.target[i] = slices.Max(row)
	}
}

// drawBatch fills x (n sets of length l, row-major) with elements uniform
// on [0, maxValue] and target with each set's maximum; it returns l, drawn
// uniform on 1..maxLen. All sets of a batch share l, as in Lee et al.'s
// code, so training batches need no padding.
func drawBatch(rng *rand.Rand, n, maxLen int, x, target []float64) int {
	l := 1 + rng.IntN(maxLen)
	for i := range n {
		row := x[i*l : (i+1)*l]
		for j := range row {
			row[j] = maxValue * rng.Float64()
		}
		target[i] = slices.Max(row)
	}
	return l
}
