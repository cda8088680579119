package equivariant_test

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/invariant"
)

// FuzzDenseForward feeds arbitrary values to a Dense layer on a set of three
// 2-D elements. Non-finite input must be refused with ErrNonFinite; finite
// input must never panic, and for moderate magnitudes (|v| ≤ 1e6) the output
// must be equivariant under the rotation of the rows. The tolerance scales
// with the magnitude: reordering three terms of size ≤ 1e6 moves a sum by a
// few ulps of 1e6, well below 1e-9·(1+max|v|).
func FuzzDenseForward(f *testing.F) {
	f.Add(0.0, 1.0, 2.0, -3.0, 0.5, 7.0, uint8(0))
	f.Add(1e6, -1e6, 3.0, 1e-300, 0.0, 2.0, uint8(3))
	f.Add(math.NaN(), 0.0, 0.0, 0.0, 0.0, 0.0, uint8(1))
	f.Add(1e308, 1e308, 1e308, -1e308, 0.0, 0.0, uint8(2))
	f.Fuzz(func(t *testing.T, a, b, c, d, e, h float64, act uint8) {
		vals := []float64{a, b, c, d, e, h}
		activation := activations[int(act)%len(activations)]
		eval := func(rows []float64) ([]float64, error) {
			g := gorgonia.NewGraph()
			layer, err := equivariant.NewDense(g, equivariant.DenseConfig{In: 2, Out: 2, SetSize: 3, Activation: activation, Rand: settest.Rand(5)})
			if err != nil {
				return nil, err
			}
			x := settest.Input(g, "x", tensor.New(tensor.WithShape(3, 2), tensor.WithBacking(rows)))
			out, err := layer.Forward(x, nil)
			if err != nil {
				return nil, err
			}
			return run(g, out)
		}
		got, err := eval(append([]float64(nil), vals...))
		finite, big := true, 0.0
		for _, v := range vals {
			finite = finite && !math.IsNaN(v) && !math.IsInf(v, 0)
			big = math.Max(big, math.Abs(v))
		}
		if !finite {
			if !errors.Is(err, invariant.ErrNonFinite) {
				t.Fatalf("non-finite input %v: got error %v, want ErrNonFinite", vals, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("finite input %v: %v", vals, err)
		}
		if big > 1e6 {
			return
		}
		// Rotate the rows: row i of the new set is row (i+1) mod 3.
		rot := append(append([]float64(nil), vals[2:]...), vals[:2]...)
		gotRot, err := eval(rot)
		if err != nil {
			t.Fatal(err)
		}
		want := append(append([]float64(nil), got[2:]...), got[:2]...)
		if diff := settest.MaxAbsDiff(gotRot, want); diff > 1e-9*(1+big) {
			t.Fatalf("input %v: rotating the rows moves the output by %g", vals, diff)
		}
	})
}
