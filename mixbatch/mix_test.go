package mixbatch_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/settest"
	"github.com/symnet/symnet/mixbatch"
)

// labelled returns a (N, B, rest...) or (B, rest...) batch whose entries
// encode where they came from: sign for real (+) or fake (−), then the
// set, row and position, so that a mixed batch can be traced back
// exactly.
func labelled(dt tensor.Dtype, real bool, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	data := make([]float64, n)
	for i := range data {
		data[i] = float64(i + 1)
		if !real {
			data[i] = -data[i]
		}
	}
	return dense(dt, data, shape...)
}

// rowsOf splits a tensor's data into its rows along the first
// (rows = shape[0]) or first two (rows = shape[0]·shape[1]) axes.
func rowsOf(t *tensor.Dense, rows int) [][]float64 {
	data := settest.Floats(t)
	width := len(data) / rows
	out := make([][]float64, rows)
	for i := range out {
		out[i] = data[i*width : (i+1)*width]
	}
	return out
}

// checkMixed asserts that row r of the mixed batch is row r of real where
// β_r = 1 and of fake otherwise, that the complement holds exactly the
// other row, and that the targets are #β/B and 1 − #β/B, summing to 1.
func checkMixed(t *testing.T, name string, m *mixbatch.Mixed, real, fake *tensor.Dense) {
	t.Helper()
	n := len(m.Draws)
	b := len(m.Draws[0].Beta)
	if !m.Batch.Shape().Eq(real.Shape()) || !m.Complement.Shape().Eq(real.Shape()) || m.Batch.Dtype() != real.Dtype() {
		t.Fatalf("%s: batch %v %v, complement %v, want %v %v", name, m.Batch.Shape(), m.Batch.Dtype(), m.Complement.Shape(), real.Shape(), real.Dtype())
	}
	if !m.Target.Shape().Eq(tensor.Shape{n}) || !m.ComplementTarget.Shape().Eq(tensor.Shape{n}) {
		t.Fatalf("%s: target shapes %v, %v, want (%d)", name, m.Target.Shape(), m.ComplementTarget.Shape(), n)
	}
	rr, fr := rowsOf(real, n*b), rowsOf(fake, n*b)
	mr, cr := rowsOf(m.Batch, n*b), rowsOf(m.Complement, n*b)
	tg, ctg := settest.Floats(m.Target), settest.Floats(m.ComplementTarget)
	for s, d := range m.Draws {
		if len(d.Beta) != b {
			t.Fatalf("%s: set %d has %d mixing entries, want %d", name, s, len(d.Beta), b)
		}
		ones := 0
		for i, isReal := range d.Beta {
			k := s*b + i
			use, other := fr[k], rr[k]
			if isReal {
				use, other = rr[k], fr[k]
				ones++
			}
			if !slices.Equal(mr[k], use) || !slices.Equal(cr[k], other) {
				t.Errorf("%s: set %d row %d (β = %v): mixed %v, complement %v; want %v, %v", name, s, i, isReal, mr[k], cr[k], use, other)
			}
		}
		// Targets in the batch's dtype: #β/B rounded once.
		want := float64(ones) / float64(b)
		if real.Dtype() == tensor.Float32 {
			want = float64(float32(want))
		}
		if tg[s] != want || d.Target() != float64(ones)/float64(b) || d.Ones() != ones {
			t.Errorf("%s: set %d target %v (draw %v, %d ones), want %v", name, s, tg[s], d.Target(), d.Ones(), want)
		}
		if d.Target()+d.ComplementTarget() != 1 || math.Abs(tg[s]+ctg[s]-1) > 1e-7 {
			t.Errorf("%s: set %d targets %v + %v ≠ 1", name, s, tg[s], ctg[s])
		}
	}
}

// TestMixRowsAreExact mixes labelled batches of several shapes and dtypes
// and traces every row of the mixed and complementary batches back to its
// source.
func TestMixRowsAreExact(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shape := range [][]int{{7}, {5, 2}, {4, 3, 2, 2}} {
			for _, sets := range []bool{false, true} {
				full := shape
				if sets {
					full = append([]int{3}, shape...)
				}
				real, fake := labelled(dt, true, full...), labelled(dt, false, full...)
				mixer, err := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(1))
				if err != nil {
					t.Fatal(err)
				}
				for rep := 0; rep < 5; rep++ {
					var m *mixbatch.Mixed
					if sets {
						m, err = mixer.MixSets(real, fake)
					} else {
						m, err = mixer.Mix(real, fake)
					}
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%v %v sets=%v rep %d", dt, full, sets, rep)
					if !sets && len(m.Draws) != 1 {
						t.Fatalf("%s: %d draws, want 1", name, len(m.Draws))
					}
					if sets && len(m.Draws) != 3 {
						t.Fatalf("%s: %d draws, want 3", name, len(m.Draws))
					}
					checkMixed(t, name, m, real, fake)
				}
			}
		}
	}
}

// TestMixWith: a given β selects rows as Eq. 2 says, for tensors and rows,
// and β = all ones / all zeros give the real / fake batch back.
func TestMixWith(t *testing.T) {
	real, fake := labelled(tensor.Float64, true, 4, 3), labelled(tensor.Float64, false, 4, 3)
	for _, beta := range [][]bool{{true, false, false, true}, {true, true, true, true}, {false, false, false, false}} {
		mixed, comp, err := mixbatch.MixWith(beta, real, fake)
		if err != nil {
			t.Fatal(err)
		}
		checkMixed(t, fmt.Sprint(beta), &mixbatch.Mixed{Batch: mixed, Complement: comp,
			Target: dense(tensor.Float64, []float64{frac(beta)}, 1), ComplementTarget: dense(tensor.Float64, []float64{1 - frac(beta)}, 1),
			Draws: []mixbatch.Draw{{Beta: beta}}}, real, fake)
		rm, rc, err := mixbatch.MixRowsWith(beta, rowsOf(real, 4), rowsOf(fake, 4))
		if err != nil {
			t.Fatal(err)
		}
		for i := range beta {
			if !slices.Equal(rm[i], rowsOf(mixed, 4)[i]) || !slices.Equal(rc[i], rowsOf(comp, 4)[i]) {
				t.Errorf("β = %v, row %d: MixRowsWith %v/%v, MixWith %v/%v", beta, i, rm[i], rc[i], rowsOf(mixed, 4)[i], rowsOf(comp, 4)[i])
			}
		}
	}
}

func frac(beta []bool) float64 {
	n := 0
	for _, b := range beta {
		if b {
			n++
		}
	}
	return float64(n) / float64(len(beta))
}

// TestMixRows: the [][]float64 path traces back exactly as the tensor path
// does, and its rows are copies.
func TestMixRows(t *testing.T) {
	real := [][]float64{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}}
	fake := [][]float64{{-1, -2}, {-3, -4}, {-5, -6}, {-7, -8}, {-9, -10}}
	mixer, _ := mixbatch.NewMixer(mustBeta(t, 2, 2), settest.Rand(4))
	for rep := 0; rep < 20; rep++ {
		m, err := mixer.MixRows(real, fake)
		if err != nil {
			t.Fatal(err)
		}
		ones := 0
		for i, isReal := range m.Draw.Beta {
			use, other := fake[i], real[i]
			if isReal {
				use, other = real[i], fake[i]
				ones++
			}
			if !slices.Equal(m.Batch[i], use) || !slices.Equal(m.Complement[i], other) {
				t.Errorf("row %d (β = %v): %v / %v", i, isReal, m.Batch[i], m.Complement[i])
			}
		}
		if m.Target != float64(ones)/5 || m.Target+m.ComplementTarget != 1 {
			t.Errorf("targets %v, %v for %d ones", m.Target, m.ComplementTarget, ones)
		}
		m.Batch[0][0] = 99 // must not reach the inputs
		m.Batch[0] = append(m.Batch[0], 7)
		if real[0][0] != 1 || fake[0][0] != -1 || m.Complement[0][0] == 99 || len(m.Complement[0]) != 2 {
			t.Fatalf("writing to a mixed row changed an input or the complement")
		}
	}
}

// TestMixDoesNotAlias: outputs share no memory with the inputs, including
// when every row comes from one side.
func TestMixDoesNotAlias(t *testing.T) {
	real, fake := labelled(tensor.Float64, true, 3, 2), labelled(tensor.Float64, false, 3, 2)
	mixer, _ := mixbatch.NewMixer(mustSmoothing(t, 0), settest.Rand(2))
	m, err := mixer.Mix(real, fake)
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(settest.Floats(m.Batch))
	for _, d := range [][]float64{real.Data().([]float64), fake.Data().([]float64)} {
		for i := range d {
			d[i] = 1e9
		}
	}
	if !slices.Equal(settest.Floats(m.Batch), before) {
		t.Errorf("changing the inputs changed the mixed batch")
	}
	m.Batch.Data().([]float64)[0] = 5
	if settest.Floats(m.Complement)[0] == 5 {
		t.Errorf("mixed batch and complement share memory")
	}
}

// TestMixView: a strided view as input is read by its shape.
func TestMixView(t *testing.T) {
	base := labelled(tensor.Float64, true, 4, 6)
	view, err := base.Slice(nil, gorgonia.S(0, 6, 2)) // columns 0, 2, 4: (4, 3)
	if err != nil {
		t.Fatal(err)
	}
	fake := labelled(tensor.Float64, false, 4, 3)
	mixer, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(3))
	m, err := mixer.Mix(view, fake)
	if err != nil {
		t.Fatal(err)
	}
	want := view.(*tensor.Dense).Materialize().(*tensor.Dense)
	checkMixed(t, "view", m, want, fake)
}

// zLimit for the sampler statistics: 4.5 standard errors, probability
// 6.8e−6 per check under a correct sampler (seeds are fixed).
const zLimit = 4.5

// TestMixerStatistics draws many mixed batches per prior and checks: the
// mean of p against E[p]; the frequency of β_b = 1 against E[p]; the
// frequency given p (the mean of #β − Bp, whose variance is Bp(1−p)); and
// that the complement's target is 1 − the batch's. A mixer that ignored p
// or drew β with another p would fail the conditional check at once.
func TestMixerStatistics(t *testing.T) {
	const (
		m = 20000
		b = 8
	)
	for i, p := range allPriors(t) {
		mixer, err := mixbatch.NewMixer(p, settest.Rand(uint64(300+i)))
		if err != nil {
			t.Fatal(err)
		}
		ps, freq, cond := make([]float64, m), make([]float64, m), make([]float64, m)
		var condVar float64
		for j := range m {
			d, err := mixer.Draw(b)
			if err != nil {
				t.Fatal(err)
			}
			ps[j] = d.P - p.mean
			freq[j] = d.Target() - p.mean
			cond[j] = float64(d.Ones()) - b*d.P
			condVar += b * d.P * (1 - d.P)
			if d.Target()+d.ComplementTarget() != 1 {
				t.Fatalf("%v: targets %v + %v ≠ 1", p, d.Target(), d.ComplementTarget())
			}
		}
		if z := zScore(ps); math.Abs(z) > zLimit {
			t.Errorf("%v: mean of p off by %.2f standard errors", p, z)
		}
		if z := zScore(freq); math.Abs(z) > zLimit {
			t.Errorf("%v: frequency of β = 1 off by %.2f standard errors", p, z)
		}
		// Given the p's, Σ(#β − Bp) has variance Σ Bp(1−p) exactly.
		if condVar > 0 {
			z := sum(cond) / math.Sqrt(condVar)
			if math.Abs(z) > zLimit {
				t.Errorf("%v: Σ(#β − Bp) off by %.2f standard deviations", p, z)
			}
		} else if sum(cond) != 0 { // γ = 0: p ∈ {0, 1}, β is determined
			t.Errorf("%v: p ∈ {0, 1} but #β ≠ Bp", p)
		}
	}
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// TestMixSetsIndependent: MixSets draws one p per set, the sets' p's are
// uncorrelated (lag-one correlation within zLimit/√pairs), each set's β
// follows its own p, and the rows of set n come from set n of the inputs
// (traced exactly by checkMixed).
func TestMixSetsIndependent(t *testing.T) {
	const (
		n    = 4
		b    = 5
		reps = 5000
	)
	real, fake := labelled(tensor.Float64, true, n, b, 2), labelled(tensor.Float64, false, n, b, 2)
	mixer, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(8))
	var prod []float64
	var cond, condVar float64
	distinct := 0
	for rep := 0; rep < reps; rep++ {
		m, err := mixer.MixSets(real, fake)
		if err != nil {
			t.Fatal(err)
		}
		if rep < 20 {
			checkMixed(t, fmt.Sprintf("rep %d", rep), m, real, fake)
		}
		for s := 0; s < n; s++ {
			d := m.Draws[s]
			cond += float64(d.Ones()) - b*d.P
			condVar += b * d.P * (1 - d.P)
			if s > 0 {
				// Uniform p: centred p's have variance 1/12.
				prod = append(prod, (d.P-0.5)*(m.Draws[s-1].P-0.5)*12)
				if d.P != m.Draws[s-1].P {
					distinct++
				}
			}
		}
	}
	if z := zScore(prod); math.Abs(z) > zLimit {
		t.Errorf("correlation of consecutive sets' p off zero by %.2f standard errors", z)
	}
	if z := cond / math.Sqrt(condVar); math.Abs(z) > zLimit {
		t.Errorf("Σ(#β − Bp) over sets off by %.2f standard deviations", z)
	}
	if distinct != reps*(n-1) {
		t.Errorf("%d of %d consecutive sets share p", reps*(n-1)-distinct, reps*(n-1))
	}
}

// TestMixSameSeed: two Mixers with one seed mix identically; a failed call
// does not advance the source.
func TestMixSameSeed(t *testing.T) {
	real, fake := labelled(tensor.Float32, true, 6, 3), labelled(tensor.Float32, false, 6, 3)
	bad := labelled(tensor.Float32, false, 5, 3)
	a, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(21))
	b, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(21))
	for i := 0; i < 20; i++ {
		if _, err := b.Mix(real, bad); err == nil {
			t.Fatal("mixing (6, 3) with (5, 3) succeeded")
		}
		if _, err := b.MixRows([][]float64{{1}}, nil); err == nil {
			t.Fatal("mixing rows with no fake rows succeeded")
		}
		if _, err := b.Draw(0); err == nil {
			t.Fatal("Draw(0) succeeded")
		}
		ma, err1 := a.Mix(real, fake)
		mb, err2 := b.Mix(real, fake)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if ma.Draws[0].P != mb.Draws[0].P || !slices.Equal(ma.Draws[0].Beta, mb.Draws[0].Beta) ||
			!slices.Equal(settest.Floats(ma.Batch), settest.Floats(mb.Batch)) {
			t.Fatalf("mix %d differs between two mixers with one seed", i)
		}
	}
}

// TestSampleMask: the frequency of ones matches p (binomial standard
// error), p = 0 and p = 1 are exact, and bad arguments are errors.
func TestSampleMask(t *testing.T) {
	rng := settest.Rand(12)
	for _, p := range []float64{0, 0.03, 0.5, 0.9, 1} {
		const b = 50000
		beta, err := mixbatch.SampleMask(rng, p, b)
		if err != nil || len(beta) != b {
			t.Fatalf("SampleMask(%v, %d): %d entries, %v", p, b, len(beta), err)
		}
		ones := frac(beta) * b
		se := math.Sqrt(b * p * (1 - p))
		if math.Abs(ones-b*p) > zLimit*se {
			t.Errorf("SampleMask(%v): %v ones of %d, want %v ± %.1f", p, ones, b, b*p, zLimit*se)
		}
	}
	for _, c := range []struct {
		p    float64
		b    int
		want error
	}{{-0.1, 3, mixbatch.ErrRatio}, {1.1, 3, mixbatch.ErrRatio}, {math.NaN(), 3, mixbatch.ErrRatio}, {0.5, 0, mixbatch.ErrEmpty}} {
		if beta, err := mixbatch.SampleMask(rng, c.p, c.b); !errors.Is(err, c.want) || beta != nil {
			t.Errorf("SampleMask(%v, %d): %v, %v; want %v", c.p, c.b, beta, err, c.want)
		}
	}
	if _, err := mixbatch.SampleMask(nil, 0.5, 3); !errors.Is(err, mixbatch.ErrNil) {
		t.Errorf("SampleMask with a nil source: %v, want ErrNil", err)
	}
}

// wildPrior samples outside [0, 1]: a user-defined prior with a bug.
type wildPrior struct{ mixbatch.Prior }

func (wildPrior) Sample(*rand.Rand) float64 { return 1.5 }

func TestMixBadInput(t *testing.T) {
	f64 := func(shape ...int) *tensor.Dense { return labelled(tensor.Float64, true, shape...) }
	f32 := func(shape ...int) *tensor.Dense { return labelled(tensor.Float32, true, shape...) }
	empty := func(shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking([]float64{}))
	}
	ints := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]int{1, 2, 3, 4}))
	var nilDense *tensor.Dense
	cases := []struct {
		name       string
		real, fake tensor.Tensor
		sets       bool
		want       error
	}{
		{"shape mismatch", f64(4, 3), f64(4, 2), false, mixbatch.ErrShape},
		{"batch size mismatch", f64(4, 3), f64(5, 3), false, mixbatch.ErrShape},
		{"dtype mismatch", f64(4, 3), f32(4, 3), false, mixbatch.ErrDtype},
		{"integer batch", ints, ints, false, mixbatch.ErrDtype},
		{"nil real", nil, f64(2), false, mixbatch.ErrNil},
		{"nil *Dense fake", f64(2), nilDense, false, mixbatch.ErrNil},
		{"B = 0", empty(0, 3), empty(0, 3), false, mixbatch.ErrEmpty},
		{"rows of width 0", empty(3, 0), empty(3, 0), false, mixbatch.ErrEmpty},
		{"MixSets of a vector", f64(4), f64(4), true, mixbatch.ErrShape},
		{"MixSets with B = 0", empty(2, 0, 3), empty(2, 0, 3), true, mixbatch.ErrEmpty},
	}
	for _, c := range cases {
		mixer, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(1))
		var m *mixbatch.Mixed
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("panic: %v", p)
				}
			}()
			if c.sets {
				m, err = mixer.MixSets(c.real, c.fake)
			} else {
				m, err = mixer.Mix(c.real, c.fake)
			}
		}()
		if !errors.Is(err, c.want) || m != nil {
			t.Errorf("%s: %v, %v; want %v", c.name, m, err, c.want)
		} else if !strings.HasPrefix(err.Error(), "mixbatch: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, err)
		}
	}
	if _, _, err := mixbatch.MixWith([]bool{true}, f64(2, 2), f64(2, 2)); !errors.Is(err, mixbatch.ErrShape) {
		t.Errorf("MixWith with a short β: %v, want ErrShape", err)
	}
	rowCases := []struct {
		name       string
		real, fake [][]float64
		want       error
	}{
		{"no rows", nil, nil, mixbatch.ErrEmpty},
		{"row counts differ", [][]float64{{1}, {2}}, [][]float64{{1}}, mixbatch.ErrShape},
		{"ragged real", [][]float64{{1, 2}, {3}}, [][]float64{{1, 2}, {3, 4}}, mixbatch.ErrShape},
		{"ragged fake", [][]float64{{1, 2}, {3, 4}}, [][]float64{{1, 2}, {3}}, mixbatch.ErrShape},
		{"width 0", [][]float64{{}, {}}, [][]float64{{}, {}}, mixbatch.ErrEmpty},
	}
	for _, c := range rowCases {
		mixer, _ := mixbatch.NewMixer(mixbatch.Uniform(), settest.Rand(1))
		if m, err := mixer.MixRows(c.real, c.fake); !errors.Is(err, c.want) || m != nil {
			t.Errorf("MixRows, %s: %v, %v; want %v", c.name, m, err, c.want)
		}
		if a, b, err := mixbatch.MixRowsWith(make([]bool, len(c.real)), c.real, c.fake); !errors.Is(err, c.want) || a != nil || b != nil {
			t.Errorf("MixRowsWith, %s: %v; want %v", c.name, err, c.want)
		}
	}
	if _, _, err := mixbatch.MixRowsWith([]bool{true}, [][]float64{{1}, {2}}, [][]float64{{1}, {2}}); !errors.Is(err, mixbatch.ErrShape) {
		t.Errorf("MixRowsWith with a short β: %v, want ErrShape", err)
	}
	if m, err := mixbatch.NewMixer(nil, settest.Rand(1)); !errors.Is(err, mixbatch.ErrPrior) || m != nil {
		t.Errorf("NewMixer(nil prior): %v, %v; want ErrPrior", m, err)
	}
	if m, err := mixbatch.NewMixer(mixbatch.Uniform(), nil); !errors.Is(err, mixbatch.ErrNil) || m != nil {
		t.Errorf("NewMixer(nil source): %v, %v; want ErrNil", m, err)
	}
	wild, _ := mixbatch.NewMixer(wildPrior{mixbatch.Uniform()}, settest.Rand(1))
	if _, err := wild.Draw(3); !errors.Is(err, mixbatch.ErrPrior) {
		t.Errorf("a prior that samples 1.5: %v, want ErrPrior", err)
	}
	if _, err := wild.Mix(f64(2, 1), f64(2, 1)); !errors.Is(err, mixbatch.ErrPrior) {
		t.Errorf("mixing with a prior that samples 1.5: %v, want ErrPrior", err)
	}
}
