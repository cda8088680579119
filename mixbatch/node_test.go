package mixbatch_test

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
	"github.com/symnet/symnet/mixbatch"
)

// dense returns a tensor of shape with the values of data in dtype dt.
func dense(dt tensor.Dtype, data []float64, shape ...int) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(data))
		for i, v := range data {
			f[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
}

// nodeTol gives the agreement asked of a graph evaluated in dt with the
// float64 plain math. float64: the graph sums the same terms in another
// order, a few ulps of values up to 50, so 1e−13. float32: each operation
// rounds to 6e−8 relative, and the loss cancels terms of size up to
// |s| + |log u| ≤ 20, so 1e−5 absolute for values and 1e−6 for gradients
// (which are differences of numbers in [0, 1]).
func nodeTol(dt tensor.Dtype) (value, grad float64) {
	if dt == tensor.Float32 {
		return 1e-5, 1e-6
	}
	return 1e-13, 1e-14
}

// runLoss builds a loss over (logits, targets) in a fresh graph, asks
// gorgonia for the gradient with respect to the logits, runs it once and
// returns the loss value(s) and the gradient.
func runLoss(build func(l, u *gorgonia.Node) (*gorgonia.Node, error), logits, targets *tensor.Dense) (vals, grad []float64, err error) {
	g := gorgonia.NewGraph()
	l := settest.Input(g, "logits", logits)
	var u *gorgonia.Node
	if targets != nil {
		u = settest.Input(g, "targets", targets)
	}
	out, err := build(l, u)
	if err != nil {
		return nil, nil, err
	}
	cost := out
	if out.Shape().Dims() > 0 {
		if cost, err = gorgonia.Sum(out); err != nil {
			return nil, nil, err
		}
	}
	grads, err := gorgonia.Grad(cost, l)
	if err != nil {
		return nil, nil, err
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, nil, err
	}
	return settest.Floats(out.Value()), settest.Floats(grads[0].Value()), nil
}

// setsCase returns N sets of B logits and their targets, with logits of
// size up to about 4·scale and targets including 0 and 1.
func setsCase(seed uint64, n, b int, scale float64) (logits [][]float64, flat, targets []float64) {
	rng := settest.Rand(seed)
	logits = make([][]float64, n)
	targets = make([]float64, n)
	for i := range logits {
		logits[i] = make([]float64, b)
		for j := range logits[i] {
			logits[i][j] = scale * rng.NormFloat64()
			flat = append(flat, logits[i][j])
		}
		targets[i] = float64(rng.IntN(b+1)) / float64(b) // a real #β/B
	}
	return logits, flat, targets
}

// TestKLNodeMatchesPlain: elementwise values of KLNode and the gradient
// of their sum equal KL and σ(s) − u, in float64 and float32, for logits
// up to ±60 (beyond gorgonia's own softplus and sigmoid cut-offs) and
// targets including 0 and 1.
func TestKLNodeMatchesPlain(t *testing.T) {
	s := []float64{-60, -17, -2, -0.3, 0, 0.4, 1, 3, 18, 25, 60, 0.1}
	u := []float64{0, 1, 0.5, 0.25, 1, 0, 0.9, 0.1, 1, 0.7, 0, 0.5}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		vt, gt := nodeTol(dt)
		if dt == tensor.Float32 {
			vt = 3e-5 // values here reach 60, where a float32 ulp is 3.8e−6
		}
		for _, shape := range [][]int{{12}, {3, 4}, {2, 3, 2}} {
			vals, grad, err := runLoss(mixbatch.KLNode, dense(dt, s, shape...), dense(dt, u, shape...))
			if err != nil {
				t.Fatalf("%v %v: %v", dt, shape, err)
			}
			for i := range s {
				want, d, _ := mixbatch.KL(u[i], s[i])
				if math.Abs(vals[i]-want) > vt {
					t.Errorf("%v %v: KLNode(u = %v, s = %v) = %.10g, KL = %.10g", dt, shape, u[i], s[i], vals[i], want)
				}
				if math.Abs(grad[i]-d) > gt {
					t.Errorf("%v %v: ∂KLNode/∂s (u = %v, s = %v) = %.10g, want %.10g", dt, shape, u[i], s[i], grad[i], d)
				}
			}
		}
	}
}

// TestLossNodesMatchPlain compares DiscriminatorLossNode and
// GeneratorLossNode with DiscriminatorLoss and GeneratorLoss, value and
// gradient, for (N, B) and (N) logits, both reductions and both dtypes.
func TestLossNodesMatchPlain(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		vt, gt := nodeTol(dt)
		for seed := uint64(0); seed < 8; seed++ {
			n, b := 1+int(seed%4), 1+int(seed*3%7)
			logits, flat, targets := setsCase(seed, n, b, 4)
			for _, perSet := range []bool{false, true} {
				shape := []int{n, b}
				pl, pf := logits, flat
				if perSet { // one logit per set: shape (N)
					shape = []int{n}
					pl, pf = make([][]float64, n), make([]float64, n)
					for i := range pl {
						pl[i] = logits[i][:1]
						pf[i] = logits[i][0]
					}
				}
				for _, r := range []mixbatch.Reduction{mixbatch.BGAN, mixbatch.MBGAN} {
					name := fmt.Sprintf("%v, seed %d, logits %v, %v", dt, seed, shape, r)
					check := func(what string, vals, grad []float64, want float64, wantGrad [][]float64) {
						if len(vals) != 1 || math.Abs(vals[0]-want) > vt {
							t.Errorf("%s, %s: node loss %v, plain %.12g", name, what, vals, want)
						}
						k := 0
						for i := range wantGrad {
							for j := range wantGrad[i] {
								if math.Abs(grad[k]-wantGrad[i][j]) > gt {
									t.Errorf("%s, %s: gradient [%d][%d] node %.12g, plain %.12g", name, what, i, j, grad[k], wantGrad[i][j])
								}
								k++
							}
						}
					}
					want, wantGrad, err := mixbatch.DiscriminatorLoss(pl, targets, r)
					if err != nil {
						t.Fatal(err)
					}
					vals, grad, err := runLoss(func(l, u *gorgonia.Node) (*gorgonia.Node, error) {
						return mixbatch.DiscriminatorLossNode(l, u, r)
					}, dense(dt, pf, shape...), dense(dt, targets, n))
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					check("discriminator", vals, grad, want, wantGrad)

					want, wantGrad, err = mixbatch.GeneratorLoss(pl, r)
					if err != nil {
						t.Fatal(err)
					}
					vals, grad, err = runLoss(func(l, _ *gorgonia.Node) (*gorgonia.Node, error) {
						return mixbatch.GeneratorLossNode(l, r)
					}, dense(dt, pf, shape...), nil)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					check("generator", vals, grad, want, wantGrad)
				}
			}
		}
	}
}

// TestLossNodesGradCheck compares the gradients gorgonia derives for the
// node losses with central finite differences (internal/gradcheck, step
// 1e−6: errors far above 1e−8 mean a wrong gradient, not noise).
func TestLossNodesGradCheck(t *testing.T) {
	const tol = 1e-7
	for seed := uint64(0); seed < 4; seed++ {
		_, flat, targets := setsCase(seed+50, 3, 5, 3)
		builds := map[string]func(l, u *gorgonia.Node) (*gorgonia.Node, error){
			"KLNode": func(l, u *gorgonia.Node) (*gorgonia.Node, error) {
				k, err := mixbatch.KLNode(l, u)
				if err != nil {
					return nil, err
				}
				return gorgonia.Sum(k)
			},
		}
		for _, r := range []mixbatch.Reduction{mixbatch.BGAN, mixbatch.MBGAN} {
			builds["D "+r.String()] = func(l, u *gorgonia.Node) (*gorgonia.Node, error) {
				return mixbatch.DiscriminatorLossNode(l, u, r)
			}
			builds["G "+r.String()] = func(l, _ *gorgonia.Node) (*gorgonia.Node, error) {
				return mixbatch.GeneratorLossNode(l, r)
			}
		}
		for name, build := range builds {
			rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
				l := settest.Input(g, "logits", dense(tensor.Float64, flat, 3, 5))
				var u *gorgonia.Node
				if name == "KLNode" {
					uu := make([]float64, 15)
					for i := range uu {
						uu[i] = targets[i%3]
					}
					u = settest.Input(g, "targets", dense(tensor.Float64, uu, 3, 5))
				} else {
					u = settest.Input(g, "targets", dense(tensor.Float64, targets, 3))
				}
				cost, err := build(l, u)
				return cost, gorgonia.Nodes{l}, err
			})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if rep.MaxErr > tol {
				t.Errorf("seed %d, %s: gradient error %.2g > %v at %s", seed, name, rep.MaxErr, tol, rep.Worst)
			}
		}
	}
}

// TestPropertyLossNodePermutation (gopter): permuting the elements within
// each set of (N, B) logits leaves the node losses unchanged (float64,
// reordered sums: 1e−12) for both reductions.
func TestPropertyLossNodePermutation(t *testing.T) {
	props := gopter.NewProperties(propertyParams(150))
	props.Property("node losses invariant under permutations within sets", prop.ForAll(
		func(seed uint64, n, b int, mb bool) bool {
			r := mixbatch.BGAN
			if mb {
				r = mixbatch.MBGAN
			}
			_, flat, targets := setsCase(seed, n, b, 5)
			x := dense(tensor.Float64, flat, n, b)
			perms := make([][]int, n)
			rng := settest.Rand(seed + 1)
			for i := range perms {
				perms[i] = rng.Perm(b)
			}
			px := settest.PermuteRows(x, 1, perms)
			eval := func(x *tensor.Dense, gen bool) (float64, error) {
				v, _, err := runLoss(func(l, u *gorgonia.Node) (*gorgonia.Node, error) {
					if gen {
						return mixbatch.GeneratorLossNode(l, r)
					}
					return mixbatch.DiscriminatorLossNode(l, u, r)
				}, x, dense(tensor.Float64, targets, n))
				if err != nil {
					return 0, err
				}
				return v[0], nil
			}
			for _, gen := range []bool{false, true} {
				a, err1 := eval(x, gen)
				c, err2 := eval(px, gen)
				if err1 != nil || err2 != nil || math.Abs(a-c) > 1e-12*math.Max(1, math.Abs(a)) {
					return false
				}
			}
			return true
		},
		gen.UInt64(), gen.IntRange(1, 4), gen.IntRange(1, 8), gen.Bool(),
	))
	props.TestingRun(t)
}

// TestLossNodeOnView: a sliced logits node (a strided view at run time)
// gives the loss of the slice.
func TestLossNodeOnView(t *testing.T) {
	_, flat, targets := setsCase(7, 2, 6, 2)
	g := gorgonia.NewGraph()
	l := settest.Input(g, "logits", dense(tensor.Float64, flat, 2, 6))
	u := settest.Input(g, "targets", dense(tensor.Float64, targets, 2))
	sl, err := gorgonia.Slice(l, nil, gorgonia.S(1, 4))
	if err != nil {
		t.Fatal(err)
	}
	loss, err := mixbatch.DiscriminatorLossNode(sl, u, mixbatch.MBGAN)
	if err != nil {
		t.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	want, _, _ := mixbatch.DiscriminatorLoss([][]float64{flat[1:4], flat[7:10]}, targets, mixbatch.MBGAN)
	if got := settest.Floats(loss.Value())[0]; math.Abs(got-want) > 1e-13 {
		t.Errorf("loss of a sliced node = %.17g, want %.17g", got, want)
	}
}

func TestLossNodeBadInput(t *testing.T) {
	type build func(g *gorgonia.ExprGraph) (*gorgonia.Node, error)
	vec := func(g *gorgonia.ExprGraph, name string, dt tensor.Dtype, n int) *gorgonia.Node {
		return gorgonia.NewVector(g, dt, gorgonia.WithShape(n), gorgonia.WithName(name))
	}
	mat := func(g *gorgonia.ExprGraph, name string, dt tensor.Dtype, n, b int) *gorgonia.Node {
		return gorgonia.NewMatrix(g, dt, gorgonia.WithShape(n, b), gorgonia.WithName(name))
	}
	withValue := func(g *gorgonia.ExprGraph, name string, data []float64, shape ...int) *gorgonia.Node {
		return settest.Input(g, name, dense(tensor.Float64, data, shape...))
	}
	f64 := tensor.Float64
	cases := []struct {
		name  string
		build build
		want  error
	}{
		{"nil logits", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(nil, vec(g, "u", f64, 2), mixbatch.BGAN)
		}, mixbatch.ErrNil},
		{"nil targets", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.KLNode(vec(g, "s", f64, 2), nil)
		}, mixbatch.ErrNil},
		{"nil generator logits", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(nil, mixbatch.MBGAN)
		}, mixbatch.ErrNil},
		{"integer logits", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(mat(g, "s", tensor.Int, 2, 3), mixbatch.BGAN)
		}, mixbatch.ErrDtype},
		{"float32 logits, float64 targets", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", tensor.Float32, 2, 3), vec(g, "u", f64, 2), mixbatch.BGAN)
		}, mixbatch.ErrDtype},
		{"targets in another graph", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.KLNode(vec(g, "s", f64, 2), vec(gorgonia.NewGraph(), "u", f64, 2))
		}, mixbatch.ErrShape},
		{"KLNode shape mismatch", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.KLNode(vec(g, "s", f64, 3), vec(g, "u", f64, 4))
		}, mixbatch.ErrShape},
		{"targets (N+1)", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", f64, 2, 3), vec(g, "u", f64, 3), mixbatch.MBGAN)
		}, mixbatch.ErrShape},
		{"targets (N, 1)", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", f64, 2, 3), mat(g, "u", f64, 2, 1), mixbatch.MBGAN)
		}, mixbatch.ErrShape},
		{"logits (N, B, 1)", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			s := gorgonia.NewTensor(g, f64, 3, gorgonia.WithShape(2, 3, 1), gorgonia.WithName("s"))
			return mixbatch.GeneratorLossNode(s, mixbatch.BGAN)
		}, mixbatch.ErrShape},
		{"scalar logits", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(gorgonia.NewScalar(g, f64, gorgonia.WithName("s")), mixbatch.BGAN)
		}, mixbatch.ErrShape},
		{"B = 0", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", f64, 2, 0), vec(g, "u", f64, 2), mixbatch.BGAN)
		}, mixbatch.ErrEmpty},
		{"N = 0", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(mat(g, "s", f64, 0, 3), mixbatch.MBGAN)
		}, mixbatch.ErrEmpty},
		{"KLNode of an empty vector", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.KLNode(vec(g, "s", f64, 0), vec(g, "u", f64, 0))
		}, mixbatch.ErrEmpty},
		{"target 1.5", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", f64, 2, 3), withValue(g, "u", []float64{0.5, 1.5}, 2), mixbatch.BGAN)
		}, mixbatch.ErrTarget},
		{"target NaN", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.KLNode(vec(g, "s", f64, 2), withValue(g, "u", []float64{math.NaN(), 0}, 2))
		}, mixbatch.ErrTarget},
		{"NaN logit value", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(withValue(g, "s", []float64{0, math.NaN(), 1, 2}, 2, 2), mixbatch.MBGAN)
		}, mixbatch.ErrNotFinite},
		{"Inf logit value", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(withValue(g, "s", []float64{0, math.Inf(-1)}, 2), vec(g, "u", f64, 2), mixbatch.BGAN)
		}, mixbatch.ErrNotFinite},
		{"reduction 0", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.DiscriminatorLossNode(mat(g, "s", f64, 2, 3), vec(g, "u", f64, 2), mixbatch.Reduction(0))
		}, mixbatch.ErrReduction},
		{"generator reduction 9", func(g *gorgonia.ExprGraph) (*gorgonia.Node, error) {
			return mixbatch.GeneratorLossNode(mat(g, "s", f64, 2, 3), mixbatch.Reduction(9))
		}, mixbatch.ErrReduction},
	}
	for _, c := range cases {
		g := gorgonia.NewGraph()
		var out *gorgonia.Node
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			out, err = c.build(g)
		}()
		if !errors.Is(err, c.want) || out != nil {
			t.Errorf("%s: %v, %v; want %v", c.name, out, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, err)
		}
	}
}

// TestLossNodeAddsNothingOnError: a call that fails leaves the graph as it
// was.
func TestLossNodeAddsNothingOnError(t *testing.T) {
	g := gorgonia.NewGraph()
	s := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("s"))
	u := settest.Input(g, "u", dense(tensor.Float64, []float64{0.5, 2}, 2))
	before := len(g.AllNodes())
	if _, err := mixbatch.DiscriminatorLossNode(s, u, mixbatch.MBGAN); !errors.Is(err, mixbatch.ErrTarget) {
		t.Fatalf("got %v, want ErrTarget", err)
	}
	if after := len(g.AllNodes()); after != before {
		t.Errorf("failed call left %d nodes in the graph, had %d", after, before)
	}
}
