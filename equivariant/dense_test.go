package equivariant_test

import (
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// Outputs are sums of ~n products of O(1) numbers; loops and gonum's gemm
// add them in different orders, which costs a few ulps: 1e-12 is ample.
const tol64 = 1e-12

func TestDenseMatchesEq12(t *testing.T) {
	for _, act := range activations {
		for _, shape := range [][]int{{5, 3}, {1, 3}, {3, 4, 2}} {
			for _, masked := range []bool{false, true} {
				g := gorgonia.NewGraph()
				rng := settest.Rand(11)
				n := shape[len(shape)-1]
				d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: n, Out: 4, SetSize: 8, Activation: act, Rand: rng})
				if err != nil {
					t.Fatal(err)
				}
				// A non-zero bias, so that β is checked too.
				copy(d.Beta.Value().Data().([]float64), []float64{0.1, -0.2, 0.3, -0.4})
				xt := settest.Normal(rng, shape...)
				sets, b := 1, shape[0]
				if len(shape) == 3 {
					sets, b = shape[0], shape[1]
				}
				var mask *gorgonia.Node
				var mvals []float64
				if masked {
					lengths := make([]int, sets)
					for i := range lengths {
						lengths[i] = 1 + i%b
					}
					mt, err := invariant.MaskFromLengths(lengths, b, tensor.Float64)
					if err != nil {
						t.Fatal(err)
					}
					mt.Reshape(shape[:len(shape)-1]...)
					mvals = mt.Data().([]float64)
					mask = input(g, "mask", mt)
				}
				out, err := d.Forward(input(g, "x", xt), mask)
				if err != nil {
					t.Fatal(err)
				}
				wantShape := append(append([]int{}, shape[:len(shape)-1]...), 4)
				if !out.Shape().Eq(tensor.Shape(wantShape)) {
					t.Fatalf("output shape %v, want %v", out.Shape(), wantShape)
				}
				got, err := run(g, out)
				if err != nil {
					t.Fatal(err)
				}
				x := xt.Data().([]float64)
				for s := 0; s < sets; s++ {
					var m []float64
					if masked {
						m = mvals[s*b : (s+1)*b]
					}
					want := referenceDense(d, act, x[s*b*n:(s+1)*b*n], b, m)
					gs := got[s*b*4 : (s+1)*b*4]
					for r := 0; r < b; r++ {
						if m != nil && m[r] == 0 {
							continue // padded rows' outputs are unspecified
						}
						if diff := settest.MaxAbsDiff(gs[r*4:(r+1)*4], want[r*4:(r+1)*4]); diff > tol64 {
							t.Errorf("%v %v masked=%v set %d row %d: differs from Eq. 12 by %g", act, shape, masked, s, r, diff)
						}
					}
				}
			}
		}
	}
}

// TestDenseReweighting redraws the layer's weights from the same source
// and checks Λ = B/(B+1)·draw and Γ = 1/(B+1)·draw (Sec. 4.3).
func TestDenseReweighting(t *testing.T) {
	const n, l, b = 6, 5, 63
	for _, scheme := range []equivariant.Init{equivariant.Glorot, equivariant.He, equivariant.FanInUniform} {
		g := gorgonia.NewGraph()
		d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: n, Out: l, SetSize: b, Init: scheme, Rand: settest.Rand(3)})
		if err != nil {
			t.Fatal(err)
		}
		rng := settest.Rand(3)
		draw := func() float64 {
			switch scheme {
			case equivariant.He:
				return math.Sqrt(2.0/n) * rng.NormFloat64()
			case equivariant.FanInUniform:
				return (2*rng.Float64() - 1) / math.Sqrt(n)
			}
			return math.Sqrt(6.0/(n+l)) * (2*rng.Float64() - 1)
		}
		lw, gw := equivariant.Reweighting(b)
		if lw != 63.0/64 || gw != 1.0/64 {
			t.Fatalf("Reweighting(63) = %v, %v; want 63/64, 1/64", lw, gw)
		}
		for i, v := range floats(d.Lambda) {
			if want := lw * draw(); math.Abs(v-want) > 1e-15 {
				t.Fatalf("%v: Lambda[%d] = %v, want %v", scheme, i, v, want)
			}
		}
		for i, v := range floats(d.Gamma) {
			if want := gw * draw(); math.Abs(v-want) > 1e-15 {
				t.Fatalf("%v: Gamma[%d] = %v, want %v", scheme, i, v, want)
			}
		}
		for _, v := range floats(d.Beta) {
			if v != 0 {
				t.Fatalf("%v: bias starts at %v, want 0", scheme, v)
			}
		}
	}
}

func TestDenseSameSeedSameLayer(t *testing.T) {
	build := func() []float64 {
		g := gorgonia.NewGraph()
		d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 3, Out: 3, SetSize: 4, Rand: settest.Rand(9)})
		if err != nil {
			t.Fatal(err)
		}
		return append(floats(d.Lambda), floats(d.Gamma)...)
	}
	if d := settest.MaxAbsDiff(build(), build()); d != 0 {
		t.Errorf("two layers from the same seed differ by %g", d)
	}
}

// TestDenseFloat32 compares a float32 layer with the float64 reference: the
// float32 rounding of inputs and weights (ε ≈ 6e-8) over sums of 3 terms
// stays below 1e-5.
func TestDenseFloat32(t *testing.T) {
	g := gorgonia.NewGraph()
	d, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 3, Out: 4, SetSize: 5, Activation: equivariant.Tanh, Dtype: tensor.Float32, Rand: settest.Rand(5)})
	if err != nil {
		t.Fatal(err)
	}
	x := settest.Normal(settest.Rand(6), 5, 3)
	x32 := make([]float32, 15)
	for i, v := range x.Data().([]float64) {
		x32[i] = float32(v)
	}
	out, err := d.Forward(gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(5, 3), tensor.WithBacking(x32)), gorgonia.WithName("x")), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := run(g, out)
	if err != nil {
		t.Fatal(err)
	}
	want := referenceDense(d, equivariant.Tanh, x.Data().([]float64), 5, nil)
	if diff := settest.MaxAbsDiff(got, want); diff > 1e-5 {
		t.Errorf("float32 layer differs from reference by %g", diff)
	}
}
