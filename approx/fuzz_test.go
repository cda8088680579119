package approx_test

import (
	"errors"
	"math"
	"testing"

	"github.com/symnet/symnet/approx"
)

// FuzzFitShallow fits sin on an arbitrary interval with an arbitrary
// width. Bad intervals and widths must be refused with the package's
// errors, never a panic; a fit that succeeds must keep its promise: the
// error measured on a grid of 2000 points is at most the certified bound.
// Intervals are kept within |t| ≤ 100, where |sin″| ≤ 1 makes Curv = 1 a
// valid bound.
func FuzzFitShallow(f *testing.F) {
	f.Add(-1.0, 1.0, uint8(8))
	f.Add(0.0, 1e-9, uint8(3))
	f.Add(5.0, -5.0, uint8(4))
	f.Add(math.NaN(), 1.0, uint8(2))
	f.Add(-100.0, 100.0, uint8(40))
	f.Fuzz(func(t *testing.T, lo, hi float64, w uint8) {
		width := int(w % 48)
		fn := approx.Func{F: math.Sin, Lo: lo, Hi: hi, Curv: 1}
		s, err := approx.FitShallow(fn, width)
		if err != nil {
			if !errors.Is(err, approx.ErrInterval) && !errors.Is(err, approx.ErrWidth) && !errors.Is(err, approx.ErrNonFinite) {
				t.Fatalf("[%v, %v] width %d: unexpected error %v", lo, hi, width, err)
			}
			return
		}
		if math.Abs(lo) > 100 || math.Abs(hi) > 100 {
			return
		}
		const n = 2000
		for i := 0; i <= n; i++ {
			x := lo + (hi-lo)*float64(i)/n
			if d := math.Abs(s.At(x) - math.Sin(x)); d > s.Bound {
				t.Fatalf("[%v, %v] width %d: error %.3g at %v above the bound %.3g", lo, hi, width, d, x, s.Bound)
			}
		}
	})
}
