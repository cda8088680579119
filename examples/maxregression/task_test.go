package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestBatchFill(t *testing.T) {
	const (
		n      = 20000
		maxLen = 10
	)
	b := newBatch(n, maxLen)
	b.fill(rand.New(rand.NewPCG(1, 2)))
	count := make([]int, maxLen+1)
	for i := range n {
		row, mask := b.x[i*maxLen:(i+1)*maxLen], b.mask[i*maxLen:(i+1)*maxLen]
		l := 0
		for l < maxLen && mask[l] == 1 {
			l++
		}
		if l == 0 {
			t.Fatalf("set %d is empty", i)
		}
		count[l]++
		// Real slots first, then padding: zeros in both x and mask.
		for j := l; j < maxLen; j++ {
			if mask[j] != 0 || row[j] != 0 {
				t.Fatalf("set %d slot %d: mask %v x %v past length %d, want 0, 0", i, j, mask[j], row[j], l)
			}
		}
		for _, v := range row[:l] {
			if !(v >= 0 && v < maxValue) {
				t.Fatalf("set %d: element %v outside [0, %v)", i, v, maxValue)
			}
		}
		if b.target[i] != slices.Max(row[:l]) {
			t.Fatalf("set %d: target %v, max of the real elements %v", i, b.target[i], slices.Max(row[:l]))
		}
	}
	// Lengths are uniform on 1..10: each count is Binomial(n, 1/10), mean
	// 2000, sd √(n·0.1·0.9) ≈ 42. Five sd (210) fail a fair draw with
	// probability below 1e-5 over the ten counts, and catch an off-by-one
	// in the range (a length never drawn, or 11 drawn).
	sd := math.Sqrt(n * 0.1 * 0.9)
	for l := 1; l <= maxLen; l++ {
		if d := math.Abs(float64(count[l]) - n/maxLen); d > 5*sd {
			t.Errorf("length %d drawn %d times, want %d ± %.0f", l, count[l], n/maxLen, 5*sd)
		}
	}
}

func TestDrawBatch(t *testing.T) {
	const n, maxLen = 64, 10
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, n*maxLen)
	y := make([]float64, n)
	seen := map[int]bool{}
	for range 200 {
		l := drawBatch(rng, n, maxLen, x, y)
		if l < 1 || l > maxLen {
			t.Fatalf("length %d outside 1..%d", l, maxLen)
		}
		seen[l] = true
		for i := range n {
			row := x[i*l : (i+1)*l]
			if y[i] != slices.Max(row) {
				t.Fatalf("target %v, max %v", y[i], slices.Max(row))
			}
		}
	}
	// 200 draws of a length uniform on 1..10 miss one value with
	// probability 10·0.9^200 ≈ 7e-9.
	if len(seen) != maxLen {
		t.Errorf("lengths drawn: %v, want all of 1..%d", seen, maxLen)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3, 1, 2 = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of 4, 1, 3, 2 = %v", m)
	}
}
