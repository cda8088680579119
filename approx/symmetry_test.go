package approx_test

import (
	"math"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/approx"
	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
)

// familyCase is a random network of Thm. 1's family and a random input:
// depth sigmoid equivariant layers with mean ρ, an identity layer to out
// outputs, the mean readout, every weight and bias N(0, scale²); n sets
// of b elements with in features.
type familyCase struct {
	depth, width, out, in, n, b int
	scale                       float64
	seed                        uint64
}

func genFamilyCase() gopter.Gen {
	return gopter.CombineGens(
		gen.IntRange(1, 4), gen.IntRange(1, 8), gen.IntRange(1, 3), gen.IntRange(1, 3),
		gen.IntRange(1, 3), gen.IntRange(1, 9), gen.Float64Range(0.1, 3), gen.UInt64(),
	).Map(func(v []any) familyCase {
		return familyCase{v[0].(int), v[1].(int), v[2].(int), v[3].(int), v[4].(int), v[5].(int), v[6].(float64), v[7].(uint64)}
	})
}

// evalFamily builds c's network with its random weights and returns its
// outputs on x.
func evalFamily(c familyCase, x *tensor.Dense) ([]float64, error) {
	out, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
		widths := make([]int, c.depth+1)
		for i := range widths {
			widths[i] = c.width
		}
		widths[c.depth] = c.out
		rng := settest.Rand(c.seed)
		net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
			In: c.in, Widths: widths, Activation: equivariant.Sigmoid, OutputActivation: equivariant.Identity,
			SetSize: c.b, Rand: rng,
		})
		if err != nil {
			return nil, err
		}
		// Overwrite every parameter, biases included, so that the weights
		// are arbitrary rather than those of an initialisation scheme.
		for _, p := range net.Learnables() {
			for i, d := 0, p.Value().Data().([]float64); i < len(d); i++ {
				d[i] = c.scale * rng.NormFloat64()
			}
		}
		return net.Forward(settest.Input(g, "x", x), nil)
	})
	return out, err
}

// TestPropertyFamilyInvariant is the "only symmetric functions" half of
// Thm. 1 as a property: every network of the family, whatever its depth,
// widths and weights, gives the same outputs on a set and on any
// reordering of it. Reordering changes only the order of the sums inside
// the means: with outputs of size ≤ 8·3·(1+3) ≈ 100 that moves results by a
// few ulps of 100, far below 1e-11, while an order-dependent term of these
// weights would move them by O(1).
func TestPropertyFamilyInvariant(t *testing.T) {
	props := gopter.NewProperties(propertyParams(300))
	props.Property("sigmoid equivariant networks with mean readout are permutation invariant", prop.ForAll(
		func(c familyCase) bool {
			rng := settest.Rand(c.seed + 1)
			x := settest.Normal(rng, c.n, c.b, c.in)
			perms := make([][]int, c.n)
			for i := range perms {
				perms[i] = rng.Perm(c.b)
			}
			a, err1 := evalFamily(c, x)
			b, err2 := evalFamily(c, settest.PermuteRows(x, 1, perms))
			return err1 == nil && err2 == nil && len(a) == c.n*c.out && settest.MaxAbsDiff(a, b) <= 1e-11
		},
		genFamilyCase(),
	))
	props.TestingRun(t)
}

// TestPropertyConstructedInvariant: the networks built by the
// constructions are of the family, so they are invariant too. Their output
// layers undo the sigmoid identity stages with gains up to 4s/ε ≈ 2·10⁵,
// which amplify the reordering of the means: the tolerance is 1e-9.
func TestPropertyConstructedInvariant(t *testing.T) {
	e2, _ := approx.ElementaryPolynomial(2)
	net, err := approx.Approximate(e2, approx.ApproxConfig{SetSize: 6, Lo: -1, Hi: 1, Tol: 1e-2})
	if err != nil {
		t.Fatal(err)
	}
	props := gopter.NewProperties(propertyParams(100))
	props.Property("Approximate(e2) is permutation invariant", prop.ForAll(
		func(seed uint64) bool {
			rng := settest.Rand(seed)
			sets, err := approx.RandomSets(rng, 1, 6, -1, 1)
			if err != nil {
				return false
			}
			perm := rng.Perm(6)
			shuffled := make([][]float64, 6)
			for i, j := range perm {
				shuffled[i] = sets[0][j]
			}
			out, err := net.Eval([][][]float64{sets[0], shuffled})
			return err == nil && math.Abs(out[0][0]-out[1][0]) <= 1e-9
		},
		gen.UInt64(),
	))
	props.TestingRun(t)
}

// TestCompareSymmetry: the naive network on the concatenated set moves
// under permutations, the invariant one does not, and the parameter counts
// are those of the two architectures: the invariant one does not grow with
// the set size, the naive one's first layer does.
func TestCompareSymmetry(t *testing.T) {
	for _, b := range []int{4, 32} {
		rep, err := approx.CompareSymmetry(approx.SymmetryConfig{In: 2, SetSize: b, Width: 16, Depth: 2, Trials: 64, Rand: settest.Rand(12)})
		if err != nil {
			t.Fatal(err)
		}
		// Invariant: Dense 2→16, 16→16 (Λ, Γ, β each), then 16→1.
		if want := (2*2*16 + 16) + (2*16*16 + 16) + (2*16 + 1); rep.InvariantParams != want {
			t.Errorf("B=%d: invariant network has %d parameters, want %d", b, rep.InvariantParams, want)
		}
		// Naive: Linear 2B→16, 16→16, 16→1.
		if want := (2*b*16 + 16) + (16*16 + 16) + (16 + 1); rep.NaiveParams != want {
			t.Errorf("B=%d: naive network has %d parameters, want %d", b, rep.NaiveParams, want)
		}
		// Outputs of order 1 (see TestPropertyFamilyInvariant for the
		// tolerance).
		if rep.InvariantGap > 1e-11 {
			t.Errorf("B=%d: invariant network moved by %.3g under permutations", b, rep.InvariantGap)
		}
		// The naive network's output moves by a sizeable fraction of its
		// own spread over sets: with Glorot weights on 2B inputs it is
		// about as sensitive to position as to content. A tenth is far
		// below what it shows (about a half) and far above rounding.
		if !(rep.NaiveGap > 0.1*rep.NaiveScale) || !(rep.NaiveScale > 0) {
			t.Errorf("B=%d: naive network moved by %.3g, spread %.3g: want a move above a tenth of the spread", b, rep.NaiveGap, rep.NaiveScale)
		}
	}
}

func TestCompareSymmetryBadInput(t *testing.T) {
	ok := approx.SymmetryConfig{In: 1, SetSize: 4, Width: 4, Depth: 1, Trials: 2, Rand: settest.Rand(1)}
	bad := []approx.SymmetryConfig{
		{In: 0, SetSize: 4, Width: 4, Depth: 1, Trials: 2, Rand: settest.Rand(1)},
		{In: 1, SetSize: 0, Width: 4, Depth: 1, Trials: 2, Rand: settest.Rand(1)},
		{In: 1, SetSize: 4, Width: 0, Depth: 1, Trials: 2, Rand: settest.Rand(1)},
		{In: 1, SetSize: 4, Width: 4, Depth: 0, Trials: 2, Rand: settest.Rand(1)},
		{In: 1, SetSize: 4, Width: 4, Depth: 1, Trials: 0, Rand: settest.Rand(1)},
		{In: 1, SetSize: 4, Width: 1 << 20, Depth: 1, Trials: 2, Rand: settest.Rand(1)},
		{In: 1, SetSize: 4, Width: 4, Depth: 1, Trials: 2},
	}
	for i, c := range bad {
		_, err := approx.CompareSymmetry(c)
		checkErr(t, "CompareSymmetry case "+string(rune('0'+i)), err, approx.ErrConfig)
	}
	if _, err := approx.CompareSymmetry(ok); err != nil {
		t.Errorf("valid configuration refused: %v", err)
	}
}
