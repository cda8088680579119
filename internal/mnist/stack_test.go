package mnist

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// digitSet has ten 2×2 images, image d filled with the grey level d/10 and
// labelled d, so that a channel's value tells which image was drawn.
func digitSet() *Set {
	vals, labels := make([]float32, 10), make([]int, 10)
	for d := range 10 {
		vals[d], labels[d] = float32(d)/10, d
	}
	return constSet(2, 2, vals, labels)
}

// TestStackChannelsMatchLabel: every channel of a stack is one whole image
// of the set, and the label spells the channels' digits, first channel
// leading.
func TestStackChannelsMatchLabel(t *testing.T) {
	s := digitSet()
	st, err := Stack(rand.New(rand.NewPCG(1, 2)), s, 3, 500)
	if err != nil {
		t.Fatal(err)
	}
	if st.Len() != 500 || st.Channels != 3 || st.Height != 2 || st.Width != 2 || st.Classes != 1000 {
		t.Fatalf("stack of shape (%d, %d, %d), %d images, %d classes", st.Channels, st.Height, st.Width, st.Len(), st.Classes)
	}
	if err := st.Check(); err != nil {
		t.Fatal(err)
	}
	for i := range st.Len() {
		img := st.Image(i)
		label := 0
		for c := range 3 {
			plane := img[c*4 : (c+1)*4]
			d := int(plane[0]*10 + 0.5)
			for _, v := range plane {
				if v != s.Image(d)[0] {
					t.Fatalf("stack %d, channel %d: %v is not one image of the set", i, c, plane)
				}
			}
			label = label*10 + d
		}
		if st.Labels[i] != label {
			t.Fatalf("stack %d: label %d, channels spell %d", i, st.Labels[i], label)
		}
	}
}

// TestStackCoversAllClasses: 30,000 stacks of 3 digits drawn uniformly
// reach each of the 1,000 labels with mean 30; the chance that some label
// is missed is below 1000·e^−30 ≈ 1e−10, so a miss means the channels are
// not drawn independently.
func TestStackCoversAllClasses(t *testing.T) {
	st, err := Stack(rand.New(rand.NewPCG(3, 4)), digitSet(), 3, 30000)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Cover(st.Labels, st.Classes)
	if err != nil {
		t.Fatal(err)
	}
	if c.Modes != 1000 {
		t.Errorf("30,000 stacks reached %d of 1,000 labels", c.Modes)
	}
	// KL(p̂‖U) of a uniform multinomial sample has mean (K−1)/(2N) ≈
	// 0.017 and standard deviation √(2(K−1))/(2N) ≈ 0.0007; 0.025 is 10
	// standard deviations above the mean.
	if c.KL > 0.025 {
		t.Errorf("KL to uniform of 30,000 uniform stacks: %v, want about 0.017", c.KL)
	}
}

func TestStackSameSeedSameImages(t *testing.T) {
	s := digitSet()
	a, err1 := Stack(rand.New(rand.NewPCG(5, 6)), s, 3, 50)
	b, err2 := Stack(rand.New(rand.NewPCG(5, 6)), s, 3, 50)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	for i := range a.Images {
		if a.Images[i] != b.Images[i] {
			t.Fatalf("value %d differs between two stacks from one seed", i)
		}
	}
}

func TestSamplerBadInput(t *testing.T) {
	s := digitSet()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, k := range []int{0, -1, MaxStack + 1} {
		if _, err := NewSampler(s, k); !errors.Is(err, ErrArg) {
			t.Errorf("NewSampler(k = %d): %v, want ErrArg", k, err)
		}
	}
	multi, err := Stack(rng, s, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSampler(multi, 3); !errors.Is(err, ErrArg) {
		t.Errorf("stacking stacks: %v, want ErrArg", err)
	}
	empty := &Set{Channels: 1, Height: 2, Width: 2, Classes: 10}
	if _, err := NewSampler(empty, 1); !errors.Is(err, ErrArg) {
		t.Errorf("sampling an empty set: %v, want ErrArg", err)
	}
	p, err := NewSampler(s, 3)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float64, 2*p.Size())
	for name, call := range map[string]func() error{
		"ragged": func() error { return p.SampleTo(rng, dst[:p.Size()+1]) },
		"labels": func() error { return p.LabelledTo(rng, dst, make([]int, 3)) },
		"rng":    func() error { return p.SampleTo(nil, dst) },
		"count":  func() error { _, err := Stack(rng, s, 3, -1); return err },
	} {
		if err := call(); !errors.Is(err, ErrArg) {
			t.Errorf("%s: %v, want ErrArg", name, err)
		}
	}
	// A refused call leaves dst as it was.
	for i, v := range dst {
		if v != 0 {
			t.Fatalf("refused SampleTo wrote %v at %d", v, i)
		}
	}
}
