package mixbatch_test

import (
	"math"
	"testing"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

// fuzzPrior builds one of the three priors from fuzzed parameters, or
// reports that the parameters are invalid (which must then be an error,
// not a panic).
func fuzzPrior(t *testing.T, kind uint8, x, y float64) (mixbatch.Prior, bool) {
	switch kind % 3 {
	case 0:
		return mixbatch.Uniform(), true
	case 1:
		p, err := mixbatch.Smoothing(x)
		valid := x >= 0 && x <= 0.5
		if (err == nil) != valid {
			t.Fatalf("Smoothing(%v): %v", x, err)
		}
		return p, valid
	default:
		p, err := mixbatch.Beta(x, y)
		valid := x > 0 && y > 0 && !math.IsInf(x+y, 0)
		if (err == nil) != valid {
			t.Fatalf("Beta(%v, %v): %v", x, y, err)
		}
		return p, valid
	}
}

// FuzzOptimal: any log-densities and prior parameters give an error or a
// D* in [0, 1], never a panic or NaN; finite inputs within MaxLogRatio
// never give an error; and small batches of moderate values agree with
// the brute force (to 1e−9, a loose bound since the fuzzer reaches
// log-densities up to 1e3 where both methods lose a few more digits).
func FuzzOptimal(f *testing.F) {
	f.Add(0.0, 0.0, -1.0, 1.0, uint8(3), uint8(0), 0.2, 1.0)
	f.Add(-1000.0, 1000.0, 1000.0, -1000.0, uint8(200), uint8(1), 0.0, 1.0)
	f.Add(math.Inf(-1), 0.0, 0.0, math.Inf(-1), uint8(5), uint8(2), 0.5, 0.5)
	f.Add(math.NaN(), 0.0, 1.0, 2.0, uint8(1), uint8(1), 0.1, 0.0)
	f.Add(1e12, -1e12, 3.0, 3.0, uint8(7), uint8(2), 1e-300, 1e300)
	f.Add(0.5, -0.25, 1e-300, -1e-300, uint8(255), uint8(1), 0.5, 0.0)
	// Found by fuzzing: nearly all mass on k = B once rounded D* to one
	// ulp above 1.
	f.Add(61.0, 0.0, -4.0, -36.0, uint8('r'), uint8(1), 0.2, -182.0)
	f.Fuzz(func(t *testing.T, l1a, l2a, l1b, l2b float64, n, kind uint8, x, y float64) {
		prior, ok := fuzzPrior(t, kind, x, y)
		if !ok {
			return
		}
		b := 1 + int(n)%64
		l1, l2 := make([]float64, b), make([]float64, b)
		finite := true
		for i := range l1 {
			// Two alternating elements, each nudged so that not all
			// elements are equal.
			a1, a2 := l1a, l2a
			if i%2 == 1 {
				a1, a2 = l1b, l2b
			}
			l1[i], l2[i] = a1+0.125*float64(i), a2
			if math.IsNaN(l1[i]) || math.IsInf(l1[i], 0) || math.IsNaN(l2[i]) || math.IsInf(l2[i], 0) ||
				math.Abs(l1[i]-l2[i]) > mixbatch.MaxLogRatio {
				finite = false
			}
		}
		d, err := mixbatch.Optimal(l1, l2, prior)
		if err != nil {
			if finite {
				t.Fatalf("finite batch %v / %v under %v: %v", l1, l2, prior, err)
			}
			return
		}
		if !(d >= 0 && d <= 1) {
			t.Fatalf("D* = %v for %v / %v under %v", d, l1, l2, prior)
		}
		if b > 10 {
			return
		}
		for i := range l1 {
			if !(math.Abs(l1[i]) <= 1e3 && math.Abs(l2[i]) <= 1e3) {
				return
			}
		}
		want, err := mixbatch.OptimalBruteForce(l1, l2, prior)
		if err != nil {
			t.Fatalf("brute force: %v", err)
		}
		if relErr(d, want) > 1e-9 && math.Abs(d-want) > 1e-300 {
			t.Fatalf("%v / %v under %v: recurrence %.17g, brute force %.17g", l1, l2, prior, d, want)
		}
	})
}

// FuzzKL: KL and its derivative are finite, KL ≥ 0 and |dKL/ds| ≤ 1 for
// every u ∈ [0, 1] and finite s; anything else is an error.
func FuzzKL(f *testing.F) {
	// The last pair was found by fuzzing: the M-BGAN mean of two losses
	// near 1e308 overflowed when summed before scaling.
	for _, c := range [][2]float64{{0, 0}, {1, 800}, {0, -800}, {0.5, 1e308}, {1e-300, -1e308}, {math.NaN(), 0}, {0.5, math.Inf(1)}, {-0.0, 3}, {1.0000000000000002, 0},
		{0.7777777777777778, -1.6666666666666666e+308}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, u, s float64) {
		v, d, err := mixbatch.KL(u, s)
		valid := u >= 0 && u <= 1 && !math.IsNaN(s) && !math.IsInf(s, 0)
		if (err == nil) != valid {
			t.Fatalf("KL(%v, %v): error %v, valid input %v", u, s, err, valid)
		}
		if err != nil {
			return
		}
		if !(v >= 0) || math.IsInf(v, 0) || !(math.Abs(d) <= 1) {
			t.Fatalf("KL(%v, %v) = %v, derivative %v", u, s, v, d)
		}
		for _, r := range []mixbatch.Reduction{mixbatch.BGAN, mixbatch.MBGAN} {
			l, g, err := mixbatch.DiscriminatorLoss([][]float64{{s, s / 2}}, []float64{u}, r)
			if err != nil || !(l >= 0) || math.IsInf(l, 0) || math.IsNaN(g[0][0]) || math.IsNaN(g[0][1]) {
				t.Fatalf("DiscriminatorLoss(%v, %v, %v) = %v, %v, %v", s, u, r, l, g, err)
			}
			l, g, err = mixbatch.GeneratorLoss([][]float64{{s, -s}}, r)
			if err != nil || !(l >= 0) || math.IsInf(l, 0) || math.IsNaN(g[0][0]) {
				t.Fatalf("GeneratorLoss(%v, %v) = %v, %v, %v", s, r, l, g, err)
			}
		}
	})
}

// FuzzPriors: invalid parameters are errors; valid ones give B+1
// log-weights, none NaN or +Inf, normalised (Σ C(B,k) w_k = 1) to within
// 64(B+1)ε times the size of the logarithms they are made of (each
// log-weight sums about B of them), and samples in [0, 1].
func FuzzPriors(f *testing.F) {
	f.Add(uint8(1), 0.2, 1.0, uint16(10), uint64(1))
	f.Add(uint8(1), 0.0, 1.0, uint16(1), uint64(2))
	f.Add(uint8(1), 1e-300, 1.0, uint16(300), uint64(3))
	f.Add(uint8(1), 0.49999999999, 1.0, uint16(40), uint64(4))
	f.Add(uint8(2), 1e-300, 1e-300, uint16(64), uint64(5))
	f.Add(uint8(2), 1e300, 1e-300, uint16(500), uint64(6))
	f.Add(uint8(2), math.NaN(), 1.0, uint16(3), uint64(7))
	f.Add(uint8(0), 0.0, 0.0, uint16(600), uint64(8))
	f.Add(uint8(1), 1e-301, 1e-300, uint16(0), uint64(5)) // found by fuzzing: log γ terms
	f.Fuzz(func(t *testing.T, kind uint8, x, y float64, n uint16, seed uint64) {
		prior, ok := fuzzPrior(t, kind, x, y)
		if !ok {
			return
		}
		b := 1 + int(n)%600
		w, err := prior.LogWeights(b)
		if err != nil || len(w) != b+1 {
			t.Fatalf("%v.LogWeights(%d): %d weights, %v", prior, b, len(w), err)
		}
		tot, top := math.Inf(-1), 0.0
		for k, lw := range w {
			if math.IsNaN(lw) || math.IsInf(lw, 1) {
				t.Fatalf("%v: log w_%d = %v for B = %d", prior, k, lw, b)
			}
			if math.IsInf(lw, -1) {
				continue
			}
			top = max(top, math.Abs(lw))
			v := lw + logBinomial(b, k)
			m := max(tot, v)
			tot = m + math.Log(math.Exp(tot-m)+math.Exp(v-m))
		}
		// The log-weights are differences of sums whose terms have the
		// size of the log-weights themselves or of |log γ|, |log a|,
		// |log b| (log(a+i) for tiny or huge a, log I_γ ≈ k log γ).
		scale := 1 + top
		if kind%3 != 0 && x > 0 {
			scale += math.Abs(math.Log(x))
		}
		if kind%3 == 2 {
			scale += math.Abs(math.Log(y))
		}
		if tol := 64 * float64(b+1) * eps * scale; !(math.Abs(tot) <= tol) {
			t.Fatalf("%v, B = %d: log Σ C(B,k) w_k = %v, tolerance %v", prior, b, tot, tol)
		}
		rng := settest.Rand(seed)
		for range 16 {
			if p := prior.Sample(rng); !(p >= 0 && p <= 1) {
				t.Fatalf("%v sampled %v", prior, p)
			}
		}
	})
}
