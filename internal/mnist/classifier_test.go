package mnist

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// A small classifier on 8×8 digits, trained once for the tests below: two
// epochs over 10,000 images take a few seconds.
var (
	clsOnce  sync.Once
	cls      *Classifier
	cls8Test *Set
	clsErr   error
)

func smallClassifier(t *testing.T) (*Classifier, *Set) {
	t.Helper()
	train, test := mnistSets(t)
	clsOnce.Do(func() {
		var tr *Set
		if tr, clsErr = train.Head(10000); clsErr != nil {
			return
		}
		if tr, clsErr = Resize(tr, 8, 8); clsErr != nil {
			return
		}
		if cls8Test, clsErr = Resize(test, 8, 8); clsErr != nil {
			return
		}
		cls, clsErr = TrainClassifier(tr, ClassifierConfig{Epochs: 2, BatchSize: 64, Seed: 1})
	})
	if clsErr != nil {
		t.Fatal(clsErr)
	}
	return cls, cls8Test
}

// TestClassifierLearns: on 8×8 digits, after two epochs over 10,000 images,
// the classifier reads most of the 10,000 test digits right. Chance is
// 10%; the runs tried reach about 90%, and 80% leaves room for another
// seed or BLAS rounding while still failing any classifier that does not
// learn.
func TestClassifierLearns(t *testing.T) {
	c, test := smallClassifier(t)
	acc, err := c.Accuracy(test)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test accuracy %.4f", acc)
	if acc < 0.8 {
		t.Errorf("test accuracy %.4f, want ≥ 0.80", acc)
	}
	if h, w := c.Shape(); h != 8 || w != 8 {
		t.Errorf("Shape = %d×%d, want 8×8", h, w)
	}
}

// TestClassifierLabelsStacks: a stack's label is exactly the number spelt
// by the digits the classifier reads in its channels one by one, whether
// the stack comes as a Set or as float64 values.
func TestClassifierLabelsStacks(t *testing.T) {
	c, test := smallClassifier(t)
	few, err := test.Head(300)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Stack(rand.New(rand.NewPCG(7, 8)), few, 3, 400)
	if err != nil {
		t.Fatal(err)
	}
	stacked, err := c.LabelSet(st)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, len(st.Images))
	for i, v := range st.Images {
		vals[i] = float64(v)
	}
	fromValues, err := c.Label(vals, 3)
	if err != nil {
		t.Fatal(err)
	}
	// The channels as 1,200 single-channel images.
	planes := &Set{Images: st.Images, Labels: make([]int, 3*st.Len()), Channels: 1, Height: 8, Width: 8, Classes: 10}
	digits, err := c.LabelSet(planes)
	if err != nil {
		t.Fatal(err)
	}
	for i := range st.Len() {
		want := 100*digits[3*i] + 10*digits[3*i+1] + digits[3*i+2]
		if stacked[i] != want || fromValues[i] != want {
			t.Fatalf("stack %d: labels %d (set) and %d (values), channels read %v", i, stacked[i], fromValues[i], digits[3*i:3*i+3])
		}
	}
}

func TestClassifierBadInput(t *testing.T) {
	c, test := smallClassifier(t)
	for name, call := range map[string]func() error{
		"ragged":   func() error { _, err := c.Label(make([]float64, 65), 1); return err },
		"channels": func() error { _, err := c.Label(make([]float64, 64), 0); return err },
		"NaN":      func() error { _, err := c.Label(append(make([]float64, 63), math.NaN()), 1); return err },
		"size": func() error {
			_, err := c.LabelSet(constSet(4, 4, []float32{0}, []int{0}))
			return err
		},
		"accuracy of stacks": func() error {
			st, err := Stack(rand.New(rand.NewPCG(1, 1)), test, 2, 3)
			if err != nil {
				return err
			}
			_, err = c.Accuracy(st)
			return err
		},
		"train on stacks": func() error {
			st, err := Stack(rand.New(rand.NewPCG(1, 1)), test, 2, 200)
			if err != nil {
				return err
			}
			_, err = TrainClassifier(st, ClassifierConfig{})
			return err
		},
		"too few": func() error {
			few, err := test.Head(10)
			if err != nil {
				return err
			}
			_, err = TrainClassifier(few, ClassifierConfig{})
			return err
		},
		"lr": func() error {
			_, err := TrainClassifier(test, ClassifierConfig{LR: math.Inf(1)})
			return err
		},
	} {
		if err := call(); !errors.Is(err, ErrArg) {
			t.Errorf("%s: %v, want ErrArg", name, err)
		}
	}
}
