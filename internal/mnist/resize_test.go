package mnist

import (
	"errors"
	"math"
	"testing"
)

func TestResizeBlockMeans(t *testing.T) {
	// One 4×4 image, 2 channels; halving gives the 2×2 block means.
	s := &Set{Channels: 2, Height: 4, Width: 4, Classes: 10, Labels: []int{7}, Images: []float32{
		0, 0.5, 1, 1,
		0.5, 1, 1, 1,
		0, 0, 0.25, 0.25,
		0, 0.25, 0.25, 0.25,

		1, 1, 1, 1,
		1, 1, 1, 1,
		1, 1, 1, 1,
		1, 1, 1, 1,
	}}
	r, err := Resize(s, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.5, 1, 0.0625, 0.25, 1, 1, 1, 1}
	for i, w := range want {
		// Means of four float32 values computed in float64: within one
		// float32 rounding.
		if math.Abs(float64(r.Images[i]-w)) > 1e-7 {
			t.Errorf("value %d: %v, want %v", i, r.Images[i], w)
		}
	}
	if r.Labels[0] != 7 || r.Channels != 2 || r.Height != 2 || r.Width != 2 {
		t.Errorf("resized set %+v lost its label or shape", r)
	}
}

func TestResizeFractional(t *testing.T) {
	// A 3-pixel row onto 2: the first output covers [0, 1.5), pixel 0 and
	// half of pixel 1; the second [1.5, 3).
	s := &Set{Channels: 1, Height: 1, Width: 3, Classes: 10, Labels: []int{0}, Images: []float32{0.9, 0.3, 0.6}}
	r, err := Resize(s, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{(0.9 + 0.5*0.3) / 1.5, (0.5*0.3 + 0.6) / 1.5}
	for i, w := range want {
		if math.Abs(float64(r.Images[i])-w) > 1e-7 {
			t.Errorf("value %d: %v, want %v", i, r.Images[i], w)
		}
	}
}

// TestResizeKeepsMeanGrey: area averaging conserves the mean grey level of
// every image, here real digits taken to 8×8 (fractional cells) and 14×14.
// The tolerance covers float32 storage of 64 to 196 values, each within
// 6e-8 relative.
func TestResizeKeepsMeanGrey(t *testing.T) {
	train, _ := mnistSets(t)
	few, err := train.Head(20)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(v []float32) float64 {
		s := 0.0
		for _, x := range v {
			s += float64(x)
		}
		return s / float64(len(v))
	}
	for _, side := range []int{8, 14, 5} {
		r, err := Resize(few, side, side)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Check(); err != nil {
			t.Fatal(err)
		}
		for i := range few.Len() {
			if a, b := mean(few.Image(i)), mean(r.Image(i)); math.Abs(a-b) > 1e-6 {
				t.Errorf("side %d, image %d: mean grey %v, was %v", side, i, b, a)
			}
		}
	}
}

func TestResizeBadInput(t *testing.T) {
	s := constSet(4, 4, []float32{0.5}, []int{1})
	for _, hw := range [][2]int{{0, 2}, {2, 0}, {5, 4}, {4, 5}, {-1, -1}} {
		if _, err := Resize(s, hw[0], hw[1]); !errors.Is(err, ErrArg) {
			t.Errorf("Resize to %v: %v, want ErrArg", hw, err)
		}
	}
	if _, err := Resize(nil, 2, 2); !errors.Is(err, ErrArg) {
		t.Errorf("Resize(nil): %v, want ErrArg", err)
	}
}
