package fused

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
)

// convCase is a random convolution: images (b, c, h, w), kernels
// (l, c, k, k), inputs drawn from seed.
type convCase struct {
	b, c, l, h, w, k int
	seed             uint64
}

func (c convCase) String() string {
	return fmt.Sprintf("x(%d,%d,%d,%d) w(%d,%d,%d,%d) seed %d", c.b, c.c, c.h, c.w, c.l, c.c, c.k, c.k, c.seed)
}

// genConvCase draws small shapes, H and W = 1 included, and k ∈ {1, 3, 5}:
// with k = 5 the kernel is often wider than the image, so whole rows of
// the unfolding lie in the padding.
func genConvCase() gopter.Gen {
	return gopter.CombineGens(
		gen.IntRange(1, 3), gen.IntRange(1, 3), gen.IntRange(1, 3), gen.IntRange(1, 6), gen.IntRange(1, 6),
		gen.IntRange(0, 2), gen.UInt64(),
	).Map(func(v []any) convCase {
		return convCase{v[0].(int), v[1].(int), v[2].(int), v[3].(int), v[4].(int), 2*v[5].(int) + 1, v[6].(uint64)}
	})
}

func (c convCase) inputs(dt tensor.Dtype) []*tensor.Dense {
	rng := settest.Rand(c.seed)
	return []*tensor.Dense{
		settest.AsDtype(settest.Normal(rng, c.b, c.c, c.h, c.w), dt),
		settest.AsDtype(settest.Normal(rng, c.l, c.c, c.k, c.k), dt),
	}
}

func fusedConv(in gorgonia.Nodes) (*gorgonia.Node, error) { return Conv2D(in[0], in[1]) }

// gorgoniaConv is gorgonia.Conv2d with the geometry Conv2D fixes.
func gorgoniaConv(in gorgonia.Nodes) (*gorgonia.Node, error) {
	k := in[1].Shape()[2]
	p := (k - 1) / 2
	return gorgonia.Conv2d(in[0], in[1], tensor.Shape{k, k}, []int{p, p}, []int{1, 1}, nil)
}

// relErr is max|a − b| / max|b|, the error of a relative to the size of
// the reference b.
func relErr(a, b []float64) float64 {
	var m float64
	for _, v := range b {
		m = max(m, math.Abs(v))
	}
	return settest.MaxAbsDiff(a, b) / max(m, math.SmallestNonzeroFloat64)
}

// TestConvAgreesWithGorgonia compares Conv2D's output and its gradients
// (cost Σ y ⊙ r, r fixed and random) with gorgonia.Conv2d's on random
// shapes. Both compute the same sums of products in other orders: an
// output entry sums C·k² ≤ 75 products, a kernel gradient entry B·H·W ≤
// 108, an image gradient entry L·k² ≤ 75. With n ≤ 108 terms of N(0,1)
// products the rounding error of either is below n·u·Σ|terms|, and
// Σ|terms| is within about √n of the largest entry, so the norm-wise
// relative difference stays below ~10³·u: 1e-13 in float64 (u = 1.1e-16),
// within the 1e-12 asked for, and 6e-5 in float32 (u = 6e-8), for which
// the bound is 2e-4. Typical differences are a hundred times smaller.
func TestConvAgreesWithGorgonia(t *testing.T) {
	p := gopter.DefaultTestParametersWithSeed(20180712)
	p.MinSuccessfulTests = 60
	props := gopter.NewProperties(p)
	props.Property("Conv2D = gorgonia.Conv2d, forward and gradients", prop.ForAll(func(c convCase) string {
		for _, dt := range []struct {
			dt  tensor.Dtype
			tol float64
		}{{tensor.Float64, 1e-12}, {tensor.Float32, 2e-4}} {
			vals := c.inputs(dt.dt)
			out, grads, err := evaluate(fusedConv, vals, []bool{true, true})
			if err != nil {
				return fmt.Sprintf("%v fused: %v", dt.dt, err)
			}
			wantOut, wantGrads, err := evaluate(gorgoniaConv, vals, []bool{true, true})
			if err != nil {
				return fmt.Sprintf("%v gorgonia: %v", dt.dt, err)
			}
			if e := relErr(out, wantOut); e > dt.tol {
				return fmt.Sprintf("%v %v: outputs differ by %.3g (relative)", dt.dt, c, e)
			}
			for i, what := range []string{"images", "kernels"} {
				if e := relErr(grads[i], wantGrads[i]); e > dt.tol {
					return fmt.Sprintf("%v %v: gradients of the %s differ by %.3g (relative)", dt.dt, c, what, e)
				}
			}
		}
		return ""
	}, genConvCase()))
	props.TestingRun(t)
}

// convGradCase is a function of convolution ops to check with finite
// differences: shapes of its inputs and the function.
type convGradCase struct {
	name   string
	shapes [][]int
	f      func(in gorgonia.Nodes) (*gorgonia.Node, error)
}

var convGradCases = []convGradCase{
	{"Conv2D 3×3", [][]int{{2, 2, 4, 3}, {3, 2, 3, 3}}, fusedConv},
	{"Conv2D 5×5 on 2×1", [][]int{{2, 2, 2, 1}, {2, 2, 5, 5}}, fusedConv},
	{"Conv2D 1×1", [][]int{{2, 3, 2, 2}, {2, 3, 1, 1}}, fusedConv},
	{"Conv2DInputGrad", [][]int{{3, 2, 3, 3}, {2, 3, 4, 3}}, func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		return Conv2DInputGrad(in[0], in[1])
	}},
	{"Conv2DFilterGrad", [][]int{{2, 2, 4, 3}, {2, 3, 4, 3}}, func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		return Conv2DFilterGrad(in[0], in[1], 3)
	}},
	// Two convolutions in a row: each one's gradient feeds the other's
	// adjoints.
	{"Conv2D∘Conv2D", [][]int{{2, 2, 3, 3}, {3, 2, 3, 3}, {2, 3, 3, 3}}, func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		h, err := Conv2D(in[0], in[1])
		if err != nil {
			return nil, err
		}
		return Conv2D(h, in[2])
	}},
}

// TestConvGradients checks the gradients of the convolution ops, and so
// their symbolic derivatives (SymDiff), against central differences with
// gradcheck. The cost Σ f ⊙ r is linear in each single entry of each
// input, so the differences have no truncation error, only the rounding
// of the cost divided by the step 2h = 2e-6: the costs sum up to ~10³
// products of O(1) (the two stacked convolutions), rounded to ≲ 10³·u ≈
// 1e-13, which gives ≲ 1e-7 (measured: at most 1.5e-8). The bound 1e-6
// is still far below what a wrong gradient gives (O(0.1) and up).
func TestConvGradients(t *testing.T) {
	for i, c := range convGradCases {
		rng := settest.Rand(uint64(100 + i))
		vals := make([]*tensor.Dense, len(c.shapes))
		for j, s := range c.shapes {
			vals[j] = settest.Normal(rng, s...)
		}
		rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
			in := make(gorgonia.Nodes, len(vals))
			for j, v := range vals {
				in[j] = gorgonia.NodeFromAny(g, v, gorgonia.WithName(fmt.Sprintf("in%d", j)))
			}
			out, err := c.f(in)
			if err != nil {
				return nil, nil, err
			}
			r := gorgonia.NodeFromAny(g, weights(out.Shape(), out.Dtype()), gorgonia.WithName("r"))
			p, err := gorgonia.HadamardProd(out, r)
			if err != nil {
				return nil, nil, err
			}
			cost, err := gorgonia.Sum(p)
			return cost, in, err
		})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if rep.Checked == 0 || rep.MaxErr > 1e-6 {
			t.Errorf("%s: %d entries checked, max error %.3g at %s", c.name, rep.Checked, rep.MaxErr, rep.Worst)
		}
	}
}

// TestConvAdjoints checks the identity that makes the three ops each
// other's gradients, ⟨g, conv(x, w)⟩ = ⟨inputGrad(w, g), x⟩ =
// ⟨filterGrad(x, g), w⟩, on values run through Do directly. Each side sums
// at most B·L·H·W·C·k² = 2·3·5·4·2·9 = 2160 products of N(0,1) entries, so
// they agree to ~2160·u·Σ|terms| ≈ 1e-11; 1e-10 is the bound.
func TestConvAdjoints(t *testing.T) {
	geom := convGeom{b: 2, c: 2, l: 3, h: 5, w: 4, k: 3}
	rng := settest.Rand(9)
	x := settest.Normal(rng, geom.xShape()...)
	w := settest.Normal(rng, geom.wShape()...)
	g := settest.Normal(rng, geom.yShape()...)
	dot := func(a gorgonia.Value, b *tensor.Dense) float64 {
		var s float64
		for i, v := range settest.Floats(a) {
			s += v * b.Data().([]float64)[i]
		}
		return s
	}
	y, err := newConvOp(convForward, geom).Do(x, w)
	if err != nil {
		t.Fatal(err)
	}
	dx, err := newConvOp(convInputGrad, geom).Do(w, g)
	if err != nil {
		t.Fatal(err)
	}
	dw, err := newConvOp(convFilterGrad, geom).Do(x, g)
	if err != nil {
		t.Fatal(err)
	}
	if !dx.Shape().Eq(geom.xShape()) || !dw.Shape().Eq(geom.wShape()) || !y.Shape().Eq(geom.yShape()) {
		t.Fatalf("shapes y %v, dx %v, dw %v", y.Shape(), dx.Shape(), dw.Shape())
	}
	gy, xdx, wdw := dot(y, g), dot(dx, x), dot(dw, w)
	if math.Abs(gy-xdx) > 1e-10 || math.Abs(gy-wdw) > 1e-10 {
		t.Errorf("⟨g, conv(x, w)⟩ = %v, ⟨inputGrad(w, g), x⟩ = %v, ⟨filterGrad(x, g), w⟩ = %v", gy, xdx, wdw)
	}
}

// TestConvReuse runs one op on new values, into a destination and into a
// destination that is one of its operands: the reused unfolding buffer
// must not carry anything from the run before, and an operand is never
// overwritten.
func TestConvReuse(t *testing.T) {
	geom := convGeom{b: 2, c: 2, l: 3, h: 4, w: 5, k: 3}
	rng := settest.Rand(4)
	for _, kind := range []convKind{convForward, convInputGrad, convFilterGrad} {
		op := newConvOp(kind, geom)
		sa, sb, out := op.shapes()
		a1, b1 := settest.Normal(rng, sa...), settest.Normal(rng, sb...)
		a2, b2 := settest.Normal(rng, sa...), settest.Normal(rng, sb...)
		want, err := newConvOp(kind, geom).Do(a2, b2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := op.Do(a1, b1); err != nil {
			t.Fatal(err)
		}
		dst := settest.Normal(rng, out...)
		got, err := op.UsePreallocDo(dst, a2, b2)
		if err != nil {
			t.Fatal(err)
		}
		if got != gorgonia.Value(dst) || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
			t.Errorf("%v into a destination: same tensor %t, differs by %g", op, got == gorgonia.Value(dst), settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)))
		}
		// An operand of the result's size is not written over.
		if sa.TotalSize() == out.TotalSize() {
			a := a2.Clone().(*tensor.Dense)
			got, err := op.UsePreallocDo(a, a, b2)
			if err != nil {
				t.Fatal(err)
			}
			if got == gorgonia.Value(a) || settest.MaxAbsDiff(settest.Floats(a), settest.Floats(a2)) != 0 || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
				t.Errorf("%v into its own operand: wrote over it or got a wrong result", op)
			}
		}
	}
}

// TestConvBadArguments checks that shapes a convolution cannot take are
// refused, when the graph is built, with errors wrapping ErrShape,
// ErrArg or ErrDtype and the package's prefix, and leave the graph as it
// was.
func TestConvBadArguments(t *testing.T) {
	g := gorgonia.NewGraph()
	node := func(name string, dt tensor.Dtype, shape ...int) *gorgonia.Node {
		return gorgonia.NodeFromAny(g, settest.AsDtype(settest.Normal(settest.Rand(1), shape...), dt), gorgonia.WithName(name))
	}
	x := node("x", tensor.Float64, 2, 3, 5, 5)
	x32 := node("x32", tensor.Float32, 2, 3, 5, 5)
	x3 := node("x3", tensor.Float64, 3, 5, 5)
	w := node("w", tensor.Float64, 4, 3, 3, 3)
	w3 := node("w3", tensor.Float64, 4, 3, 9)
	wc := node("wc", tensor.Float64, 4, 2, 3, 3)
	w2 := node("w2", tensor.Float64, 4, 3, 2, 2)
	wr := node("wr", tensor.Float64, 4, 3, 3, 1)
	y := node("y", tensor.Float64, 2, 4, 5, 5)
	yl := node("yl", tensor.Float64, 2, 5, 5, 5)
	yb := node("yb", tensor.Float64, 3, 4, 5, 5)
	yh := node("yh", tensor.Float64, 2, 4, 4, 5)
	empty := gorgonia.NewTensor(g, tensor.Float64, 4, gorgonia.WithShape(0, 3, 5, 5), gorgonia.WithName("empty"))
	emptyW := gorgonia.NewTensor(g, tensor.Float64, 4, gorgonia.WithShape(4, 0, 3, 3), gorgonia.WithName("emptyW"))
	before := len(g.AllNodes())
	for _, c := range []struct {
		name string
		want error
		f    func() (*gorgonia.Node, error)
	}{
		{"Conv2D images of rank 3", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x3, w) }},
		{"Conv2D kernels of rank 3", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x, w3) }},
		{"Conv2D channel mismatch", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x, wc) }},
		{"Conv2D even kernel", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x, w2) }},
		{"Conv2D kernel not square", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x, wr) }},
		{"Conv2D empty batch", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(empty, w) }},
		{"Conv2D empty kernels", ErrShape, func() (*gorgonia.Node, error) { return Conv2D(x, emptyW) }},
		{"Conv2D mixed dtypes", ErrDtype, func() (*gorgonia.Node, error) { return Conv2D(x32, w) }},
		{"Conv2D nil images", ErrArg, func() (*gorgonia.Node, error) { return Conv2D(nil, w) }},
		{"Conv2D nil kernels", ErrArg, func() (*gorgonia.Node, error) { return Conv2D(x, nil) }},
		{"Conv2DInputGrad output channel mismatch", ErrShape, func() (*gorgonia.Node, error) { return Conv2DInputGrad(w, yl) }},
		{"Conv2DInputGrad even kernel", ErrShape, func() (*gorgonia.Node, error) { return Conv2DInputGrad(w2, y) }},
		{"Conv2DInputGrad gradient of rank 3", ErrShape, func() (*gorgonia.Node, error) { return Conv2DInputGrad(w, x3) }},
		{"Conv2DFilterGrad batch mismatch", ErrShape, func() (*gorgonia.Node, error) { return Conv2DFilterGrad(x, yb, 3) }},
		{"Conv2DFilterGrad size mismatch", ErrShape, func() (*gorgonia.Node, error) { return Conv2DFilterGrad(x, yh, 3) }},
		{"Conv2DFilterGrad even kernel", ErrArg, func() (*gorgonia.Node, error) { return Conv2DFilterGrad(x, y, 2) }},
		{"Conv2DFilterGrad zero kernel", ErrArg, func() (*gorgonia.Node, error) { return Conv2DFilterGrad(x, y, 0) }},
		{"Conv2DFilterGrad empty images", ErrShape, func() (*gorgonia.Node, error) { return Conv2DFilterGrad(empty, y, 3) }},
	} {
		n, err := c.f()
		if !errors.Is(err, c.want) || n != nil {
			t.Errorf("%s: node %v, error %v, want %v", c.name, n, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "fused: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, err)
		}
	}
	if after := len(g.AllNodes()); after != before {
		t.Errorf("refused calls added %d nodes to the graph", after-before)
	}
}

// TestConvBadValues runs the ops on values that do not fit them, as a
// caller of Do might: each must return an error, not panic.
func TestConvBadValues(t *testing.T) {
	geom := convGeom{b: 2, c: 3, l: 4, h: 5, w: 5, k: 3}
	f64 := func(shape ...int) *tensor.Dense { return settest.Normal(settest.Rand(1), shape...) }
	ints := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]int{1, 2, 3, 4}))
	fwd := newConvOp(convForward, geom)
	for _, c := range []struct {
		name string
		op   gorgonia.Op
		vals []gorgonia.Value
		want error
	}{
		{"Conv2D images of another size", fwd, []gorgonia.Value{f64(3, 3, 5, 5), f64(4, 3, 3, 3)}, ErrShape},
		{"Conv2D kernels of another size", fwd, []gorgonia.Value{f64(2, 3, 5, 5), f64(4, 3, 1, 1)}, ErrShape},
		{"Conv2D one operand", fwd, []gorgonia.Value{f64(2, 3, 5, 5)}, ErrArg},
		{"Conv2D ints", fwd, []gorgonia.Value{ints, ints}, ErrDtype},
		{"Conv2D mixed dtypes", fwd, []gorgonia.Value{f64(2, 3, 5, 5), settest.AsDtype(f64(4, 3, 3, 3), tensor.Float32)}, ErrDtype},
		{"Conv2DInputGrad gradient of another size", newConvOp(convInputGrad, geom), []gorgonia.Value{f64(4, 3, 3, 3), f64(2, 4, 5, 4)}, ErrShape},
		{"Conv2DFilterGrad images of another size", newConvOp(convFilterGrad, geom), []gorgonia.Value{f64(2, 3, 5, 4), f64(2, 4, 5, 5)}, ErrShape},
	} {
		if _, err := c.op.Do(c.vals...); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := fwd.UsePreallocDo(f64(2, 4, 5, 5), f64(1, 3, 5, 5), f64(4, 3, 3, 3)); !errors.Is(err, ErrShape) {
		t.Errorf("Conv2D UsePreallocDo of images of another size: error %v, want ErrShape", err)
	}
	if _, err := fwd.InferShape(tensor.Shape{2, 3, 5, 5}, tensor.Shape{4, 3, 5, 5}); !errors.Is(err, ErrShape) {
		t.Errorf("Conv2D InferShape of other kernels: error %v, want ErrShape", err)
	}
}

// TestConvDistinctHashes checks that convolution ops differing in their
// kind or any size hash differently, so that gorgonia never merges them.
func TestConvDistinctHashes(t *testing.T) {
	base := convGeom{b: 2, c: 3, l: 4, h: 5, w: 6, k: 3}
	geoms := []convGeom{base}
	for i := range 6 {
		g := base
		switch i {
		case 0:
			g.b++
		case 1:
			g.c++
		case 2:
			g.l++
		case 3:
			g.h++
		case 4:
			g.w++
		case 5:
			g.k += 2
		}
		geoms = append(geoms, g)
	}
	seen := map[uint32]gorgonia.Op{}
	for _, kind := range []convKind{convForward, convInputGrad, convFilterGrad} {
		for _, g := range geoms {
			op := newConvOp(kind, g)
			if prev, ok := seen[op.Hashcode()]; ok {
				t.Errorf("%v %+v and %v share hash %x", prev, prev.(convOp).geom, op, op.Hashcode())
			}
			seen[op.Hashcode()] = op
		}
	}
}
