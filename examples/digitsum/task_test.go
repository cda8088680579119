package main

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDrawSets(t *testing.T) {
	const n, lo, hi = 18000, 1, 10
	s := drawSets(rand.New(rand.NewPCG(1, 1)), n, lo, hi)
	lengths := make([]int, hi+1)
	digitCount := make([]int, digits+1)
	for i := range n {
		l := s.length[i]
		if l < lo || l > hi {
			t.Fatalf("set %d: length %d outside %d..%d", i, l, lo, hi)
		}
		lengths[l]++
		sum := 0
		for j := range hi {
			d := int(s.digit[i*hi+j])
			if j >= l {
				if d != 0 {
					t.Fatalf("set %d: padded slot %d holds %d", i, j, d)
				}
				continue
			}
			if d < 1 || d > digits {
				t.Fatalf("set %d: digit %d outside 1..9", i, d)
			}
			digitCount[d]++
			sum += d
		}
		if sum != s.sum[i] {
			t.Fatalf("set %d: sum %d, digits add to %d", i, s.sum[i], sum)
		}
	}
	// Each length count is Binomial(18000, 1/10): mean 1800, sd ≈ 40.
	// Five sd is passed by a fair draw with probability above 1 − 1e-5
	// over all ten, and misses an off-by-one in the range by far.
	sd := math.Sqrt(n * 0.1 * 0.9)
	for l := lo; l <= hi; l++ {
		if d := math.Abs(float64(lengths[l]) - n/10); d > 5*sd {
			t.Errorf("length %d drawn %d times, want %d ± %.0f", l, lengths[l], n/10, 5*sd)
		}
	}
	// Digits: about 99,000 draws, each count Binomial(·, 1/9), sd ≈ 99.
	total := 0
	for _, c := range digitCount {
		total += c
	}
	sdd := math.Sqrt(float64(total) / 9 * 8 / 9)
	for d := 1; d <= digits; d++ {
		if dev := math.Abs(float64(digitCount[d]) - float64(total)/9); dev > 5*sdd {
			t.Errorf("digit %d drawn %d times of %d, want %.0f ± %.0f", d, digitCount[d], total, float64(total)/9, 5*sdd)
		}
	}
}

func TestDrawSetsFixedLength(t *testing.T) {
	s := drawSets(rand.New(rand.NewPCG(2, 2)), 100, 35, 35)
	for i, l := range s.length {
		if l != 35 {
			t.Fatalf("set %d has length %d, want 35", i, l)
		}
	}
}

func TestEncode(t *testing.T) {
	s := &sets{n: 2, maxLen: 3, digit: []uint8{4, 0, 0, 9, 1, 9}, length: []int{1, 3}, sum: []int{4, 19}}
	idx := []int{1, 0}
	x := make([]float64, 2*3*digits)
	mask := make([]float64, 2*3)
	y := make([]float64, 2)
	for i := range x {
		x[i] = 7 // stale values must be cleared
	}
	s.encode(idx, x, mask, y)
	wantMask := []float64{1, 1, 1, 1, 0, 0}
	for i := range mask {
		if mask[i] != wantMask[i] {
			t.Fatalf("mask %v, want %v", mask, wantMask)
		}
	}
	if y[0] != 19 || y[1] != 4 {
		t.Errorf("targets %v, want [19 4]", y)
	}
	// Row r of the batch is one-hot at digit−1 for a real slot, all zero
	// for padding.
	hot := []int{9, 1, 9, 4, 0, 0}
	for r, d := range hot {
		row := x[r*digits : (r+1)*digits]
		for k, v := range row {
			want := 0.0
			if d > 0 && k == d-1 {
				want = 1
			}
			if v != want {
				t.Fatalf("row %d (digit %d): %v", r, d, row)
			}
		}
	}
}
