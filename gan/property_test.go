package gan_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/gan"
)

// trained returns a float64 trainer of method m after a few iterations,
// so that its weights and biases are no longer at their initial values.
func trained(t *testing.T, m gan.Method) *gan.Trainer {
	t.Helper()
	cfg := tinyConfig(m, 20, 11)
	cfg.Dtype = tensor.Float64
	tr, err := gan.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(nil); err != nil {
		t.Fatal(err)
	}
	return tr
}

// permTol bounds the difference a permutation may make: the pooled means
// add the same numbers in another order, a rounding error of a few ulps
// per layer on values of order one (float64).
const permTol = 1e-12

// TestPropertyDiscriminatorPermutation: for every method, permuting the
// points of a batch permutes the discriminator's per-element logits the
// same way and leaves their mean, the set logit of Eq. 13, unchanged. For
// BGAN and M-BGAN this is the invariance of Eq. 10 the paper builds its
// discriminator for; for the pointwise methods it holds trivially.
func TestPropertyDiscriminatorPermutation(t *testing.T) {
	for _, m := range gan.Methods {
		tr := trained(t, m)
		params := gopter.DefaultTestParametersWithSeed(uint64ToInt64(7 + uint64(m)))
		params.MinSuccessfulTests = 100
		props := gopter.NewProperties(params)
		props.Property(m.String()+" discriminator is permutation invariant", prop.ForAll(
			func(n int, seed uint64) bool {
				rng := rand.New(rand.NewPCG(seed, 3))
				x := make([]float64, 2*n)
				for i := range x {
					x[i] = 2 * rng.NormFloat64()
				}
				perm := rng.Perm(n)
				px := make([]float64, 2*n)
				for i, j := range perm {
					copy(px[2*i:2*i+2], x[2*j:2*j+2])
				}
				s, o, err1 := tr.Discriminate(x)
				ps, po, err2 := tr.Discriminate(px)
				if err1 != nil || err2 != nil {
					t.Log(err1, err2)
					return false
				}
				if math.Abs(s-ps) > permTol*(1+math.Abs(s)) {
					return false
				}
				for i, j := range perm {
					if math.Abs(po[i]-o[j]) > permTol*(1+math.Abs(o[j])) {
						return false
					}
				}
				return true
			},
			gen.IntRange(1, 40), gen.UInt64(),
		))
		props.TestingRun(t)
		tr.Close()
	}
}

// TestBatchDiscriminatorSeesTheSet is the control for the property above:
// a permutation-invariant function could ignore the other points
// altogether. Moving one point of the batch must change the logits of the
// other points for BGAN and M-BGAN (they pool over the set) and must not
// for the pointwise discriminators.
func TestBatchDiscriminatorSeesTheSet(t *testing.T) {
	for _, m := range gan.Methods {
		tr := trained(t, m)
		x := []float64{1, 0, 0, 1, -1, 0, 0, -1, 0.5, 0.5}
		_, before, err := tr.Discriminate(x)
		if err != nil {
			t.Fatal(err)
		}
		x[0], x[1] = 3, 3
		_, after, err := tr.Discriminate(x)
		if err != nil {
			t.Fatal(err)
		}
		tr.Close()
		changed := 0.0
		for i := 1; i < len(before); i++ {
			changed = math.Max(changed, math.Abs(after[i]-before[i]))
		}
		// The pointwise networks compute each row alone: exactly equal.
		// The batch networks move by the pooled term's change, of order
		// the first layer's Γ (1/(B+1) of the scale of Λ) times the
		// point's displacement over 5: far above 1e-9.
		if m == gan.BGAN || m == gan.MBGAN {
			if changed < 1e-9 {
				t.Errorf("%v: moving point 0 left the others' logits unchanged (max change %g)", m, changed)
			}
		} else if changed != 0 {
			t.Errorf("%v: moving point 0 changed another point's logit by %g", m, changed)
		}
	}
}

func uint64ToInt64(v uint64) int64 { return int64(v & math.MaxInt64) }
