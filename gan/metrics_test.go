package gan_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/symnet/symnet/gan"
)

// at returns n copies of the point (x, y).
func at(n int, x, y float64) []float64 {
	out := make([]float64, 0, 2*n)
	for i := 0; i < n; i++ {
		out = append(out, x, y)
	}
	return out
}

// The metrics are counts and one entropy of a histogram with at most 25
// bins; 1e-12 covers the rounding of ln K − H(p̂).
const metricTol = 1e-12

func TestMeasureHandBuilt(t *testing.T) {
	ring := gan.MixupRing()
	var all []float64
	for _, mu := range ring.Means {
		all = append(all, at(10, mu[0]+0.02, mu[1])...) // 2 std off: high quality
	}
	c, err := gan.Measure(ring, all)
	if err != nil {
		t.Fatal(err)
	}
	if c.Modes != 8 || c.HighQuality != 1 || math.Abs(c.ReverseKL) > metricTol || c.Samples != 80 {
		t.Errorf("all modes evenly: %+v", c)
	}

	one := at(50, ring.Means[3][0], ring.Means[3][1])
	c, _ = gan.Measure(ring, one)
	if c.Modes != 1 || c.HighQuality != 1 || math.Abs(c.ReverseKL-math.Log(8)) > metricTol || c.Counts[3] != 50 {
		t.Errorf("one mode: %+v", c)
	}

	// Two modes, 30 and 10 samples, plus 40 samples at the origin, far
	// (100 std) from every mode.
	mixed := append(at(30, 1, 0), at(10, 0, 1)...)
	mixed = append(mixed, at(40, 0, 0)...)
	c, _ = gan.Measure(ring, mixed)
	h := -(0.75*math.Log(0.75) + 0.25*math.Log(0.25))
	if c.Modes != 2 || math.Abs(c.HighQuality-0.5) > metricTol || math.Abs(c.ReverseKL-(math.Log(8)-h)) > metricTol {
		t.Errorf("two uneven modes and off-mode samples: %+v", c)
	}

	// Just outside 3 std is not high quality; just inside is.
	edge := append(at(1, 1+3.01*ring.Std, 0), at(1, 1+2.99*ring.Std, 0)...)
	c, _ = gan.Measure(ring, edge)
	if c.HighQuality != 0.5 || c.Modes != 1 {
		t.Errorf("3-std boundary: %+v", c)
	}

	c, _ = gan.Measure(ring, at(5, 0, 0))
	if c.Modes != 0 || c.HighQuality != 0 || c.ReverseKL != math.Log(8) {
		t.Errorf("no high-quality sample: %+v (want ReverseKL = ln 8)", c)
	}
}

func TestMeasureBadInput(t *testing.T) {
	ring := gan.MixupRing()
	for _, s := range [][]float64{nil, {1}, {1, math.NaN()}, {math.Inf(1), 0}} {
		if _, err := gan.Measure(ring, s); !errors.Is(err, gan.ErrSamples) {
			t.Errorf("Measure(%v): got %v, want ErrSamples", s, err)
		}
	}
	if _, err := gan.Measure(gan.Mixture{Std: 1}, []float64{0, 0}); !errors.Is(err, gan.ErrConfig) {
		t.Errorf("Measure on a mixture without modes: got %v", err)
	}
}

// TestPropertyMeasureInvariant: the metrics depend on the set of samples,
// not on their order.
func TestPropertyMeasureInvariant(t *testing.T) {
	params := gopter.DefaultTestParametersWithSeed(4)
	params.MinSuccessfulTests = 300
	props := gopter.NewProperties(params)
	grid := gan.MixupGrid()
	props.Property("Measure is invariant to permutations of the samples", prop.ForAll(
		func(idx []int, jitter []float64, seed uint64) bool {
			n := min(len(idx), len(jitter))
			if n == 0 {
				return true
			}
			s := make([]float64, 0, 2*n)
			for i := 0; i < n; i++ {
				mu := grid.Means[idx[i]%grid.K()]
				s = append(s, mu[0]+jitter[i], mu[1]-jitter[i]/2)
			}
			perm := make([]float64, len(s))
			for i, j := range rand.New(rand.NewPCG(seed, 1)).Perm(n) {
				copy(perm[2*i:2*i+2], s[2*j:2*j+2])
			}
			a, err1 := gan.Measure(grid, s)
			b, err2 := gan.Measure(grid, perm)
			return err1 == nil && err2 == nil && a.Modes == b.Modes && a.HighQuality == b.HighQuality &&
				math.Abs(a.ReverseKL-b.ReverseKL) <= metricTol
		},
		gen.SliceOf(gen.IntRange(0, 24)), gen.SliceOf(gen.Float64Range(-0.05, 0.05)), gen.UInt64(),
	))
	props.TestingRun(t)
}

// FuzzMeasure: arbitrary samples give an error or metrics in range.
func FuzzMeasure(f *testing.F) {
	f.Add(0.0, 1.0, 1.0, 0.0)
	f.Add(math.NaN(), 0.0, 1e308, -1e308)
	f.Fuzz(func(t *testing.T, a, b, c, d float64) {
		ring := gan.MixupRing()
		cov, err := gan.Measure(ring, []float64{a, b, c, d})
		if err != nil {
			if !errors.Is(err, gan.ErrSamples) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if cov.HighQuality < 0 || cov.HighQuality > 1 || cov.Modes < 0 || cov.Modes > 2 ||
			!(cov.ReverseKL >= 0 && cov.ReverseKL <= math.Log(8)+metricTol) {
			t.Fatalf("metrics out of range: %+v", cov)
		}
	})
}
