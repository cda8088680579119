package invariant_test

import (
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// propertyParams fixes gopter's seed so that a failure reproduces, and runs
// enough cases to cover ranks, set sizes and masks.
func propertyParams() *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(20180710)
	p.MinSuccessfulTests = 200
	return p
}

// A random shape for a reduction: rank 2 (B,F), 3 (N,B,F) or 4 (B,C,H,W),
// with sizes that include the degenerate B = 1.
type shapeCase struct {
	rank, n, b, f int
	seed          uint64
}

func genShapeCase() gopter.Gen {
	return gopter.CombineGens(
		gen.IntRange(2, 4), gen.IntRange(1, 4), gen.IntRange(1, 9), gen.IntRange(1, 5), gen.UInt64(),
	).Map(func(v []any) shapeCase {
		return shapeCase{v[0].(int), v[1].(int), v[2].(int), v[3].(int), v[4].(uint64)}
	})
}

func (c shapeCase) shape() []int {
	switch c.rank {
	case 2:
		return []int{c.b, c.f}
	case 3:
		return []int{c.n, c.b, c.f}
	}
	return []int{c.b, c.f, 2, 2}
}

func (c shapeCase) sets() int {
	if c.rank == 3 {
		return c.n
	}
	return 1
}

func randomPerms(c shapeCase) [][]int {
	rng := settest.Rand(c.seed ^ 0xabc)
	perms := make([][]int, c.sets())
	for i := range perms {
		perms[i] = rng.Perm(c.b)
	}
	return perms
}

func TestPropertyPermutationInvariance(t *testing.T) {
	for _, r := range reductions {
		props := gopter.NewProperties(propertyParams())
		props.Property(r.name+" is invariant to permutations of the set axis", prop.ForAll(
			func(c shapeCase) bool {
				x := settest.Normal(settest.Rand(c.seed), c.shape()...)
				axis, _ := invariant.DefaultSetAxis(c.rank)
				px := settest.PermuteRows(x, axis, randomPerms(c))
				a, _, err1 := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
					return r.f(settest.Input(g, "x", x))
				})
				b, _, err2 := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
					return r.f(settest.Input(g, "x", px))
				})
				return err1 == nil && err2 == nil && settest.MaxAbsDiff(a, b) <= tol64
			},
			genShapeCase(),
		))
		props.TestingRun(t)
	}
}

// TestPropertyMaskedPadding checks that a masked reduction equals the
// reduction of the unpadded sets, and that scrambling the padded rows
// (new values, then a permutation of all rows that carries the mask along)
// changes nothing.
func TestPropertyMaskedPadding(t *testing.T) {
	for _, r := range reductions {
		props := gopter.NewProperties(propertyParams())
		props.Property(r.name+" ignores padded rows", prop.ForAll(
			func(c shapeCase) bool {
				rng := settest.Rand(c.seed)
				shape := c.shape()
				axis, _ := invariant.DefaultSetAxis(c.rank)
				x := settest.Normal(rng, shape...)
				lengths := make([]int, c.sets())
				for i := range lengths {
					lengths[i] = 1 + rng.IntN(c.b)
				}
				m, err := invariant.MaskFromLengths(lengths, c.b, tensor.Float64)
				if err != nil {
					return false
				}
				m.Reshape(shape[:axis+1]...)
				masked := func(x, m *tensor.Dense) []float64 {
					out, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
						return r.f(settest.Input(g, "x", x), invariant.WithMask(settest.Input(g, "m", m)))
					})
					if err != nil {
						return nil
					}
					return out
				}
				x0, m0 := x.Clone().(*tensor.Dense), m.Clone().(*tensor.Dense)
				base := masked(x, m)
				// The graph must read its inputs, never write them.
				if settest.MaxAbsDiff(x.Data().([]float64), x0.Data().([]float64)) != 0 ||
					settest.MaxAbsDiff(m.Data().([]float64), m0.Data().([]float64)) != 0 {
					return false
				}

				// Each set alone, unpadded and unmasked.
				inner := x.Shape().TotalSize() / (c.sets() * c.b)
				var want []float64
				for s, l := range lengths {
					rows := x.Data().([]float64)[s*c.b*inner : (s*c.b+l)*inner]
					sub := append([]int{l}, shape[axis+1:]...)
					one := tensorOf(rows, sub)
					out, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
						return r.f(settest.Input(g, "x", one), invariant.SetAxis(0))
					})
					if err != nil {
						return false
					}
					want = append(want, out...)
				}
				if settest.MaxAbsDiff(base, want) > tol64 {
					return false
				}

				// New padding values, then the same permutation applied to
				// the rows and the mask.
				scrambled := x.Clone().(*tensor.Dense)
				data := scrambled.Data().([]float64)
				for s, l := range lengths {
					for i := (s*c.b + l) * inner; i < (s+1)*c.b*inner; i++ {
						data[i] = 1e3 * rng.NormFloat64()
					}
				}
				perms := randomPerms(c)
				px := settest.PermuteRows(scrambled, axis, perms)
				mm := m.Clone().(*tensor.Dense)
				mm.Reshape(append(shape[:axis+1:axis+1], 1)...)
				pm := settest.PermuteRows(mm, axis, perms)
				pm.Reshape(shape[:axis+1]...)
				return settest.MaxAbsDiff(masked(px, pm), base) <= tol64
			},
			genShapeCase(),
		))
		props.TestingRun(t)
	}
}

func tensorOf(data []float64, shape []int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
}
