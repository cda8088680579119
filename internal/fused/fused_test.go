package fused

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
)

// opCase is one use of an op: the shapes of its inputs, which of them the
// tests differentiate against, the op itself (fused) and the same
// function composed from gorgonia's own ops (composed), which is the
// reference the fused op must agree with.
type opCase struct {
	name     string
	shapes   [][]int
	wrt      []bool
	rect     bool // inputs are drawn away from the rectifier's kink
	fused    func(in gorgonia.Nodes) (*gorgonia.Node, error)
	composed func(in gorgonia.Nodes) (*gorgonia.Node, error)
}

// perSet returns x (S·B, L) and r (S, L) reshaped to (S, B, L) and
// (S, 1, L), the form in which gorgonia broadcasts a row over each set.
func perSet(x, r *gorgonia.Node) (*gorgonia.Node, *gorgonia.Node, error) {
	s, l := r.Shape()[0], r.Shape()[1]
	x3, err := gorgonia.Reshape(x, tensor.Shape{s, x.Shape()[0] / s, l})
	if err != nil {
		return nil, nil, err
	}
	r3, err := gorgonia.Reshape(r, tensor.Shape{s, 1, l})
	return x3, r3, err
}

// composedAddRows is AddRows from gorgonia's BroadcastAdd.
func composedAddRows(x, r *gorgonia.Node) (*gorgonia.Node, error) {
	x3, r3, err := perSet(x, r)
	if err != nil {
		return nil, err
	}
	y, err := gorgonia.BroadcastAdd(x3, r3, nil, []byte{1})
	if err != nil {
		return nil, err
	}
	return gorgonia.Reshape(y, x.Shape().Clone())
}

func composedRectify(slope float64) func(in gorgonia.Nodes) (*gorgonia.Node, error) {
	return func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		v, err := composedAddRows(in[0], in[1])
		if err != nil {
			return nil, err
		}
		if slope == 0 {
			return gorgonia.Rectify(v)
		}
		return gorgonia.LeakyRelu(v, slope)
	}
}

// composedSetReduce is SetSum from gorgonia's Sum or Mean over the set
// axis of (S, B, L).
func composedSetReduce(sets int, mean bool) func(in gorgonia.Nodes) (*gorgonia.Node, error) {
	return func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		x := in[0]
		x3, err := gorgonia.Reshape(x, tensor.Shape{sets, x.Shape()[0] / sets, x.Shape()[1]})
		if err != nil {
			return nil, err
		}
		if mean {
			return gorgonia.Mean(x3, 1)
		}
		return gorgonia.Sum(x3, 1)
	}
}

// composedBroadcast is SetBroadcast as zeros + r with gorgonia's
// BroadcastAdd, divided by the rows per set for SetBroadcastMean; in[1]
// holds the zeros (S·size, L).
func composedBroadcast(mean bool) func(in gorgonia.Nodes) (*gorgonia.Node, error) {
	return func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		y, err := composedAddRows(in[1], in[0])
		if err != nil || !mean {
			return y, err
		}
		return gorgonia.Div(y, scalarLike(in[0], float64(in[1].Shape()[0]/in[0].Shape()[0])))
	}
}

// composedRectGrad is RectifyGrad as g ⊙ (slope + (1−slope)·[y > 0]).
func composedRectGrad(slope float64) func(in gorgonia.Nodes) (*gorgonia.Node, error) {
	return func(in gorgonia.Nodes) (*gorgonia.Node, error) {
		y, g := in[0], in[1]
		pos, err := gorgonia.Gt(y, scalarLike(y, 0), true)
		if err != nil {
			return nil, err
		}
		f, err := gorgonia.Mul(pos, scalarLike(y, 1-slope))
		if err != nil {
			return nil, err
		}
		if f, err = gorgonia.Add(f, scalarLike(y, slope)); err != nil {
			return nil, err
		}
		return gorgonia.HadamardProd(g, f)
	}
}

func scalarLike(n *gorgonia.Node, v float64) *gorgonia.Node {
	if n.Dtype() == tensor.Float32 {
		return gorgonia.NewConstant(float32(v))
	}
	return gorgonia.NewConstant(v)
}

var cases = []opCase{
	{
		name: "AddRows/bias", shapes: [][]int{{6, 4}, {1, 4}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRows(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return gorgonia.BroadcastAdd(in[0], in[1], nil, []byte{0})
		},
	},
	{
		name: "AddRows/sets", shapes: [][]int{{6, 4}, {2, 4}}, wrt: []bool{true, true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRows(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return composedAddRows(in[0], in[1]) },
	},
	{
		name: "AddRows/rank3", shapes: [][]int{{2, 3, 4}, {2, 4}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRows(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			r3, err := gorgonia.Reshape(in[1], tensor.Shape{2, 1, 4})
			if err != nil {
				return nil, err
			}
			return gorgonia.BroadcastAdd(in[0], r3, nil, []byte{1})
		},
	},
	{
		name: "AddRows/vector", shapes: [][]int{{4}, {1, 4}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRows(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			r, err := gorgonia.Reshape(in[1], tensor.Shape{4})
			if err != nil {
				return nil, err
			}
			return gorgonia.Add(in[0], r)
		},
	},
	{
		name: "AddRows/row-per-set", shapes: [][]int{{3, 4}, {3, 4}}, wrt: []bool{true, true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRows(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return gorgonia.Add(in[0], in[1]) },
	},
	{
		name: "AddRowsRectify/relu/sets", shapes: [][]int{{6, 4}, {2, 4}}, wrt: []bool{true, true}, rect: true,
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRowsRectify(in[0], in[1], 0) },
		composed: composedRectify(0),
	},
	{
		name: "AddRowsRectify/relu/bias", shapes: [][]int{{5, 3}, {1, 3}}, wrt: []bool{true, true}, rect: true,
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRowsRectify(in[0], in[1], 0) },
		composed: composedRectify(0),
	},
	{
		name: "AddRowsRectify/leaky/sets", shapes: [][]int{{6, 4}, {3, 4}}, wrt: []bool{true, true}, rect: true,
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRowsRectify(in[0], in[1], 0.2) },
		composed: composedRectify(0.2),
	},
	{
		name: "SetSum/mean", shapes: [][]int{{6, 4}}, wrt: []bool{true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetMean(in[0], 2) },
		composed: composedSetReduce(2, true),
	},
	{
		name: "SetSum/sum", shapes: [][]int{{6, 4}}, wrt: []bool{true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetSum(in[0], 3) },
		composed: composedSetReduce(3, false),
	},
	{
		name: "SetSum/rank3", shapes: [][]int{{2, 3, 4}}, wrt: []bool{true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetMean(in[0], 2) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return gorgonia.Mean(in[0], 1) },
	},
	{
		name: "AddRowsRectify/leaky/rank3", shapes: [][]int{{2, 3, 4}, {2, 4}}, wrt: []bool{true, true}, rect: true,
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddRowsRectify(in[0], in[1], 0.2) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			r3, err := gorgonia.Reshape(in[1], tensor.Shape{2, 1, 4})
			if err != nil {
				return nil, err
			}
			v, err := gorgonia.BroadcastAdd(in[0], r3, nil, []byte{1})
			if err != nil {
				return nil, err
			}
			return gorgonia.LeakyRelu(v, 0.2)
		},
	},
	{
		name: "SetSum/one-set", shapes: [][]int{{5, 2}}, wrt: []bool{true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetMean(in[0], 1) },
		composed: composedSetReduce(1, true),
	},
	{
		// in[1] is only used by the composed version (zeros to broadcast
		// onto); the fused version ignores it.
		name: "SetBroadcast", shapes: [][]int{{2, 4}, {6, 4}}, wrt: []bool{true, false},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetBroadcast(in[0], tensor.Shape{6, 4}) },
		composed: composedBroadcast(false),
	},
	{
		name: "SetBroadcastMean", shapes: [][]int{{2, 4}, {6, 4}}, wrt: []bool{true, false},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return SetBroadcastMean(in[0], tensor.Shape{6, 4}) },
		composed: composedBroadcast(true),
	},
	{
		name: "AddChannels/images", shapes: [][]int{{2, 3, 1, 3}, {1, 3, 1, 1}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddChannels(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return gorgonia.BroadcastAdd(in[0], in[1], nil, []byte{0, 2, 3})
		},
	},
	{
		name: "AddChannels/rank2", shapes: [][]int{{3, 2}, {1, 2}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddChannels(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return gorgonia.BroadcastAdd(in[0], in[1], nil, []byte{0})
		},
	},
	{
		name: "AddChannels/rank3", shapes: [][]int{{3, 2, 2}, {1, 2, 1}}, wrt: []bool{true, true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return AddChannels(in[0], in[1]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return gorgonia.BroadcastAdd(in[0], in[1], nil, []byte{0, 2})
		},
	},
	{
		name: "ChannelSum", shapes: [][]int{{2, 3, 1, 3}}, wrt: []bool{true},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) { return ChannelSum(in[0]) },
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			s, err := gorgonia.Sum(in[0], 0, 2, 3)
			if err != nil {
				return nil, err
			}
			return gorgonia.Reshape(s, tensor.Shape{1, 3, 1, 1})
		},
	},
	{
		// As for SetBroadcast, in[1] holds the zeros of the composed
		// version.
		name: "ChannelBroadcast", shapes: [][]int{{1, 3, 1, 1}, {2, 3, 1, 3}}, wrt: []bool{true, false},
		fused: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return ChannelBroadcast(in[0], tensor.Shape{2, 3, 1, 3})
		},
		composed: func(in gorgonia.Nodes) (*gorgonia.Node, error) {
			return gorgonia.BroadcastAdd(in[1], in[0], nil, []byte{0, 2, 3})
		},
	},
	{
		name: "RectifyGrad/relu", shapes: [][]int{{4, 3}, {4, 3}}, wrt: []bool{false, true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return RectifyGrad(in[0], in[1], 0) },
		composed: composedRectGrad(0),
	},
	{
		name: "RectifyGrad/leaky", shapes: [][]int{{4, 3}, {4, 3}}, wrt: []bool{false, true},
		fused:    func(in gorgonia.Nodes) (*gorgonia.Node, error) { return RectifyGrad(in[0], in[1], 0.2) },
		composed: composedRectGrad(0.2),
	},
}

// inputs draws a case's inputs in float64. For the rectifier cases the
// first operand's entries are ±(0.5 + |N(0,1)|) and the rows' entries lie
// in (−0.2, 0.2), so every pre-activation is at least 0.3 from the kink:
// finite differences with steps below that never cross it. The zeros
// operand of SetBroadcast's and ChannelBroadcast's composed versions is
// zero.
func (c opCase) inputs(seed uint64) []*tensor.Dense {
	rng := settest.Rand(seed)
	out := make([]*tensor.Dense, len(c.shapes))
	for i, s := range c.shapes {
		t := settest.Normal(rng, s...)
		d := t.Data().([]float64)
		switch {
		case (strings.HasPrefix(c.name, "SetBroadcast") || strings.HasPrefix(c.name, "ChannelBroadcast")) && i == 1:
			clear(d)
		case c.rect && i == 0:
			for j := range d {
				d[j] = math.Copysign(0.5+math.Abs(d[j]), d[j])
			}
		case c.rect:
			for j := range d {
				d[j] = 0.4 * (rng.Float64() - 0.5)
			}
		}
		out[i] = t
	}
	return out
}

// weights is the fixed random w of the cost Σ out ⊙ w, so that every
// output entry carries its own weight into the gradients.
func weights(shape tensor.Shape, dt tensor.Dtype) *tensor.Dense {
	return settest.AsDtype(settest.Normal(settest.Rand(77), shape...), dt)
}

// graph builds cost = Σ f(in) ⊙ w in a new graph, with in holding the
// given values, and returns the graph, the output, the cost and the inputs.
func graph(f func(gorgonia.Nodes) (*gorgonia.Node, error), vals []*tensor.Dense) (*gorgonia.ExprGraph, *gorgonia.Node, *gorgonia.Node, gorgonia.Nodes, error) {
	g := gorgonia.NewGraph()
	in := make(gorgonia.Nodes, len(vals))
	for i, v := range vals {
		in[i] = gorgonia.NodeFromAny(g, v, gorgonia.WithName(fmt.Sprintf("in%d", i)))
	}
	out, err := f(in)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	w := gorgonia.NodeFromAny(g, weights(out.Shape(), out.Dtype()), gorgonia.WithName("w"))
	p, err := gorgonia.HadamardProd(out, w)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cost, err := gorgonia.Sum(p)
	return g, out, cost, in, err
}

// evaluate runs the graph of f on vals and returns the output and the
// gradients of the cost with respect to the inputs marked in wrt.
func evaluate(f func(gorgonia.Nodes) (*gorgonia.Node, error), vals []*tensor.Dense, wrt []bool) ([]float64, [][]float64, error) {
	g, out, cost, in, err := graph(f, vals)
	if err != nil {
		return nil, nil, err
	}
	var nodes gorgonia.Nodes
	for i, n := range in {
		if wrt[i] {
			nodes = append(nodes, n)
		}
	}
	// Read copies the output when it is computed: later ops may overwrite
	// its value in place.
	var outVal gorgonia.Value
	gorgonia.Read(out, &outVal)
	grads, err := gorgonia.Grad(cost, nodes...)
	if err != nil {
		return nil, nil, err
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, nil, err
	}
	gs := make([][]float64, len(grads))
	for i, gn := range grads {
		gs[i] = settest.Floats(gn.Value())
	}
	return settest.Floats(outVal), gs, nil
}

// TestGradientsFloat64 checks each op's gradient against central finite
// differences with gradcheck (step 1e-6). Every op here is linear or
// piecewise linear away from the kink, and the inputs keep 0.3 from it, so
// the differences are exact up to rounding, ~1e-10 for these O(1) costs:
// the bound 1e-8 is far below a wrong gradient (O(0.1) and up).
func TestGradientsFloat64(t *testing.T) {
	for _, c := range cases {
		vals := c.inputs(1)
		rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
			in := make(gorgonia.Nodes, len(vals))
			var wrt gorgonia.Nodes
			for i, v := range vals {
				in[i] = gorgonia.NodeFromAny(g, v, gorgonia.WithName(fmt.Sprintf("in%d", i)))
				if c.wrt[i] {
					wrt = append(wrt, in[i])
				}
			}
			out, err := c.fused(in)
			if err != nil {
				return nil, nil, err
			}
			w := gorgonia.NodeFromAny(g, weights(out.Shape(), out.Dtype()), gorgonia.WithName("w"))
			p, err := gorgonia.HadamardProd(out, w)
			if err != nil {
				return nil, nil, err
			}
			cost, err := gorgonia.Sum(p)
			return cost, wrt, err
		})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if rep.Checked == 0 || rep.MaxErr > 1e-8 {
			t.Errorf("%s: %d entries checked, max error %.3g at %s", c.name, rep.Checked, rep.MaxErr, rep.Worst)
		}
	}
}

// TestGradientsFloat32 checks the float32 gradients against central
// differences taken in float32 with step h = 1e-2. The ops are piecewise
// linear and no input is within 0.3 of a kink, so there is no truncation
// error; the cost (|cost| ≲ 10) is rounded to ~1e-6, which the difference
// divides by 2h: ~5e-5. The bound 1e-3 covers that twentyfold.
func TestGradientsFloat32(t *testing.T) {
	const h = 1e-2
	for _, c := range cases {
		vals := c.inputs(2)
		for i := range vals {
			vals[i] = settest.AsDtype(vals[i], tensor.Float32)
		}
		_, grads, err := evaluate(c.fused, vals, c.wrt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g, _, cost, _, err := graph(c.fused, vals)
		if err != nil {
			t.Fatal(err)
		}
		vm := gorgonia.NewTapeMachine(g)
		eval := func() float64 {
			defer vm.Reset()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			return float64(cost.Value().Data().(float32))
		}
		k := 0
		for i, v := range vals {
			if !c.wrt[i] {
				continue
			}
			d := v.Data().([]float32)
			for j := range d {
				orig := d[j]
				d[j] = orig + h
				fp := eval()
				d[j] = orig - h
				fm := eval()
				d[j] = orig
				// The step actually taken is the float32 difference.
				num := (fp - fm) / float64((orig+h)-(orig-h))
				if diff := math.Abs(num - grads[k][j]); diff > 1e-3 {
					t.Errorf("%s: input %d entry %d: gradient %v, finite difference %v", c.name, i, j, grads[k][j], num)
				}
			}
			k++
		}
		vm.Close()
	}
}

// TestAgreesWithComposed compares outputs and gradients with the same
// function built from gorgonia's ops, in float64 and float32. The two
// can differ only in the order of additions: each entry is a sum of at
// most 6 terms of magnitude below ~4, so they agree to 6·4 units of
// roundoff, 2.7e-15 in float64 and 1.4e-6 in float32; the bounds are 1e-13
// and 1e-5.
func TestAgreesWithComposed(t *testing.T) {
	for _, dt := range []struct {
		dt  tensor.Dtype
		tol float64
	}{{tensor.Float64, 1e-13}, {tensor.Float32, 1e-5}} {
		for _, c := range cases {
			vals := c.inputs(3)
			for i := range vals {
				vals[i] = settest.AsDtype(vals[i], dt.dt)
			}
			out, grads, err := evaluate(c.fused, vals, c.wrt)
			if err != nil {
				t.Fatalf("%v %s fused: %v", dt.dt, c.name, err)
			}
			wantOut, wantGrads, err := evaluate(c.composed, vals, c.wrt)
			if err != nil {
				t.Fatalf("%v %s composed: %v", dt.dt, c.name, err)
			}
			if d := settest.MaxAbsDiff(out, wantOut); d > dt.tol {
				t.Errorf("%v %s: outputs differ by %.3g", dt.dt, c.name, d)
			}
			for i := range grads {
				if d := settest.MaxAbsDiff(grads[i], wantGrads[i]); d > dt.tol {
					t.Errorf("%v %s: gradient %d differs by %.3g", dt.dt, c.name, i, d)
				}
			}
		}
	}
}

// TestRectifyAtZero pins down the convention at the kink: the derivative
// at v = 0 is the negative-side slope.
func TestRectifyAtZero(t *testing.T) {
	for _, slope := range []float64{0, 0.2} {
		y := tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{0, 1, -0.2}))
		g := tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{2, 3, 5}))
		got, err := rectGradOp{slope: slope, shape: tensor.Shape{1, 3}}.Do(y, g)
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{2 * slope, 3, 5 * slope}
		if d := settest.MaxAbsDiff(settest.Floats(got), want); d != 0 {
			t.Errorf("slope %v: RectifyGrad %v, want %v", slope, got.Data(), want)
		}
	}
}

// TestUnsafeAndViews runs the in-place forms and views through the ops:
// UnsafeDo must return its overwritten operand holding what Do returns,
// and a transposed view must be read in its logical order.
func TestUnsafeAndViews(t *testing.T) {
	rng := settest.Rand(5)
	x := settest.Normal(rng, 4, 3)
	r := settest.Normal(rng, 2, 3)
	op := addRowsOp{rect: true, slope: 0.2, shape: tensor.Shape{4, 3}, sets: 2}
	want, err := op.Do(x.Clone().(*tensor.Dense), r)
	if err != nil {
		t.Fatal(err)
	}
	xc := x.Clone().(*tensor.Dense)
	got, err := op.UnsafeDo(xc, r)
	if err != nil {
		t.Fatal(err)
	}
	if got != gorgonia.Value(xc) || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
		t.Errorf("AddRowsRectify UnsafeDo: got %v (same tensor %t), want %v", got.Data(), got == gorgonia.Value(xc), want.Data())
	}

	y := settest.Normal(rng, 4, 3)
	g := settest.Normal(rng, 4, 3)
	rg := rectGradOp{shape: tensor.Shape{4, 3}}
	wantG, err := rg.Do(y, g.Clone().(*tensor.Dense))
	if err != nil {
		t.Fatal(err)
	}
	gc := g.Clone().(*tensor.Dense)
	gotG, err := rg.UnsafeDo(y, gc)
	if err != nil {
		t.Fatal(err)
	}
	if gotG != gorgonia.Value(gc) || settest.MaxAbsDiff(settest.Floats(gotG), settest.Floats(wantG)) != 0 {
		t.Errorf("RectifyGrad UnsafeDo: got %v, want %v", gotG.Data(), wantG.Data())
	}

	// A destination that does not fit (size, dtype) is not written: the
	// result comes in a new tensor.
	for _, bad := range []gorgonia.Value{settest.Normal(rng, 5, 3), tensor.New(tensor.WithShape(4, 3), tensor.Of(tensor.Int))} {
		got, err := op.UsePreallocDo(bad, x, r)
		if err != nil {
			t.Fatal(err)
		}
		if got == bad || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
			t.Errorf("AddRowsRectify into a %v %v destination: same tensor %t, %v, want %v", bad.Dtype(), bad.Shape(), got == bad, got.Data(), want.Data())
		}
	}
	if _, err := op.UnsafeDo(x); !errors.Is(err, ErrArg) {
		t.Errorf("UnsafeDo with one operand: error %v, want ErrArg", err)
	}

	// A (3, 4) tensor transposed is a (4, 3) view whose backing array is
	// in the other order.
	base := settest.Normal(rng, 3, 4)
	view := base.Clone().(*tensor.Dense)
	if err := view.T(); err != nil {
		t.Fatal(err)
	}
	if !view.IsMaterializable() {
		t.Fatal("transpose is not a view; the test needs one")
	}
	sum, err := setSumOp{sets: 1, in: tensor.Shape{4, 3}}.Do(view)
	if err != nil {
		t.Fatal(err)
	}
	b := base.Data().([]float64)
	wantSum := make([]float64, 3)
	for i := 0; i < 3; i++ {
		for j := 0; j < 4; j++ {
			wantSum[i] += b[i*4+j]
		}
	}
	if d := settest.MaxAbsDiff(settest.Floats(sum), wantSum); d > 1e-15 {
		t.Errorf("SetSum of a transposed view: %v, want %v", sum.Data(), wantSum)
	}
}

// TestDistinctHashes checks that ops differing in any parameter hash
// differently, so that gorgonia never merges their nodes.
func TestDistinctHashes(t *testing.T) {
	s42, s24, s222 := tensor.Shape{4, 2}, tensor.Shape{2, 4}, tensor.Shape{2, 2, 2}
	ops := []gorgonia.Op{
		addRowsOp{shape: s42, sets: 1}, addRowsOp{rect: true, shape: s42, sets: 1},
		addRowsOp{rect: true, slope: 0.2, shape: s42, sets: 1}, addRowsOp{rect: true, slope: 0.1, shape: s42, sets: 1},
		addRowsOp{shape: s42, sets: 2}, addRowsOp{shape: s24, sets: 1}, addRowsOp{shape: s222, sets: 1},
		rectGradOp{shape: s42}, rectGradOp{slope: 0.2, shape: s42}, rectGradOp{shape: s24},
		setSumOp{sets: 1, in: s42}, setSumOp{sets: 2, in: s42}, setSumOp{sets: 1, mean: true, in: s42},
		setSumOp{sets: 1, in: s222},
		setBroadcastOp{out: s42}, setBroadcastOp{mean: true, out: s42}, setBroadcastOp{out: s222},
		addChannelsOp{shape: s42}, addChannelsOp{shape: s24}, addChannelsOp{shape: s222},
		channelSumOp{in: s42}, channelSumOp{in: s222}, channelBroadcastOp{out: s42}, channelBroadcastOp{out: s222},
	}
	seen := map[uint32]gorgonia.Op{}
	for _, op := range ops {
		if prev, ok := seen[op.Hashcode()]; ok {
			t.Errorf("%v and %v share hash %x", prev, op, op.Hashcode())
		}
		seen[op.Hashcode()] = op
	}
	// Two rectifiers of one input with different slopes stay two nodes.
	g := gorgonia.NewGraph()
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{-1, 1, -2, 2})), gorgonia.WithName("x"))
	r := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{0, 0})), gorgonia.WithName("r"))
	a := gorgonia.Must(AddRowsRectify(x, r, 0))
	b := gorgonia.Must(AddRowsRectify(x, r, 0.5))
	if a == b {
		t.Error("rectifiers with slopes 0 and 0.5 were merged into one node")
	}
}

// TestBadArguments checks that bad shapes, dtypes and parameters are
// refused with the package's errors when the graph is built, and leave
// the graph as it was.
func TestBadArguments(t *testing.T) {
	g := gorgonia.NewGraph()
	node := func(name string, dt tensor.Dtype, shape ...int) *gorgonia.Node {
		return gorgonia.NodeFromAny(g, settest.AsDtype(settest.Normal(rand.New(rand.NewPCG(1, 1)), shape...), dt), gorgonia.WithName(name))
	}
	x := node("x", tensor.Float64, 6, 4)
	x3 := node("x3", tensor.Float64, 2, 3, 4)
	vec := node("vec", tensor.Float64, 4)
	x32 := node("x32", tensor.Float32, 6, 4)
	r2 := node("r2", tensor.Float64, 2, 4)
	r4 := node("r4", tensor.Float64, 4, 4)
	r5 := node("r5", tensor.Float64, 2, 5)
	y := node("y", tensor.Float64, 5, 4)
	c3 := node("c3", tensor.Float64, 1, 3, 1)
	c4 := node("c4", tensor.Float64, 1, 4, 1)
	c3r2 := node("c3r2", tensor.Float64, 1, 3)
	before := len(g.AllNodes())
	for _, c := range []struct {
		name string
		want error
		f    func() (*gorgonia.Node, error)
	}{
		{"AddRows sets do not divide rows", ErrShape, func() (*gorgonia.Node, error) { return AddRows(x, r4) }},
		{"AddRows column mismatch", ErrShape, func() (*gorgonia.Node, error) { return AddRows(x, r5) }},
		{"AddRows rank 3, sets do not divide rows", ErrShape, func() (*gorgonia.Node, error) { return AddRows(x3, r4) }},
		{"AddRows vector rows", ErrShape, func() (*gorgonia.Node, error) { return AddRows(x, vec) }},
		{"AddRows mixed dtypes", ErrDtype, func() (*gorgonia.Node, error) { return AddRows(x32, r2) }},
		{"AddRows nil", ErrArg, func() (*gorgonia.Node, error) { return AddRows(nil, r2) }},
		{"AddRowsRectify negative slope", ErrArg, func() (*gorgonia.Node, error) { return AddRowsRectify(x, r2, -0.1) }},
		{"AddRowsRectify slope above 1", ErrArg, func() (*gorgonia.Node, error) { return AddRowsRectify(x, r2, 1.5) }},
		{"AddRowsRectify NaN slope", ErrArg, func() (*gorgonia.Node, error) { return AddRowsRectify(x, r2, math.NaN()) }},
		{"RectifyGrad shape mismatch", ErrShape, func() (*gorgonia.Node, error) { return RectifyGrad(x, y, 0) }},
		{"RectifyGrad mixed dtypes", ErrDtype, func() (*gorgonia.Node, error) { return RectifyGrad(x, x32, 0) }},
		{"SetSum zero sets", ErrArg, func() (*gorgonia.Node, error) { return SetSum(x, 0) }},
		{"SetMean negative sets", ErrArg, func() (*gorgonia.Node, error) { return SetMean(x, -1) }},
		{"SetSum sets do not divide rows", ErrShape, func() (*gorgonia.Node, error) { return SetSum(x, 4) }},
		{"SetMean rank 3, sets do not divide rows", ErrShape, func() (*gorgonia.Node, error) { return SetMean(x3, 4) }},
		{"SetSum nil", ErrArg, func() (*gorgonia.Node, error) { return SetSum(nil, 1) }},
		{"SetBroadcast rows do not divide", ErrShape, func() (*gorgonia.Node, error) { return SetBroadcast(r2, tensor.Shape{5, 4}) }},
		{"SetBroadcast column mismatch", ErrShape, func() (*gorgonia.Node, error) { return SetBroadcast(r2, tensor.Shape{4, 5}) }},
		{"SetBroadcast empty shape", ErrShape, func() (*gorgonia.Node, error) { return SetBroadcast(r2, tensor.Shape{0, 4}) }},
		{"SetBroadcastMean vector", ErrShape, func() (*gorgonia.Node, error) { return SetBroadcastMean(vec, tensor.Shape{2, 4}) }},
		{"AddChannels bias of other channels", ErrShape, func() (*gorgonia.Node, error) { return AddChannels(x3, c4) }},
		{"AddChannels bias of another rank", ErrShape, func() (*gorgonia.Node, error) { return AddChannels(x3, c3r2) }},
		{"AddChannels vector", ErrShape, func() (*gorgonia.Node, error) { return AddChannels(vec, vec) }},
		{"AddChannels mixed dtypes", ErrDtype, func() (*gorgonia.Node, error) { return AddChannels(x32, r2) }},
		{"AddChannels nil bias", ErrArg, func() (*gorgonia.Node, error) { return AddChannels(x3, nil) }},
		{"ChannelSum vector", ErrShape, func() (*gorgonia.Node, error) { return ChannelSum(vec) }},
		{"ChannelSum nil", ErrArg, func() (*gorgonia.Node, error) { return ChannelSum(nil) }},
		{"ChannelBroadcast to other channels", ErrShape, func() (*gorgonia.Node, error) { return ChannelBroadcast(c3, tensor.Shape{2, 4, 4}) }},
		{"ChannelBroadcast to an empty shape", ErrShape, func() (*gorgonia.Node, error) { return ChannelBroadcast(c3, tensor.Shape{0, 3, 4}) }},
	} {
		n, err := c.f()
		if !errors.Is(err, c.want) || n != nil {
			t.Errorf("%s: node %v, error %v, want %v", c.name, n, err, c.want)
		}
	}
	if after := len(g.AllNodes()); after != before {
		t.Errorf("refused calls added %d nodes to the graph", after-before)
	}
}

// TestBadValues runs the ops on values that do not fit them, as a caller
// of Do might: each must return an error, not panic.
func TestBadValues(t *testing.T) {
	f64 := func(shape ...int) *tensor.Dense { return settest.Normal(settest.Rand(1), shape...) }
	ints := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]int{1, 2, 3, 4}))
	add := addRowsOp{shape: tensor.Shape{4, 3}, sets: 2}
	for _, c := range []struct {
		name string
		op   gorgonia.Op
		vals []gorgonia.Value
		want error
	}{
		{"AddRows x of another size", add, []gorgonia.Value{f64(5, 3), f64(2, 3)}, ErrShape},
		{"AddRows rows of another size", add, []gorgonia.Value{f64(4, 3), f64(1, 3)}, ErrShape},
		{"AddRows one operand", add, []gorgonia.Value{f64(4, 3)}, ErrArg},
		{"AddRows ints", add, []gorgonia.Value{ints, ints}, ErrDtype},
		{"AddRows mixed dtypes", add, []gorgonia.Value{f64(4, 3), settest.AsDtype(f64(2, 3), tensor.Float32)}, ErrDtype},
		{"AddRows scalar", add, []gorgonia.Value{gorgonia.NewF64(1), f64(2, 3)}, ErrDtype},
		{"RectifyGrad sizes", rectGradOp{shape: tensor.Shape{2, 3}}, []gorgonia.Value{f64(2, 3), f64(3, 3)}, ErrShape},
		{"SetSum size", setSumOp{sets: 2, in: tensor.Shape{4, 3}}, []gorgonia.Value{f64(5, 3)}, ErrShape},
		{"SetBroadcast rank 3", setBroadcastOp{out: tensor.Shape{4, 3}}, []gorgonia.Value{f64(1, 2, 3)}, ErrShape},
		{"SetBroadcast columns", setBroadcastOp{out: tensor.Shape{4, 3}}, []gorgonia.Value{f64(2, 2)}, ErrShape},
		{"AddChannels x of another size", addChannelsOp{shape: tensor.Shape{2, 3, 4}}, []gorgonia.Value{f64(2, 3, 3), f64(1, 3, 1)}, ErrShape},
		{"AddChannels bias of another size", addChannelsOp{shape: tensor.Shape{2, 3, 4}}, []gorgonia.Value{f64(2, 3, 4), f64(1, 4, 1)}, ErrShape},
		{"ChannelSum size", channelSumOp{in: tensor.Shape{2, 3, 4}}, []gorgonia.Value{f64(2, 3, 3)}, ErrShape},
		{"ChannelBroadcast size", channelBroadcastOp{out: tensor.Shape{2, 3, 4}}, []gorgonia.Value{f64(1, 2, 1)}, ErrShape},
	} {
		if _, err := c.op.Do(c.vals...); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

// TestReshapedOperands runs the ops on operands whose shape was changed
// in place after the graph was built, as gorgonia's Reshape does to a
// tensor that another node shares: the ops read the row-major data by the
// shapes they were built with and return results of those shapes.
func TestReshapedOperands(t *testing.T) {
	rng := settest.Rand(8)
	x := settest.Normal(rng, 2, 3, 4)
	r := settest.Normal(rng, 2, 4)
	op := addRowsOp{rect: true, shape: tensor.Shape{2, 3, 4}, sets: 2}
	want, err := op.Do(x, r)
	if err != nil {
		t.Fatal(err)
	}
	flat := x.Clone().(*tensor.Dense)
	if err := flat.Reshape(6, 4); err != nil {
		t.Fatal(err)
	}
	got, err := op.Do(flat, r)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Shape().Eq(tensor.Shape{2, 3, 4}) || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
		t.Errorf("AddRowsRectify of a reshaped operand: shape %v, data differs", got.Shape())
	}
	got, err = op.UnsafeDo(flat, r)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Shape().Eq(tensor.Shape{2, 3, 4}) || settest.MaxAbsDiff(settest.Floats(got), settest.Floats(want)) != 0 {
		t.Errorf("AddRowsRectify UnsafeDo of a reshaped operand: shape %v, data differs", got.Shape())
	}

	g := settest.Normal(rng, 6, 4)
	rg := rectGradOp{shape: tensor.Shape{6, 4}}
	wantG, err := rg.Do(want.(*tensor.Dense).Clone().(*tensor.Dense), g)
	if err != nil {
		t.Fatal(err)
	}
	y := want.(*tensor.Dense).Clone().(*tensor.Dense)
	gotG, err := rg.Do(y, g) // y is (2, 3, 4), the op was built for (6, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !gotG.Shape().Eq(tensor.Shape{6, 4}) || settest.MaxAbsDiff(settest.Floats(gotG), settest.Floats(wantG)) != 0 {
		t.Errorf("RectifyGrad of a reshaped output: shape %v, data differs", gotG.Shape())
	}
}
