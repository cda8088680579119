package setlearn

import (
	"math"
	"testing"
)

func TestMeanStd(t *testing.T) {
	for _, c := range []struct {
		xs        []float64
		mean, std float64
	}{
		// 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32,
		// sample variance 32/7.
		{[]float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, math.Sqrt(32.0 / 7)},
		{[]float64{3}, 3, 0},
		{[]float64{1, 1, 1}, 1, 0},
	} {
		m, s := MeanStd(c.xs)
		// Sums of a few small integers are exact up to the last rounding.
		if math.Abs(m-c.mean) > 1e-14 || math.Abs(s-c.std) > 1e-14 {
			t.Errorf("MeanStd(%v) = %v, %v; want %v, %v", c.xs, m, s, c.mean, c.std)
		}
	}
	if m, s := MeanStd(nil); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("MeanStd(nil) = %v, %v; want NaN, NaN", m, s)
	}
}
