package optim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// rig is a graph whose cost is Σ_i Σ_j w_i[j]·c_i[j], so that the gradient
// of each parameter w_i is the input c_i: a test sets the gradients it wants
// by Let-ting c_i, then runs the machine.
type rig struct {
	vm     gorgonia.VM
	params gorgonia.Nodes
	coeffs gorgonia.Nodes
}

var rigSizes = []int{3, 7, 1}

func newRig(t testing.TB, dt tensor.Dtype, rng *rand.Rand) *rig {
	t.Helper()
	g := gorgonia.NewGraph()
	r := &rig{}
	var cost *gorgonia.Node
	for i, n := range rigSizes {
		w := gorgonia.NewVector(g, dt, gorgonia.WithShape(n), gorgonia.WithName(fmt.Sprintf("w%d", i)),
			gorgonia.WithValue(randomDense(dt, rng, n)))
		c := gorgonia.NewVector(g, dt, gorgonia.WithShape(n), gorgonia.WithName(fmt.Sprintf("c%d", i)))
		term := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.HadamardProd(w, c))))
		if cost == nil {
			cost = term
		} else {
			cost = gorgonia.Must(gorgonia.Add(cost, term))
		}
		r.params = append(r.params, w)
		r.coeffs = append(r.coeffs, c)
	}
	if _, err := gorgonia.Grad(cost, r.params...); err != nil {
		t.Fatal(err)
	}
	r.vm = gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(r.params...))
	t.Cleanup(func() { r.vm.Close() })
	return r
}

func randomDense(dt tensor.Dtype, rng *rand.Rand, n int) *tensor.Dense {
	if dt == tensor.Float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		return tensor.New(tensor.WithShape(n), tensor.WithBacking(d))
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = rng.NormFloat64()
	}
	return tensor.New(tensor.WithShape(n), tensor.WithBacking(d))
}

// run sets the gradients to grads (one slice per parameter) by running the
// rig's graph.
func (r *rig) run(t testing.TB, grads [][]float64) {
	t.Helper()
	for i, c := range r.coeffs {
		v := tensor.New(tensor.WithShape(len(grads[i])), tensor.WithBacking(append([]float64(nil), grads[i]...)))
		if c.Dtype() == tensor.Float32 {
			f := make([]float32, len(grads[i]))
			for j, x := range grads[i] {
				f[j] = float32(x)
			}
			v = tensor.New(tensor.WithShape(len(f)), tensor.WithBacking(f))
		}
		if err := gorgonia.Let(c, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	r.vm.Reset()
}

func values(nodes gorgonia.Nodes) [][]float64 {
	out := make([][]float64, len(nodes))
	for i, n := range nodes {
		switch d := n.Value().Data().(type) {
		case []float64:
			out[i] = append([]float64(nil), d...)
		case []float32:
			out[i] = widen(d)
		}
	}
	return out
}

func randomGrads(rng *rand.Rand, scale float64) [][]float64 {
	out := make([][]float64, len(rigSizes))
	for i, n := range rigSizes {
		out[i] = make([]float64, n)
		for j := range out[i] {
			out[i][j] = scale * rng.NormFloat64()
		}
	}
	return out
}

// referenceAdam is the textbook form of the update (Kingma and Ba, Alg. 1)
// with bias-corrected moments, written independently of Adam's rearranged
// form.
type referenceAdam struct {
	cfg  AdamConfig
	t    int
	m, v [][]float64
}

func (r *referenceAdam) step(theta, g [][]float64) {
	if r.m == nil {
		for _, x := range theta {
			r.m = append(r.m, make([]float64, len(x)))
			r.v = append(r.v, make([]float64, len(x)))
		}
	}
	r.t++
	c := r.cfg
	for i := range theta {
		for j := range theta[i] {
			r.m[i][j] = c.Beta1*r.m[i][j] + (1-c.Beta1)*g[i][j]
			r.v[i][j] = c.Beta2*r.v[i][j] + (1-c.Beta2)*g[i][j]*g[i][j]
			mHat := r.m[i][j] / (1 - math.Pow(c.Beta1, float64(r.t)))
			vHat := r.v[i][j] / (1 - math.Pow(c.Beta2, float64(r.t)))
			theta[i][j] -= c.LR * mHat / (math.Sqrt(vHat) + c.Eps)
		}
	}
}

// TestAdamMatchesTextbook runs 40 steps on random gradients (of scales from
// 1e-3 to 10, so that ε and the bias corrections both matter) and compares
// every parameter with the textbook update. Tolerance: float64 differs only
// by rounding in a rearranged formula, 1e-12 relative to the learning rate
// per step over 40 steps; float32 keeps float32 moments and weights, so
// each step carries a relative error near 2⁻²³ ≈ 1.2e-7 of the step size
// and of |θ| ≈ 1: 1e-5 absolute covers 40 steps with a wide margin.
func TestAdamMatchesTextbook(t *testing.T) {
	for _, tc := range []struct {
		dt  tensor.Dtype
		tol float64
	}{{tensor.Float64, 40 * 1e-12}, {tensor.Float32, 1e-5}} {
		t.Run(tc.dt.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			r := newRig(t, tc.dt, rng)
			cfg := AdamConfig{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6}
			a, err := NewAdam(r.params, cfg)
			if err != nil {
				t.Fatal(err)
			}
			ref := referenceAdam{cfg: cfg}
			theta := values(r.params)
			scales := []float64{1e-3, 1, 10}
			for step := 0; step < 40; step++ {
				g := randomGrads(rng, scales[step%len(scales)])
				r.run(t, g)
				if err := a.Step(); err != nil {
					t.Fatal(err)
				}
				ref.step(theta, g)
			}
			got := values(r.params)
			for i := range got {
				for j := range got[i] {
					if d := math.Abs(got[i][j] - theta[i][j]); d > tc.tol {
						t.Errorf("param %d[%d] = %v, textbook %v (diff %.3g > %.3g)", i, j, got[i][j], theta[i][j], d, tc.tol)
					}
				}
			}
			if a.Steps() != 40 {
				t.Errorf("Steps() = %d, want 40", a.Steps())
			}
		})
	}
}

// TestAdamZeroesGradients checks that a step consumes the gradients: gorgonia
// adds into a dual value across runs, so without the zeroing the second run
// would see the sum of both gradients and the parameters would diverge from
// the textbook update.
func TestAdamZeroesGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := newRig(t, tensor.Float64, rng)
	a, err := NewAdam(r.params, AdamConfig{})
	if err != nil {
		t.Fatal(err)
	}
	r.run(t, randomGrads(rng, 1))
	if err := a.Step(); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.params {
		g, _ := p.Grad()
		for j, x := range g.Data().([]float64) {
			if x != 0 {
				t.Fatalf("gradient of %s[%d] = %v after Step, want 0", p.Name(), j, x)
			}
		}
	}
	want := randomGrads(rng, 1)
	r.run(t, want)
	for i, p := range r.params {
		g, _ := p.Grad()
		for j, x := range g.Data().([]float64) {
			if x != want[i][j] {
				t.Fatalf("gradient of %s[%d] = %v on the next run, want %v", p.Name(), j, x, want[i][j])
			}
		}
	}
}

// TestAdamRefusesNonFinite puts a NaN or an infinity in one gradient entry
// and checks that Step fails with ErrGradient and that nothing moved: the
// parameters, the moments and the step count are exactly as before.
func TestAdamRefusesNonFinite(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			rng := rand.New(rand.NewPCG(5, 6))
			r := newRig(t, dt, rng)
			a, err := NewAdam(r.params, AdamConfig{})
			if err != nil {
				t.Fatal(err)
			}
			r.run(t, randomGrads(rng, 1))
			if err := a.Step(); err != nil {
				t.Fatal(err)
			}
			before, state := values(r.params), a.State()
			g := randomGrads(rng, 1)
			g[1][4] = bad
			r.run(t, g)
			err = a.Step()
			if !errors.Is(err, ErrGradient) {
				t.Fatalf("%v gradient %v: error %v, want ErrGradient", dt, bad, err)
			}
			if after := values(r.params); !equal(before, after) {
				t.Errorf("%v gradient %v: parameters moved on a refused step", dt, bad)
			}
			if s := a.State(); s.Steps != state.Steps || !equal(s.M, state.M) || !equal(s.V, state.V) {
				t.Errorf("%v gradient %v: optimiser state changed on a refused step", dt, bad)
			}
		}
	}
}

func equal(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] && !(math.IsNaN(a[i][j]) && math.IsNaN(b[i][j])) {
				return false
			}
		}
	}
	return true
}

// TestAdamStateResumes checks that an optimiser restored from State on a
// copy of the parameters takes exactly the steps the original takes: bitwise
// equality, since both run the same arithmetic on the same numbers.
func TestAdamStateResumes(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		rng := rand.New(rand.NewPCG(7, 8))
		r1 := newRig(t, dt, rng)
		a1, err := NewAdam(r1.params, AdamConfig{LR: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			r1.run(t, randomGrads(rng, 1))
			if err := a1.Step(); err != nil {
				t.Fatal(err)
			}
		}
		r2 := newRig(t, dt, rng)
		for i, p := range r2.params {
			if err := tensor.Copy(p.Value().(*tensor.Dense), r1.params[i].Value().(*tensor.Dense)); err != nil {
				t.Fatal(err)
			}
		}
		a2, err := NewAdam(r2.params, AdamConfig{LR: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		if err := a2.SetState(a1.State()); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			g := randomGrads(rng, 1)
			r1.run(t, g)
			r2.run(t, g)
			if err := a1.Step(); err != nil {
				t.Fatal(err)
			}
			if err := a2.Step(); err != nil {
				t.Fatal(err)
			}
		}
		if !equal(values(r1.params), values(r2.params)) {
			t.Errorf("%v: resumed optimiser diverged from the original", dt)
		}
	}
}

// TestAdamSetStateRejects checks that states of the wrong size or with
// impossible moments are refused and leave the optimiser as it was.
func TestAdamSetStateRejects(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	r := newRig(t, tensor.Float32, rng)
	a, err := NewAdam(r.params, AdamConfig{})
	if err != nil {
		t.Fatal(err)
	}
	r.run(t, randomGrads(rng, 1))
	if err := a.Step(); err != nil {
		t.Fatal(err)
	}
	good := a.State()
	mutate := func(f func(s *AdamState)) AdamState {
		s := a.State()
		f(&s)
		return s
	}
	cases := map[string]AdamState{
		"negative steps":  mutate(func(s *AdamState) { s.Steps = -1 }),
		"missing param":   mutate(func(s *AdamState) { s.M, s.V = s.M[:2], s.V[:2] }),
		"short moments":   mutate(func(s *AdamState) { s.M[1] = s.M[1][:3] }),
		"negative v":      mutate(func(s *AdamState) { s.V[0][0] = -1 }),
		"NaN m":           mutate(func(s *AdamState) { s.M[2][0] = math.NaN() }),
		"beyond float32":  mutate(func(s *AdamState) { s.M[0][1] = 1e300 }),
		"infinite second": mutate(func(s *AdamState) { s.V[1][2] = math.Inf(1) }),
	}
	for name, s := range cases {
		if err := a.SetState(s); !errors.Is(err, ErrState) {
			t.Errorf("%s: error %v, want ErrState", name, err)
		}
		if now := a.State(); now.Steps != good.Steps || !equal(now.M, good.M) || !equal(now.V, good.V) {
			t.Errorf("%s: state changed by a refused SetState", name)
		}
	}
}

// TestAdamConfig checks defaults and the refusal of unusable settings.
func TestAdamConfig(t *testing.T) {
	if got, want := (AdamConfig{}).WithDefaults(), (AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}); got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	r := newRig(t, tensor.Float64, rng)
	for _, c := range []AdamConfig{
		{LR: -1}, {LR: math.NaN()}, {LR: math.Inf(1)}, {Beta1: 1}, {Beta1: -0.1},
		{Beta2: 1.5}, {Beta2: math.NaN()}, {Eps: -1e-8},
	} {
		if _, err := NewAdam(r.params, c); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: error %v, want ErrConfig", c, err)
		}
	}
	if _, err := NewAdam(nil, AdamConfig{}); !errors.Is(err, ErrConfig) {
		t.Errorf("no parameters: error %v, want ErrConfig", err)
	}
	a, err := NewAdam(r.params, AdamConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, lr := range []float64{0, -1, math.NaN()} {
		if err := a.SetLR(lr); !errors.Is(err, ErrConfig) || a.Config().LR != 1e-3 {
			t.Errorf("SetLR(%v): error %v, lr now %v", lr, err, a.Config().LR)
		}
	}
	if err := a.SetLR(0.5); err != nil || a.Config().LR != 0.5 {
		t.Errorf("SetLR(0.5): error %v, lr now %v", err, a.Config().LR)
	}
}

// TestAdamStepNodesSharedWeights builds a second graph whose parameters
// share the first graph's weight tensors (as equivariant's ShareIn does)
// and alternates steps between the two graphs' nodes: the result must equal
// the textbook update applied to the sequence of gradients, which is only so
// if both graphs update the same tensors with one set of moments.
func TestAdamStepNodesSharedWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	r1 := newRig(t, tensor.Float64, rng)
	r2 := newRig(t, tensor.Float64, rng)
	for i, p := range r2.params {
		if err := gorgonia.Let(p, r1.params[i].Value()); err != nil {
			t.Fatal(err)
		}
	}
	cfg := AdamConfig{LR: 0.02}
	a, err := NewAdam(r1.params, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref := referenceAdam{cfg: cfg.WithDefaults()}
	theta := values(r1.params)
	for step := 0; step < 10; step++ {
		g := randomGrads(rng, 1)
		r, nodes := r1, r1.params
		if step%2 == 1 {
			r, nodes = r2, r2.params
		}
		r.run(t, g)
		if err := a.StepNodes(nodes); err != nil {
			t.Fatal(err)
		}
		ref.step(theta, g)
	}
	got := values(r1.params)
	for i := range got {
		for j := range got[i] {
			if d := math.Abs(got[i][j] - theta[i][j]); d > 1e-12 {
				t.Errorf("param %d[%d] = %v, textbook %v", i, j, got[i][j], theta[i][j])
			}
		}
	}
	if err := a.StepNodes(r2.params[:1]); !errors.Is(err, ErrConfig) {
		t.Errorf("StepNodes with too few nodes: error %v, want ErrConfig", err)
	}
}
