package mixbatch_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

// klDirect is Eq. 3 as printed, u log(u/v) + (1−u) log((1−u)/(1−v)) with
// 0 log 0 = 0, v = σ(s) and 1 − v = σ(−s) (each computed directly, so
// that 1 − v keeps its relative precision for large s).
func klDirect(u, s float64) float64 {
	var k float64
	if u > 0 {
		k += u * math.Log(u/sigmoid(s))
	}
	if u < 1 {
		k += (1 - u) * math.Log((1-u)/sigmoid(-s))
	}
	return k
}

func logit(u float64) float64 { return math.Log(u) - math.Log1p(-u) }

// TestKLMatchesDefinition compares the softplus form with Eq. 3 on logits
// up to ±20, where the direct form loses at most a few ulps of log terms
// of size up to 20: 1e−13 absolute covers that.
func TestKLMatchesDefinition(t *testing.T) {
	for _, u := range []float64{0, 1e-9, 0.1, 0.5, 0.73, 1 - 1e-9, 1} {
		for _, s := range []float64{-20, -3, -0.5, 0, 1e-8, 0.9, 4, 20} {
			got, d, err := mixbatch.KL(u, s)
			if err != nil {
				t.Fatal(err)
			}
			if want := klDirect(u, s); math.Abs(got-want) > 1e-13 {
				t.Errorf("KL(%v, %v) = %.17g, Eq. 3 gives %.17g", u, s, got, want)
			}
			if want := sigmoid(s) - u; math.Abs(d-want) > 1e-16 {
				t.Errorf("dKL/ds(%v, %v) = %.17g, want σ(s) − u = %.17g", u, s, d, want)
			}
		}
	}
	// Far out, where log(1 − σ(s)) would be −Inf: KL(0, s) = softplus(s) =
	// s + log1p(e^−s) and KL(1, s) = softplus(−s).
	for _, s := range []float64{40, 800, 1e300} {
		if got, _, _ := mixbatch.KL(0, s); relErr(got, s+math.Log1p(math.Exp(-s))) > eps {
			t.Errorf("KL(0, %v) = %v, want softplus(%v)", s, got, s)
		}
		if got, _, _ := mixbatch.KL(1, -s); relErr(got, s+math.Log1p(math.Exp(-s))) > eps {
			t.Errorf("KL(1, %v) = %v, want softplus(%v)", -s, got, s)
		}
	}
}

// TestEntropy: H(u) at the ends and the middle, and symmetry.
func TestEntropy(t *testing.T) {
	for _, c := range []struct{ u, want float64 }{{0, 0}, {1, 0}, {0.5, math.Ln2}, {0.25, -0.25*math.Log(0.25) - 0.75*math.Log(0.75)}} {
		got, err := mixbatch.Entropy(c.u)
		if err != nil || math.Abs(got-c.want) > 2*eps {
			t.Errorf("Entropy(%v) = %v, %v; want %v", c.u, got, err, c.want)
		}
	}
	for _, u := range []float64{-1e-300, 1.0000001, math.NaN(), math.Inf(1)} {
		if _, err := mixbatch.Entropy(u); !errors.Is(err, mixbatch.ErrTarget) {
			t.Errorf("Entropy(%v): %v, want ErrTarget", u, err)
		}
	}
}

// TestPropertyKL: KL ≥ 0 everywhere, 0 at σ(s) = u, and no logit does
// better than logit(u). The minimum is found by cancellation of terms of
// size |log u| + |s| ≤ 40, so KL at the optimum is within 64ε·40 ≈ 6e−13 of
// zero, and a value below the optimum by more than that would be an error.
func TestPropertyKL(t *testing.T) {
	props := gopter.NewProperties(propertyParams(2000))
	props.Property("KL(u, s) ≥ 0", prop.ForAll(
		func(u, s float64) bool {
			v, _, err := mixbatch.KL(u, s)
			return err == nil && v >= 0 && !math.IsInf(v, 0)
		},
		gen.Float64Range(0, 1), gen.Float64Range(-1e3, 1e3),
	))
	props.Property("KL(u, logit u) = 0 and KL(u, s) ≥ KL(u, logit u)", prop.ForAll(
		func(u, s float64) bool {
			opt, dopt, err := mixbatch.KL(u, logit(u))
			if err != nil {
				return false
			}
			v, _, err := mixbatch.KL(u, s)
			tol := 64 * eps * (math.Abs(logit(u)) + 1)
			return err == nil && opt <= tol && math.Abs(dopt) <= 4*eps && v >= opt-tol
		},
		gen.Float64Range(1e-6, 1-1e-6), gen.Float64Range(-30, 30),
	))
	// Strict: moving the logit by δ from the optimum costs about
	// σ'(s*)·δ²/2 = u(1−u)δ²/2 (the second derivative is σ(1−σ)); at
	// δ ≥ 1e−3 and u(1−u) ≥ 1e−3 that is at least 5e−10, far above
	// rounding, and it must be at least half the quadratic estimate
	// (the loss is convex in s, its curvature varying by at most a factor
	// e^|δ| across [s*, s*+δ]).
	props.Property("KL grows away from the optimum", prop.ForAll(
		func(u, delta float64) bool {
			s := logit(u) + delta
			v, _, err := mixbatch.KL(u, s)
			quad := u * (1 - u) * delta * delta / 2
			return err == nil && v >= quad*math.Exp(-math.Abs(delta))/2
		},
		gen.Float64Range(0.001, 0.999), gen.OneGenOf(gen.Float64Range(1e-3, 3), gen.Float64Range(-3, -1e-3)),
	))
	props.TestingRun(t)
}

// TestKLDerivative checks dKL/ds against central differences with step
// h = 1e−5: truncation error h²/6·|KL”'| ≤ 2e−11 and rounding error
// ε·|KL|/h ≤ 1e−9 for |KL| ≤ 40, so 5e−9 separates them from any wrong
// derivative.
func TestKLDerivative(t *testing.T) {
	const h = 1e-5
	rng := settest.Rand(3)
	worst := 0.0
	for i := 0; i < 500; i++ {
		u := rng.Float64()
		if i%10 == 0 {
			u = float64(i / 10 % 2) // the end points 0 and 1
		}
		s := 40 * (2*rng.Float64() - 1)
		_, d, err := mixbatch.KL(u, s)
		if err != nil {
			t.Fatal(err)
		}
		fp, _, _ := mixbatch.KL(u, s+h)
		fm, _, _ := mixbatch.KL(u, s-h)
		num := (fp - fm) / (2 * h)
		worst = max(worst, math.Abs(num-d))
		if math.Abs(num-d) > 5e-9 {
			t.Errorf("KL'(%v, %v) = %.12g, central difference %.12g", u, s, d, num)
		}
	}
	t.Logf("largest |analytic − central difference|: %.2g", worst)
}

// randomSets returns n sets of logits with sizes in [1, maxB] and targets
// in [0, 1], including exact 0 and 1.
func randomSets(seed uint64, n, maxB int, scale float64) ([][]float64, []float64) {
	rng := settest.Rand(seed)
	logits := make([][]float64, n)
	targets := make([]float64, n)
	for i := range logits {
		logits[i] = make([]float64, 1+rng.IntN(maxB))
		for j := range logits[i] {
			logits[i][j] = scale * rng.NormFloat64()
		}
		switch rng.IntN(5) {
		case 0:
			targets[i] = 0
		case 1:
			targets[i] = 1
		default:
			targets[i] = rng.Float64()
		}
	}
	return logits, targets
}

// TestLossReductionsDefinition spells out Eq. 13 (BGAN: the loss of the
// mean logit) and Eq. 14 (M-BGAN: the mean of the per-element losses),
// averaged over sets, for the discriminator's KL loss and the generator's
// softplus(−s), and compares. Sums of at most 8 terms of size ≤ 20: 1e−13.
func TestLossReductionsDefinition(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		logits, targets := randomSets(seed, 1+int(seed%5), 8, 3)
		var wantD, wantMD, wantG, wantMG float64
		for n, set := range logits {
			m := mean(set)
			wantD += klDirect(targets[n], m)
			wantG += math.Log1p(math.Exp(-m))
			var d, g float64
			for _, s := range set {
				d += klDirect(targets[n], s)
				g += math.Log1p(math.Exp(-s))
			}
			wantMD += d / float64(len(set))
			wantMG += g / float64(len(set))
		}
		nf := float64(len(logits))
		for _, c := range []struct {
			name string
			r    mixbatch.Reduction
			disc bool
			want float64
		}{
			{"D, BGAN", mixbatch.BGAN, true, wantD / nf},
			{"D, MBGAN", mixbatch.MBGAN, true, wantMD / nf},
			{"G, BGAN", mixbatch.BGAN, false, wantG / nf},
			{"G, MBGAN", mixbatch.MBGAN, false, wantMG / nf},
		} {
			var got float64
			var err error
			if c.disc {
				got, _, err = mixbatch.DiscriminatorLoss(logits, targets, c.r)
			} else {
				got, _, err = mixbatch.GeneratorLoss(logits, c.r)
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-c.want) > 1e-13 {
				t.Errorf("seed %d, %s: loss %.17g, definition %.17g", seed, c.name, got, c.want)
			}
		}
	}
}

// TestLossGradients compares the gradients of DiscriminatorLoss and
// GeneratorLoss with central differences (h = 1e−5; the losses are
// O(10), so the rounding error is about 1e−10 and truncation below
// 1e−11: 1e−8 is a safe bound).
func TestLossGradients(t *testing.T) {
	const h = 1e-5
	for seed := uint64(0); seed < 20; seed++ {
		logits, targets := randomSets(seed+100, 3, 6, 4)
		for _, r := range []mixbatch.Reduction{mixbatch.BGAN, mixbatch.MBGAN} {
			for _, disc := range []bool{true, false} {
				f := func() (float64, [][]float64) {
					var v float64
					var g [][]float64
					var err error
					if disc {
						v, g, err = mixbatch.DiscriminatorLoss(logits, targets, r)
					} else {
						v, g, err = mixbatch.GeneratorLoss(logits, r)
					}
					if err != nil {
						t.Fatal(err)
					}
					return v, g
				}
				_, grad := f()
				for n := range logits {
					for b := range logits[n] {
						orig := logits[n][b]
						logits[n][b] = orig + h
						fp, _ := f()
						logits[n][b] = orig - h
						fm, _ := f()
						logits[n][b] = orig
						if num := (fp - fm) / (2 * h); math.Abs(num-grad[n][b]) > 1e-8 {
							t.Errorf("seed %d, %v, discriminator %v: ∂L/∂o[%d][%d] = %.12g, central difference %.12g", seed, r, disc, n, b, grad[n][b], num)
						}
					}
				}
			}
		}
	}
}

// TestPropertyLossPermutation (gopter): permuting the elements of every
// set leaves both losses unchanged and permutes the gradient the same
// way, for both reductions; permuting the sets together with their
// targets changes nothing either. The sums change order, so values move
// by a few ulps of sums of at most 10 terms of size ≤ 50: 1e−12.
// Jensen's inequality gives a third property: KL and softplus(−s) are
// convex in s, so the M-BGAN loss is never below the BGAN loss.
func TestPropertyLossPermutation(t *testing.T) {
	props := gopter.NewProperties(propertyParams(1000))
	type lossFn func(logits [][]float64, targets []float64, r mixbatch.Reduction) (float64, [][]float64, error)
	fns := []lossFn{
		mixbatch.DiscriminatorLoss,
		func(l [][]float64, _ []float64, r mixbatch.Reduction) (float64, [][]float64, error) {
			return mixbatch.GeneratorLoss(l, r)
		},
	}
	const tol = 1e-12
	props.Property("losses invariant, gradients equivariant under permutations within sets and of sets", prop.ForAll(
		func(seed uint64, n, which int, mb bool) bool {
			r := mixbatch.BGAN
			if mb {
				r = mixbatch.MBGAN
			}
			logits, targets := randomSets(seed, n, 10, 5)
			v, g, err := fns[which](logits, targets, r)
			if err != nil {
				return false
			}
			rng := settest.Rand(seed + 1)
			setPerm := rng.Perm(n)
			pl := make([][]float64, n)
			pt := make([]float64, n)
			elemPerms := make([][]int, n)
			for i, src := range setPerm {
				elemPerms[i] = rng.Perm(len(logits[src]))
				pl[i] = make([]float64, len(logits[src]))
				for j, k := range elemPerms[i] {
					pl[i][j] = logits[src][k]
				}
				pt[i] = targets[src]
			}
			pv, pg, err := fns[which](pl, pt, r)
			if err != nil || math.Abs(pv-v) > tol*math.Max(1, math.Abs(v)) {
				return false
			}
			for i, src := range setPerm {
				for j, k := range elemPerms[i] {
					if math.Abs(pg[i][j]-g[src][k]) > tol {
						return false
					}
				}
			}
			return true
		},
		gen.UInt64(), gen.IntRange(1, 6), gen.IntRange(0, 1), gen.Bool(),
	))
	props.Property("M-BGAN loss ≥ BGAN loss (Jensen)", prop.ForAll(
		func(seed uint64, n, which int) bool {
			logits, targets := randomSets(seed, n, 10, 5)
			b, _, err1 := fns[which](logits, targets, mixbatch.BGAN)
			m, _, err2 := fns[which](logits, targets, mixbatch.MBGAN)
			return err1 == nil && err2 == nil && m >= b-tol*math.Max(1, b)
		},
		gen.UInt64(), gen.IntRange(1, 6), gen.IntRange(0, 1),
	))
	props.TestingRun(t)
}

// TestLossSingleElementSets: with one logit per set the two reductions
// agree exactly, and the discriminator loss is the mean KL of the sets
// (to 2ε: the mean is taken in another order).
func TestLossSingleElementSets(t *testing.T) {
	logits := [][]float64{{0.3}, {-2}, {7}}
	targets := []float64{0.25, 0, 1}
	b, gb, _ := mixbatch.DiscriminatorLoss(logits, targets, mixbatch.BGAN)
	m, gm, _ := mixbatch.DiscriminatorLoss(logits, targets, mixbatch.MBGAN)
	var want float64
	for n := range logits {
		k, d, _ := mixbatch.KL(targets[n], logits[n][0])
		want += k / 3
		if relErr(gb[n][0], d/3) > 2*eps || gb[n][0] != gm[n][0] {
			t.Errorf("set %d: gradients %v, %v; want %v", n, gb[n][0], gm[n][0], d/3)
		}
	}
	if b != m || math.Abs(b-want) > 2*eps*want {
		t.Errorf("BGAN %v, MBGAN %v, want both %v", b, m, want)
	}
}

func TestLossBadInput(t *testing.T) {
	good := [][]float64{{0.1, 0.2}, {0.3}}
	targets := []float64{0.5, 1}
	cases := []struct {
		name    string
		logits  [][]float64
		targets []float64
		r       mixbatch.Reduction
		want    error
	}{
		{"no sets", nil, nil, mixbatch.BGAN, mixbatch.ErrEmpty},
		{"empty set", [][]float64{{0.1}, {}}, targets, mixbatch.MBGAN, mixbatch.ErrEmpty},
		{"NaN logit", [][]float64{{0.1, math.NaN()}, {0.3}}, targets, mixbatch.BGAN, mixbatch.ErrNotFinite},
		{"+Inf logit", [][]float64{{0.1, 0.2}, {math.Inf(1)}}, targets, mixbatch.MBGAN, mixbatch.ErrNotFinite},
		{"−Inf logit", [][]float64{{math.Inf(-1), 0.2}, {0.3}}, targets, mixbatch.BGAN, mixbatch.ErrNotFinite},
		{"reduction 0", good, targets, mixbatch.Reduction(0), mixbatch.ErrReduction},
		{"reduction 3", good, targets, mixbatch.Reduction(3), mixbatch.ErrReduction},
	}
	for _, c := range cases {
		if v, g, err := mixbatch.DiscriminatorLoss(c.logits, c.targets, c.r); !errors.Is(err, c.want) || v != 0 || g != nil {
			t.Errorf("DiscriminatorLoss, %s: %v, %v, %v; want %v", c.name, v, g, err, c.want)
		} else if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("DiscriminatorLoss, %s: error %q lacks the package prefix", c.name, err)
		}
		if v, g, err := mixbatch.GeneratorLoss(c.logits, c.r); !errors.Is(err, c.want) || v != 0 || g != nil {
			t.Errorf("GeneratorLoss, %s: %v, %v, %v; want %v", c.name, v, g, err, c.want)
		} else if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("GeneratorLoss, %s: error %q lacks the package prefix", c.name, err)
		}
	}
	for _, tg := range [][]float64{{0.5}, {0.5, 1, 0}, {0.5, 1.5}, {-0.1, 1}, {math.NaN(), 1}} {
		want := mixbatch.ErrTarget
		if len(tg) != 2 {
			want = mixbatch.ErrShape
		}
		if _, _, err := mixbatch.DiscriminatorLoss(good, tg, mixbatch.BGAN); !errors.Is(err, want) {
			t.Errorf("DiscriminatorLoss with targets %v: %v, want %v", tg, err, want)
		} else if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("DiscriminatorLoss with targets %v: error %q lacks the package prefix", tg, err)
		}
	}
	for _, c := range []struct{ u, s float64 }{{-0.01, 0}, {1.01, 0}, {math.NaN(), 0}, {0.5, math.NaN()}, {0.5, math.Inf(1)}, {0.5, math.Inf(-1)}} {
		if v, d, err := mixbatch.KL(c.u, c.s); err == nil || v != 0 || d != 0 {
			t.Errorf("KL(%v, %v) = %v, %v, %v; want an error", c.u, c.s, v, d, err)
		} else if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("KL(%v, %v): error %q lacks the package prefix", c.u, c.s, err)
		}
	}
	if s := mixbatch.Reduction(7).String(); s != "Reduction(7)" {
		t.Errorf("Reduction(7).String() = %q", s)
	}
	if mixbatch.BGAN.String() != "BGAN" || mixbatch.MBGAN.String() != "MBGAN" {
		t.Errorf("reduction names %q, %q", mixbatch.BGAN, mixbatch.MBGAN)
	}
}
