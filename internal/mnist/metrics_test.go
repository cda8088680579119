package mnist

import (
	"errors"
	"math"
	"testing"
)

func TestCoverKnownHistograms(t *testing.T) {
	for _, c := range []struct {
		name    string
		labels  []int
		classes int
		modes   int
		kl      float64
	}{
		{"uniform", []int{0, 1, 2, 3, 0, 1, 2, 3}, 4, 4, 0},
		{"one class", []int{2, 2, 2}, 10, 1, math.Log(10)},
		// p̂ = (3/4, 1/4): 3/4 ln(2·3/4) + 1/4 ln(2·1/4).
		{"three to one", []int{0, 0, 1, 0}, 2, 2, 0.75*math.Log(1.5) + 0.25*math.Log(0.5)},
		// p̂ = (1/2, 1/2, 0) over 3: ln 3 − ln 2.
		{"two of three", []int{0, 2}, 3, 2, math.Log(1.5)},
	} {
		got, err := Cover(c.labels, c.classes)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// A handful of float64 operations on values below 3: 1e-15.
		if got.Modes != c.modes || math.Abs(got.KL-c.kl) > 1e-15 || got.Samples != len(c.labels) || got.Classes != c.classes {
			t.Errorf("%s: %+v, want %d modes, KL %v", c.name, got, c.modes, c.kl)
		}
	}
}

func TestMetricsBadInput(t *testing.T) {
	if _, err := Histogram([]int{0, 3}, 3); !errors.Is(err, ErrArg) {
		t.Errorf("label 3 of 3 classes: %v", err)
	}
	if _, err := Histogram([]int{-1}, 3); !errors.Is(err, ErrArg) {
		t.Errorf("label −1: %v", err)
	}
	if _, err := Histogram(nil, 0); !errors.Is(err, ErrArg) {
		t.Errorf("0 classes: %v", err)
	}
	for name, counts := range map[string][]int{"empty": nil, "zero": {0, 0}, "negative": {3, -1}} {
		if _, err := KLUniform(counts); !errors.Is(err, ErrArg) {
			t.Errorf("KLUniform(%s): %v, want ErrArg", name, err)
		}
	}
	if _, err := Cover(nil, 10); !errors.Is(err, ErrArg) {
		t.Errorf("Cover of no labels: %v, want ErrArg", err)
	}
}

// FuzzKLUniform checks, for any histogram, that KL(p̂‖U) lies in
// [0, ln K] and equals ln K − H(p̂) computed the other way round, from the
// entropy; both are sums of at most 64 terms below 5 in size, so they agree
// to 1e-12.
func FuzzKLUniform(f *testing.F) {
	f.Add([]byte{1, 2, 3})
	f.Add([]byte{0, 0, 9})
	f.Add([]byte{255})
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 64 {
			raw = raw[:64]
		}
		counts := make([]int, len(raw))
		total := 0
		for i, b := range raw {
			counts[i] = int(b)
			total += int(b)
		}
		kl, err := KLUniform(counts)
		if total == 0 {
			if !errors.Is(err, ErrArg) {
				t.Fatalf("empty histogram %v: %v, want ErrArg", counts, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		k := float64(len(counts))
		h := 0.0
		for _, c := range counts {
			if c > 0 {
				p := float64(c) / float64(total)
				h -= p * math.Log(p)
			}
		}
		if kl < 0 || kl > math.Log(k) || math.Abs(kl-(math.Log(k)-h)) > 1e-12 {
			t.Fatalf("counts %v: KL %v, ln K − H = %v", counts, kl, math.Log(k)-h)
		}
	})
}

// FuzzHistogram checks that counts sum to the number of labels and that
// Modes counts the distinct labels, or that a label out of range is
// refused.
func FuzzHistogram(f *testing.F) {
	f.Add([]byte{1, 1, 2}, 3)
	f.Add([]byte{200}, 10)
	f.Fuzz(func(t *testing.T, raw []byte, classes int) {
		labels := make([]int, len(raw))
		distinct := map[int]bool{}
		bad := classes < 1
		for i, b := range raw {
			labels[i] = int(b) - 8 // some negative labels too
			distinct[labels[i]] = true
			if labels[i] < 0 || labels[i] >= classes {
				bad = true
			}
		}
		if classes > 1<<12 {
			return
		}
		counts, err := Histogram(labels, classes)
		if bad {
			if !errors.Is(err, ErrArg) {
				t.Fatalf("labels %v of %d classes: %v, want ErrArg", labels, classes, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		sum := 0
		for _, c := range counts {
			sum += c
		}
		if sum != len(labels) || Modes(counts) != len(distinct) || len(counts) != classes {
			t.Fatalf("labels %v: counts %v", labels, counts)
		}
	})
}
