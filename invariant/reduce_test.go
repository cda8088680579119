package invariant_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

var reductions = []struct {
	name string
	f    invariant.Reduction
}{
	{"mean", invariant.Mean},
	{"sum", invariant.Sum},
	{"max", invariant.Max},
}

// reference reduces data of the given shape over axis by plain loops,
// skipping rows whose mask entry is 0 (mask may be nil).
func reference(kind string, data []float64, shape []int, axis int, mask []float64) []float64 {
	outer, inner := 1, 1
	for i := 0; i < axis; i++ {
		outer *= shape[i]
	}
	for i := axis + 1; i < len(shape); i++ {
		inner *= shape[i]
	}
	b := shape[axis]
	out := make([]float64, outer*inner)
	for o := 0; o < outer; o++ {
		for k := 0; k < inner; k++ {
			acc, n := 0.0, 0.0
			if kind == "max" {
				acc = math.Inf(-1)
			}
			for r := 0; r < b; r++ {
				if mask != nil && mask[o*b+r] == 0 {
					continue
				}
				v := data[(o*b+r)*inner+k]
				if kind == "max" {
					acc = math.Max(acc, v)
				} else {
					acc += v
				}
				n++
			}
			if kind == "mean" {
				acc /= n
			}
			out[o*inner+k] = acc
		}
	}
	return out
}

// Sums of at most a few dozen N(0,1) terms in a different order than the
// loop reference differ by a few ulps; 1e-12 leaves three orders of margin.
const tol64 = 1e-12

func TestReductionsMatchReference(t *testing.T) {
	shapes := [][]int{{1, 3}, {5, 3}, {2, 4, 3}, {3, 2, 2, 2}, {7}}
	rng := settest.Rand(1)
	for _, r := range reductions {
		for _, shape := range shapes {
			x := settest.Normal(rng, shape...)
			axis, _ := invariant.DefaultSetAxis(len(shape))
			want := reference(r.name, x.Data().([]float64), shape, axis, nil)
			got, gotShape, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
				return r.f(settest.Input(g, "x", x))
			})
			if err != nil {
				t.Fatalf("%s %v: %v", r.name, shape, err)
			}
			if d := settest.MaxAbsDiff(got, want); d > tol64 {
				t.Errorf("%s %v: differs from reference by %g", r.name, shape, d)
			}
			wantShape := append(append([]int{}, shape[:axis]...), shape[axis+1:]...)
			if gotShape.TotalSize() != len(want) || (len(wantShape) > 0 && !gotShape.Eq(tensor.Shape(wantShape))) {
				t.Errorf("%s %v: result shape %v, want %v", r.name, shape, gotShape, wantShape)
			}
		}
	}
}

func TestKeepSetAxis(t *testing.T) {
	rng := settest.Rand(2)
	for _, shape := range [][]int{{5, 3}, {2, 4, 3}, {3, 2, 2, 2}} {
		x := settest.Normal(rng, shape...)
		axis, _ := invariant.DefaultSetAxis(len(shape))
		_, got, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return invariant.Mean(settest.Input(g, "x", x), invariant.KeepSetAxis())
		})
		if err != nil {
			t.Fatal(err)
		}
		want := tensor.Shape(shape).Clone()
		want[axis] = 1
		if !got.Eq(want) {
			t.Errorf("shape %v: kept shape %v, want %v", shape, got, want)
		}
	}
}

func TestSetAxisOption(t *testing.T) {
	rng := settest.Rand(3)
	x := settest.Normal(rng, 3, 4)
	want := reference("sum", x.Data().([]float64), []int{3, 4}, 1, nil)
	got, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
		return invariant.Sum(settest.Input(g, "x", x), invariant.SetAxis(1))
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := settest.MaxAbsDiff(got, want); d > tol64 {
		t.Errorf("sum over axis 1 differs from reference by %g", d)
	}
}

// TestFloat32 checks every reduction in float32 against the float64
// reference: float32 has ε ≈ 6e-8, so sums of a few N(0,1) terms agree to
// 1e-5.
func TestFloat32(t *testing.T) {
	rng := settest.Rand(4)
	shape := []int{2, 5, 3}
	x := settest.Normal(rng, shape...)
	x32 := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	m32 := tensor.New(tensor.WithShape(2, 5), tensor.WithBacking([]float32{1, 1, 0, 0, 0, 1, 1, 1, 1, 0}))
	mask := []float64{1, 1, 0, 0, 0, 1, 1, 1, 1, 0}
	for i, v := range x.Data().([]float64) {
		x32.Data().([]float32)[i] = float32(v)
	}
	for _, r := range reductions {
		for _, masked := range []bool{false, true} {
			got, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
				var opts []invariant.Option
				if masked {
					opts = append(opts, invariant.WithMask(gorgonia.NodeFromAny(g, m32, gorgonia.WithName("m"))))
				}
				return r.f(gorgonia.NodeFromAny(g, x32, gorgonia.WithName("x")), opts...)
			})
			if err != nil {
				t.Fatalf("%s masked=%v: %v", r.name, masked, err)
			}
			var m []float64
			if masked {
				m = mask
			}
			want := reference(r.name, x.Data().([]float64), shape, 1, m)
			if d := settest.MaxAbsDiff(got, want); d > 1e-5 {
				t.Errorf("%s masked=%v float32: differs from reference by %g", r.name, masked, d)
			}
		}
	}
}

func TestMaskedMatchesReference(t *testing.T) {
	rng := settest.Rand(5)
	cases := []struct {
		shape   []int
		lengths []int
	}{
		{[]int{3, 4, 2}, []int{1, 4, 2}},
		{[]int{6, 2}, []int{3}},
		{[]int{4, 2, 3, 3}, []int{2}},
	}
	for _, r := range reductions {
		for _, c := range cases {
			x := settest.Normal(rng, c.shape...)
			axis, _ := invariant.DefaultSetAxis(len(c.shape))
			m, err := invariant.MaskFromLengths(c.lengths, c.shape[axis], tensor.Float64)
			if err != nil {
				t.Fatal(err)
			}
			if axis == 0 {
				m.Reshape(c.shape[0])
			}
			want := reference(r.name, x.Data().([]float64), c.shape, axis, m.Data().([]float64))
			got, _, err := settest.Eval(func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
				return r.f(settest.Input(g, "x", x), invariant.WithMask(settest.Input(g, "m", m)))
			})
			if err != nil {
				t.Fatalf("%s %v: %v", r.name, c.shape, err)
			}
			if d := settest.MaxAbsDiff(got, want); d > tol64 {
				t.Errorf("%s %v lengths %v: differs from reference by %g", r.name, c.shape, c.lengths, d)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(4, 3), gorgonia.WithName("x"))
	empty := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(0, 3), gorgonia.WithName("empty"))
	ints := gorgonia.NewMatrix(g, tensor.Int, gorgonia.WithShape(4, 3), gorgonia.WithName("ints"))
	x32 := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(4, 3), gorgonia.WithName("x32"))
	r6 := gorgonia.NewTensor(g, tensor.Float64, 6, gorgonia.WithShape(1, 1, 1, 1, 1, 1), gorgonia.WithName("r6"))
	wrongMask := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("wrongMask"))
	mask32 := gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(4), gorgonia.WithName("mask32"))
	zeros := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(4), tensor.Of(tensor.Float64)), gorgonia.WithName("zeros"))
	nan := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, math.NaN(), 0, 0})), gorgonia.WithName("nan"))
	inf := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float32{1, 2, float32(math.Inf(-1)), 0})), gorgonia.WithName("inf"))
	twos := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(4), tensor.WithBacking([]float64{1, 2, 0, 0})), gorgonia.WithName("twos"))

	cases := []struct {
		name string
		x    *gorgonia.Node
		opts []invariant.Option
		want error
	}{
		{"nil input", nil, nil, invariant.ErrNilNode},
		{"empty set", empty, nil, invariant.ErrEmptySet},
		{"int dtype", ints, nil, invariant.ErrDtype},
		{"rank without default", r6, nil, invariant.ErrRank},
		{"axis out of range", x, []invariant.Option{invariant.SetAxis(2)}, invariant.ErrRank},
		{"negative axis", x, []invariant.Option{invariant.SetAxis(-1)}, invariant.ErrRank},
		{"mask shape", x, []invariant.Option{invariant.WithMask(wrongMask)}, invariant.ErrMaskShape},
		{"mask dtype", x, []invariant.Option{invariant.WithMask(mask32)}, invariant.ErrDtype},
		{"mask dtype (f32 input)", x32, []invariant.Option{invariant.WithMask(zeros)}, invariant.ErrDtype},
		{"set of zero real rows", x, []invariant.Option{invariant.WithMask(zeros)}, invariant.ErrNoRealRows},
		{"mask entry not 0/1", x, []invariant.Option{invariant.WithMask(twos)}, invariant.ErrMaskValue},
		{"NaN in input value", nan, nil, invariant.ErrNonFinite},
		{"-Inf in float32 input value", inf, nil, invariant.ErrNonFinite},
	}
	for _, r := range reductions {
		for _, c := range cases {
			out, err := r.f(c.x, c.opts...)
			if !errors.Is(err, c.want) {
				t.Errorf("%s, %s: got error %v, want %v", r.name, c.name, err, c.want)
				continue
			}
			if out != nil {
				t.Errorf("%s, %s: got a node with the error", r.name, c.name)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "invariant: ") {
				t.Errorf("%s, %s: error %q lacks the package prefix", r.name, c.name, err)
			}
		}
	}
}

func TestMaskFromLengthsAndCheckMask(t *testing.T) {
	m, err := invariant.MaskFromLengths([]int{2, 1, 3}, 3, tensor.Float32)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{1, 1, 0, 1, 0, 0, 1, 1, 1}
	for i, v := range m.Data().([]float32) {
		if v != want[i] {
			t.Fatalf("mask = %v, want %v", m.Data(), want)
		}
	}
	if err := invariant.CheckMask(m); err != nil {
		t.Errorf("CheckMask of a valid mask: %v", err)
	}
	bad := []struct {
		name    string
		lengths []int
		b       int
		dt      tensor.Dtype
		want    error
	}{
		{"no sets", nil, 3, tensor.Float64, invariant.ErrEmptySet},
		{"zero rows", []int{1}, 0, tensor.Float64, invariant.ErrEmptySet},
		{"length 0", []int{0, 2}, 3, tensor.Float64, invariant.ErrNoRealRows},
		{"length > b", []int{4}, 3, tensor.Float64, invariant.ErrNoRealRows},
		{"int dtype", []int{1}, 3, tensor.Int, invariant.ErrDtype},
	}
	for _, c := range bad {
		if _, err := invariant.MaskFromLengths(c.lengths, c.b, c.dt); !errors.Is(err, c.want) {
			t.Errorf("MaskFromLengths %s: got %v, want %v", c.name, err, c.want)
		}
	}
	nan := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, math.NaN()}))
	if err := invariant.CheckMask(nan); !errors.Is(err, invariant.ErrMaskValue) {
		t.Errorf("CheckMask with NaN: got %v, want ErrMaskValue", err)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		bad := tensor.New(tensor.WithShape(3), tensor.WithBacking([]float64{0, v, 1}))
		if err := invariant.CheckFinite(bad); !errors.Is(err, invariant.ErrNonFinite) {
			t.Errorf("CheckFinite with %v: got %v, want ErrNonFinite", v, err)
		}
	}
	if err := invariant.CheckFinite(tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, -3}))); err != nil {
		t.Errorf("CheckFinite of finite float32 values: %v", err)
	}
	if err := invariant.CheckMask(nil); !errors.Is(err, invariant.ErrNilNode) {
		t.Errorf("CheckMask(nil): got %v", err)
	}
}
