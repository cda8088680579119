package mnist

import (
	"sync"
	"testing"
)

// The MNIST files are read once for all tests of the package.
var (
	loadOnce        sync.Once
	mnTrain, mnTest *Set
	loadErr         error
)

func mnistSets(t testing.TB) (train, test *Set) {
	t.Helper()
	loadOnce.Do(func() { mnTrain, mnTest, loadErr = Load("") })
	if loadErr != nil {
		t.Fatalf("loading MNIST: %v", loadErr)
	}
	return mnTrain, mnTest
}

// constSet returns a single-channel set of h×w images, image i filled with
// the value vals[i], labelled labels[i].
func constSet(h, w int, vals []float32, labels []int) *Set {
	s := &Set{Labels: labels, Channels: 1, Height: h, Width: w, Classes: Digits}
	for _, v := range vals {
		for range h * w {
			s.Images = append(s.Images, v)
		}
	}
	return s
}
