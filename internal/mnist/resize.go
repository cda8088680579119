package mnist

import (
	"fmt"
	"math"
)

// Resize returns s scaled down to height×width by area averaging: each
// output pixel is the mean of the input over the rectangle it covers,
// input pixels cut by the rectangle's edge counting in proportion to the
// part inside. Ink is conserved in the sense that the mean grey level of an
// image does not change. Sizes that divide evenly (28 → 14, 28 → 7) reduce
// to plain k×k block means; others (28 → 8) blend neighbouring pixels.
// Enlarging is refused: it would only repeat pixels.
func Resize(s *Set, height, width int) (*Set, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if height < 1 || width < 1 || height > s.Height || width > s.Width {
		return nil, fmt.Errorf("%w: resize %d×%d images to %d×%d (want 1 ≤ size ≤ the original)", ErrArg, s.Height, s.Width, height, width)
	}
	rows, cols := areaWeights(s.Height, height), areaWeights(s.Width, width)
	out := &Set{
		Images:   make([]float32, s.Len()*s.Channels*height*width),
		Labels:   append([]int(nil), s.Labels...),
		Channels: s.Channels, Height: height, Width: width,
		Classes: s.Classes,
	}
	tmp := make([]float64, height*s.Width) // rows reduced, columns not yet
	inPlane, outPlane := s.Height*s.Width, height*width
	for p := 0; p < s.Len()*s.Channels; p++ {
		src := s.Images[p*inPlane : (p+1)*inPlane]
		dst := out.Images[p*outPlane : (p+1)*outPlane]
		clear(tmp)
		for i, ws := range rows {
			t := tmp[i*s.Width : (i+1)*s.Width]
			for _, w := range ws {
				for c, v := range src[w.at*s.Width : (w.at+1)*s.Width] {
					t[c] += w.w * float64(v)
				}
			}
		}
		for i := range height {
			t := tmp[i*s.Width : (i+1)*s.Width]
			for j, ws := range cols {
				sum := 0.0
				for _, w := range ws {
					sum += w.w * t[w.at]
				}
				// The weights sum to 1 only up to rounding: keep the
				// result in [0, 1].
				dst[i*width+j] = float32(math.Min(1, math.Max(0, sum)))
			}
		}
	}
	return out, nil
}

// weight is the share w of input index at in one output index.
type weight struct {
	at int
	w  float64
}

// areaWeights returns, for each of m output indices, the input indices of
// 0..n−1 that its interval [i·n/m, (i+1)·n/m) overlaps and their shares,
// which sum to 1.
func areaWeights(n, m int) [][]weight {
	out := make([][]weight, m)
	scale := float64(n) / float64(m)
	for i := range out {
		lo, hi := float64(i)*scale, float64(i+1)*scale
		for j := int(math.Floor(lo)); j < n && float64(j) < hi; j++ {
			overlap := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
			if overlap > 1e-12 {
				out[i] = append(out[i], weight{at: j, w: overlap / scale})
			}
		}
	}
	return out
}
