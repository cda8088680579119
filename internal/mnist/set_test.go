package mnist

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadKnownImages checks the sizes of the two sets, the first labels of
// each, and pixels of the first training image (a 5). The expected grey
// levels were read from the raw file, independently of this package:
// zcat train-images-idx3-ubyte.gz | od -A d -t u1 -j 16 -N 784 -w28
// (row 5 starts at byte 16 + 5·28).
func TestLoadKnownImages(t *testing.T) {
	train, test := mnistSets(t)
	if train.Len() != 60000 || test.Len() != 10000 {
		t.Fatalf("loaded %d training and %d test images, want 60,000 and 10,000", train.Len(), test.Len())
	}
	for _, s := range []*Set{train, test} {
		if s.Channels != 1 || s.Height != 28 || s.Width != 28 || s.Classes != 10 {
			t.Fatalf("set shape (%d, %d, %d) with %d classes, want (1, 28, 28) with 10", s.Channels, s.Height, s.Width, s.Classes)
		}
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
	}
	// The first labels of both files, as every MNIST reader prints them.
	for name, c := range map[string]struct {
		s    *Set
		want []int
	}{
		"train": {train, []int{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}},
		"test":  {test, []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}},
	} {
		for i, w := range c.want {
			if c.s.Labels[i] != w {
				t.Errorf("%s label %d: %d, want %d", name, i, c.s.Labels[i], w)
			}
		}
	}
	img := train.Image(0)
	for _, px := range []struct{ row, col, grey int }{
		{5, 12, 3}, {5, 16, 126}, {5, 21, 255}, {5, 23, 127}, {0, 0, 0}, {27, 27, 0}, {24, 4, 136},
	} {
		// v/255 in float32 is the exact float32 nearest to it.
		want := float32(px.grey) / 255
		if got := img[px.row*28+px.col]; got != want {
			t.Errorf("training image 0, pixel (%d, %d): %v, want %d/255 = %v", px.row, px.col, got, px.grey, want)
		}
	}
}

func TestDirExplicit(t *testing.T) {
	if d, err := Dir("some/folder"); err != nil || d != "some/folder" {
		t.Errorf("Dir(some/folder) = %q, %v; want it back unchanged", d, err)
	}
	d, err := Dir("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, trainImages)); err != nil {
		t.Errorf("Dir found %s without the training images: %v", d, err)
	}
}

func TestLoadBadFolder(t *testing.T) {
	empty := t.TempDir()
	if _, _, err := Load(empty); !errors.Is(err, ErrData) {
		t.Errorf("Load of an empty folder: %v, want ErrData", err)
	}
	// A folder with the four names but garbage inside.
	bad := t.TempDir()
	for _, f := range []string{trainImages, trainLabels, testImages, testLabels} {
		if err := os.WriteFile(filepath.Join(bad, f), []byte("not gzip"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := Load(bad); !errors.Is(err, ErrData) {
		t.Errorf("Load of garbage files: %v, want ErrData", err)
	}
}

func TestHeadAndCheck(t *testing.T) {
	s := constSet(2, 2, []float32{0, 0.5, 1}, []int{3, 4, 5})
	h, err := s.Head(2)
	if err != nil || h.Len() != 2 || len(h.Images) != 8 || h.Labels[1] != 4 {
		t.Fatalf("Head(2) = %+v, %v", h, err)
	}
	if _, err := s.Head(4); !errors.Is(err, ErrArg) {
		t.Errorf("Head(4) of 3: %v, want ErrArg", err)
	}
	var nilSet *Set
	for name, b := range map[string]*Set{
		"nil":      nilSet,
		"label":    constSet(2, 2, []float32{0}, []int{10}),
		"negative": constSet(2, 2, []float32{0}, []int{-1}),
		"pixel":    constSet(2, 2, []float32{1.5}, []int{1}),
		"ragged":   {Images: make([]float32, 5), Labels: []int{1}, Channels: 1, Height: 2, Width: 2, Classes: 10},
		"shape":    {Channels: 0, Height: 2, Width: 2, Classes: 10},
	} {
		if err := b.Check(); !errors.Is(err, ErrArg) {
			t.Errorf("%s: Check = %v, want ErrArg", name, err)
		}
	}
	nan := constSet(1, 1, []float32{0}, []int{1})
	nan.Images[0] = float32(math.NaN())
	if err := nan.Check(); !errors.Is(err, ErrArg) {
		t.Errorf("NaN pixel: Check = %v, want ErrArg", err)
	}
}
