package mixbatch

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestLogIncBetaCF checks the log-space continued fraction against gonum's
// RegIncBeta where both are representable (values from 1e−250 to 1e−3, in
// the lower tail where the fraction is used). Both are accurate to a few
// hundred ε relative there, so 1e−11 separates agreement from any error in
// the coefficients, which shows up at O(1).
func TestLogIncBetaCF(t *testing.T) {
	worst := 0.0
	for _, a := range []float64{1, 2, 7.5, 40, 300, 2049, 4000} {
		for _, b := range []float64{1, 3, 50, 1000, 2048, 4096} {
			for _, x := range []float64{1e-6, 0.001, 0.01, 0.05, 0.2, 0.4} {
				if x >= (a+1)/(a+b+2) {
					continue
				}
				want := mathext.RegIncBeta(a, b, x)
				if want < 1e-250 || want > 1e-3 {
					continue
				}
				got := math.Exp(logIncBetaCF(a, b, x))
				e := math.Abs(got-want) / want
				worst = max(worst, e)
				if e > 1e-11 {
					t.Errorf("I_%v(%v, %v): continued fraction %.17g, gonum %.17g (rel %.2g)", x, a, b, got, want, e)
				}
			}
		}
	}
	t.Logf("largest relative difference from gonum: %.2g", worst)
}

// TestExpNeg checks the split e^−t = μ·2^η against math.Exp where that is
// representable and against the identity e^−(t+u) = e^−t e^−u beyond it.
func TestExpNeg(t *testing.T) {
	for _, v := range []float64{0, 1e-300, 0.3, 1, 20, 699.9, 700, 700.1, 744} {
		mu, eta := expNeg(v)
		got := math.Ldexp(mu, int(eta))
		if e := math.Abs(got-math.Exp(-v)) / math.Exp(-v); e > 4e-16 {
			t.Errorf("expNeg(%v) = %v·2^%d = %v, want %v", v, mu, eta, got, math.Exp(-v))
		}
	}
	// Beyond the float64 range: e^−(t) for t = 1000 + 0.5 equals
	// e^−1000 · e^−0.5; compare mantissas after aligning exponents.
	for _, v := range []float64{800, 1000, 12345.678, 1e6, 1e12} {
		mu, eta := expNeg(v + 0.5)
		mu0, eta0 := expNeg(v)
		ratio := math.Ldexp(mu/mu0, int(eta-eta0))
		// t·ε relative error from rounding v + 0.5 itself.
		tol := 8e-16 + 2*v*0x1p-52
		if e := math.Abs(ratio-math.Exp(-0.5)) / math.Exp(-0.5); e > tol {
			t.Errorf("expNeg(%v)/expNeg(%v) = %v, want e^-0.5 = %v", v+0.5, v, ratio, math.Exp(-0.5))
		}
	}
	if mu, eta := expNeg(math.Inf(1)); mu != 0 || eta != zeroExp {
		t.Errorf("expNeg(+Inf) = %v, %v", mu, eta)
	}
}

func TestPow2(t *testing.T) {
	for _, d := range []int64{0, -1, -52, -1022} {
		if got, want := pow2(d), math.Ldexp(1, int(d)); got != want {
			t.Errorf("pow2(%d) = %v, want %v", d, got, want)
		}
	}
	for _, d := range []int64{-1023, -5000, zeroExp} {
		if got := pow2(d); got != 0 {
			t.Errorf("pow2(%d) = %v, want 0", d, got)
		}
	}
}

// logSpaceMean is a slow reference for posteriorMean: the same recurrence
// E_k ← E_k p2(y_j) + E_{k−1} p1(y_j) run on log E_k with one log-add-exp
// per update, from the raw log-densities. It has no exponent bookkeeping
// to get wrong, at the price of an absolute log error that grows like
// B·ε·max|log E_k|.
func logSpaceMean(l1, l2, logw []float64) float64 {
	n := len(l1)
	le := make([]float64, n+1)
	for k := range le {
		le[k] = math.Inf(-1)
	}
	le[0] = 0
	for j := range l1 {
		for k := j + 1; k >= 1; k-- {
			le[k] = logAddExp(le[k]+l2[j], le[k-1]+l1[j])
		}
		le[0] += l2[j]
	}
	top := math.Inf(-1)
	for k := range le {
		top = max(top, le[k]+logw[k])
	}
	var num, den float64
	for k := range le {
		t := math.Exp(le[k] + logw[k] - top)
		num += float64(k) * t
		den += t
	}
	return num / (float64(n) * den)
}

// TestPosteriorMeanLargeBatch compares the extended-range recurrence with
// the log-space reference at B = 4096, where the coefficients span far
// beyond the float64 range: gaps uniform in ±1000, gaps that are exact
// multiples of ln 2 (mantissas of exactly 1/2, the case that drives
// mantissas to the edge of their window), and a block structure that
// mixes ties, huge gaps and moderate ones. The reference's own error is
// about B·ε·max|log E_k| ≈ 4096 · 2.2e−16 · 4e6 in log E_k before
// normalisation, most of which cancels in the ratio; 1e−9 relative is far
// above what either method gets wrong (about 1e−13 measured) and far below
// any real defect, which shows at O(1).
func TestPosteriorMeanLargeBatch(t *testing.T) {
	const b = 4096
	rng := rand.New(rand.NewPCG(41, 42))
	gen := []func(i int) float64{
		func(int) float64 { return 1000 * (2*rng.Float64() - 1) },
		func(int) float64 { return float64(rng.IntN(2001)-1000) * math.Ln2 },
		func(i int) float64 {
			switch (i / 512) % 4 {
			case 0:
				return 0
			case 1:
				return 1000
			case 2:
				return -1000 + rng.NormFloat64()
			}
			return 3 * rng.NormFloat64()
		},
	}
	logw := uniformLogWeights(b)
	for g, f := range gen {
		l1 := make([]float64, b)
		l2 := make([]float64, b)
		r := make([]float64, b)
		for i := range l1 {
			l1[i] = f(i)
			l2[i] = -0.5 * rng.Float64() // arbitrary common offsets
			r[i] = l1[i] - l2[i]
		}
		slices.Sort(r)
		got, err := posteriorMean(r, logw)
		if err != nil {
			t.Fatal(err)
		}
		want := logSpaceMean(l1, l2, logw)
		if e := math.Abs(got-want) / want; !(e <= 1e-9) {
			t.Errorf("generator %d: recurrence %.17g, log-space reference %.17g (rel %.2g)", g, got, want, e)
		}
	}
}

// TestExactOpViewsAndScalars: the elementwise op must read a strided view
// by its shape, not by its backing array, and accept a scalar-shaped
// tensor.
func TestExactOpViewsAndScalars(t *testing.T) {
	base := tensor.New(tensor.WithShape(3, 4), tensor.WithBacking([]float64{
		0, 1, 2, 3,
		4, 5, 6, 7,
		8, 9, 10, 11,
	}))
	view, err := base.Slice(nil, gorgonia.S(1, 3)) // columns 1 and 2: (3, 2)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exactOp{kind: opSoftplus}.Do(view)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Data().([]float64)
	want := []float64{1, 2, 5, 6, 9, 10}
	if len(got) != len(want) {
		t.Fatalf("softplus of a (3, 2) view has %d values", len(got))
	}
	for i, x := range want {
		if got[i] != softplus(x) {
			t.Errorf("softplus of view entry %d = %v, want softplus(%v) = %v", i, got[i], x, softplus(x))
		}
	}
	scalar := tensor.New(tensor.FromScalar(float32(-3)))
	out, err = exactOp{kind: opSigmoid}.Do(scalar)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := out.Data().(float32); !ok || v != float32(sigmoid(-3)) {
		t.Errorf("sigmoid of a scalar tensor = %v (%T), want float32 %v", out.Data(), out.Data(), float32(sigmoid(-3)))
	}
}
