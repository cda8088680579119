package setlearn

import (
	"math"
	"testing"
)

func TestCosineTailConstant(t *testing.T) {
	// tail = 0 is the published constant rate: every step gets lr exactly.
	for s := 1; s <= 100; s++ {
		if got := CosineTail(1e-3, s, 100, 0); got != 1e-3 {
			t.Fatalf("step %d: rate %v, want 1e-3", s, got)
		}
	}
}

func TestCosineTailShape(t *testing.T) {
	const (
		lr    = 0.01
		total = 1000
		tail  = 0.5
	)
	// The rate is held for the first half, then falls monotonically, stays
	// positive (optim.Adam refuses 0) and ends far below lr.
	prev := math.Inf(1)
	for s := 1; s <= total; s++ {
		r := CosineTail(lr, s, total, tail)
		if s <= total/2+1 && r != lr {
			t.Fatalf("step %d: rate %v before the decay, want %v", s, r, lr)
		}
		if !(r > 0) || r > prev {
			t.Fatalf("step %d: rate %v after %v: want positive and non-increasing", s, r, prev)
		}
		prev = r
	}
	// The last step is read at 999 of 1000 steps: lr·(1+cos(π·499/500))/2
	// ≈ lr·9.9e-6, positive and tiny.
	want := lr * 0.5 * (1 + math.Cos(math.Pi*499/500))
	if got := CosineTail(lr, total, total, tail); math.Abs(got-want) > 1e-15 {
		t.Errorf("last step: rate %v, want %v", got, want)
	}
	// Halfway through the decay (750 steps done) the cosine is at lr/2.
	if got := CosineTail(lr, 751, total, tail); math.Abs(got-lr/2) > 1e-12 {
		t.Errorf("middle of the decay: rate %v, want %v", got, lr/2)
	}
}

func TestCosineTailClamps(t *testing.T) {
	// A tail beyond [0, 1] and a step below 1 are clamped, never NaN.
	if got := CosineTail(1, 1, 10, 2); got != 1 {
		t.Errorf("tail 2, step 1: %v, want 1 (the first step gets lr)", got)
	}
	if got := CosineTail(1, 5, 10, -1); got != 1 {
		t.Errorf("tail −1: %v, want 1 (constant)", got)
	}
	if got := CosineTail(1, -3, 10, 1); got != 1 {
		t.Errorf("step −3: %v, want 1", got)
	}
	if got := CosineTail(1, 50, 10, 1); got != 0 {
		t.Errorf("step past the end: %v, want 0", got)
	}
}
