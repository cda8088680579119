package accel_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/accel"
	"github.com/symnet/symnet/internal/settest"
)

// useGonum restores gorgonia's default BLAS when the test ends, so that a
// failing test does not leave the others on accel.
func useGonum(t testing.TB) {
	gorgonia.Use(gonum.Implementation{})
	t.Cleanup(func() { gorgonia.Use(gonum.Implementation{}) })
}

// dense makes a tensor of dtype dt holding v.
func dense(dt tensor.Dtype, v []float64, shape ...int) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, x := range v {
			f[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

// products runs y = x·W forward and the gradients of Σ y⊙r backward, so
// that the graph does all three products of a dense layer: y = x·W,
// ∂/∂x = r·Wᵀ and ∂/∂W = xᵀ·r (the gradient of Σ y⊙r with respect to y is
// r exactly, so each result is one matrix product of the inputs).
func products(dt tensor.Dtype, x, w, r []float64, b, in, out int) (y, dx, dw []float64, err error) {
	g := gorgonia.NewGraph()
	xn := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(b, in), gorgonia.WithName("x"), gorgonia.WithValue(dense(dt, x, b, in)))
	wn := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(in, out), gorgonia.WithName("w"), gorgonia.WithValue(dense(dt, w, in, out)))
	rn := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(b, out), gorgonia.WithName("r"), gorgonia.WithValue(dense(dt, r, b, out)))
	yn, err := gorgonia.Mul(xn, wn)
	if err != nil {
		return nil, nil, nil, err
	}
	prod, err := gorgonia.HadamardProd(yn, rn)
	if err != nil {
		return nil, nil, nil, err
	}
	cost, err := gorgonia.Sum(prod)
	if err != nil {
		return nil, nil, nil, err
	}
	grads, err := gorgonia.Grad(cost, xn, wn)
	if err != nil {
		return nil, nil, nil, err
	}
	vm := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(xn, wn))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, nil, nil, err
	}
	return settest.Floats(yn.Value()), settest.Floats(grads[0].Value()), settest.Floats(grads[1].Value()), nil
}

// productBound is the rounding bound of checkCase in internal/gemm for the
// product of p (rows×k) and q (k×cols), given as accessors: two
// computations of an entry in any order differ by at most
// 2·1.01·(k+3)·u·Σ_l |p_il||q_lj|.
func productBound(u float64, rows, cols, k int, p, q func(i, l int) float64) []float64 {
	out := make([]float64, rows*cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			var s float64
			for l := 0; l < k; l++ {
				s += math.Abs(p(i, l) * q(l, j))
			}
			out[i*cols+j] = 2.02 * float64(k+3) * u * s
		}
	}
	return out
}

// TestGraphMatchesGonum runs the forward and backward products of a dense
// layer in a gorgonia graph with gonum's BLAS and then after accel.Use, and
// compares the results entry by entry within the rounding bound of each
// product. Where Use installs something other than accel's Implementation
// (OpenBLAS with the openblas tag; gonum on CPUs without the assembly
// kernels), the graph also runs with Implementation installed directly.
// The inputs are rounded to the dtype first, so all runs see the same
// numbers.
func TestGraphMatchesGonum(t *testing.T) {
	useGonum(t)
	installs := []struct {
		name    string
		install func()
	}{{"Use", accel.Use}}
	accel.Use()
	if !strings.HasPrefix(accel.Backend(), "accel/") {
		installs = append(installs, struct {
			name    string
			install func()
		}{"Implementation", func() { gorgonia.Use(accel.Implementation{}) }})
	}
	for _, in := range installs {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			for _, sz := range [][3]int{{2, 3, 5}, {37, 29, 45}, {130, 70, 300}} {
				t.Run(fmt.Sprintf("%s/%v/%dx%dx%d", in.name, dt, sz[0], sz[1], sz[2]), func(t *testing.T) {
					testGraph(t, in.install, dt, sz[0], sz[1], sz[2])
				})
			}
		}
	}
}

func testGraph(t *testing.T, install func(), dt tensor.Dtype, b, in, out int) {
	useGonum(t)
	u := 0x1p-53
	if dt == tensor.Float32 {
		u = 0x1p-24
	}
	rng := settest.Rand(uint64(b*in*out) + 7)
	draw := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
			if dt == tensor.Float32 {
				v[i] = float64(float32(v[i]))
			}
		}
		return v
	}
	x, w, r := draw(b*in), draw(in*out), draw(b*out)
	y0, dx0, dw0, err := products(dt, x, w, r, b, in, out)
	if err != nil {
		t.Fatal(err)
	}
	install()
	y1, dx1, dw1, err := products(dt, x, w, r, b, in, out)
	if err != nil {
		t.Fatal(err)
	}
	X := func(i, l int) float64 { return x[i*in+l] }
	W := func(i, l int) float64 { return w[i*out+l] }
	R := func(i, l int) float64 { return r[i*out+l] }
	for _, c := range []struct {
		name      string
		got, want []float64
		bound     []float64
	}{
		{"y = x·W", y1, y0, productBound(u, b, out, in, X, W)},
		{"dx = r·Wᵀ", dx1, dx0, productBound(u, b, in, out, R, func(l, j int) float64 { return W(j, l) })},
		{"dW = xᵀ·r", dw1, dw0, productBound(u, in, out, b, func(i, l int) float64 { return X(l, i) }, R)},
	} {
		if len(c.got) != len(c.want) {
			t.Fatalf("%s: %d values after %s, %d with gonum", c.name, len(c.got), accel.Backend(), len(c.want))
		}
		for i := range c.got {
			if d := math.Abs(c.got[i] - c.want[i]); !(d <= c.bound[i]) {
				t.Errorf("%s: entry %d = %v with %s, %v with gonum: |diff| %.3g > %.3g",
					c.name, i, c.got[i], accel.Backend(), c.want[i], d, c.bound[i])
				break
			}
		}
	}
}
