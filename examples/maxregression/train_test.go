package main

import (
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// tiny is a configuration that trains the five models in a few seconds:
// 300 steps of 64 sets at width 16, with a larger learning rate than the
// published 1e-3 so that so few steps get somewhere.
var tiny = config{steps: 300, batch: 64, maxLen: 10, width: 16, test: 1000, curve: 3, curveSets: 1000, lr: 3e-3, decay: 0.5, scale: 100}

func TestTinyBeatsBaseline(t *testing.T) {
	o := options{cfg: tiny, seed: 1, seeds: 1, models: models}
	all, err := runAll(o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := constantBaseline(o)
	// The best constant (the median of the targets) errs by about 14.6.
	// Over seeds 1–5 of this configuration (measured when the test was
	// written) the max-pooled models reached MAE 0.01–0.18 and eq-mean
	// 4.5–7.9, so the bounds below leave a factor of 4 (max pooling:
	// base/20 ≈ 0.73) and of 1.4 (eq-mean: 0.75·base ≈ 11) for changes in
	// summation order or BLAS. The mean- and sum-pooled rFF baselines
	// reached 6.9–12.1: they are only required to beat the constant, the
	// task's point being that they learn the maximum poorly.
	bound := map[string]float64{
		"rff-max": base / 20, "eq-max": base / 20, "eq-mean": 0.75 * base,
		"rff-mean": base, "rff-sum": base,
	}
	for i, m := range o.models {
		mae := all[i][0].mae
		if !(mae < bound[m.name]) {
			t.Errorf("%s: test MAE %.4f, want below %.4f (constant baseline %.4f)", m.name, mae, bound[m.name], base)
		}
	}
	if !(base > 10 && base < 20) {
		t.Errorf("constant baseline %.3f: expected about 14.6 for the max of 1–10 draws from U[0, 100]", base)
	}
}

func TestSameSeedSameNumbers(t *testing.T) {
	cfg := tiny
	cfg.steps = 40
	m, _ := modelByName("eq-mean")
	a, err := run1(m, cfg, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := run1(m, cfg, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Same seed, same arithmetic in the same order: bit-identical.
	if a.mae != b.mae || !slices.Equal(a.curve, b.curve) || !slices.Equal(a.steps, b.steps) {
		t.Errorf("two runs with seed 7 differ: %v %v vs %v %v", a.mae, a.curve, b.mae, b.curve)
	}
	c, err := run1(m, cfg, 8, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.mae == a.mae {
		t.Errorf("seeds 7 and 8 give the same MAE %v: the seed is not used", a.mae)
	}
}

// Permuting the ten slots of a padded set, real and padded rows alike with
// their mask entries, changes only the order of the sums and maxima inside
// the network. With inputs in [0, 1], outputs of order 100 and ten rows,
// that moves a prediction by a few ulps of 100 (~1e-14); 1e-9 leaves five
// orders of margin and still catches any real dependence on order.
const permTol = 1e-9

func TestModelsPermutationInvariant(t *testing.T) {
	cfg := tiny
	cfg.width = 8
	for _, m := range models {
		tr, err := newTrainer(m, cfg, 11)
		if err != nil {
			t.Fatal(err)
		}
		// A few steps, so that the weights are not the initial ones.
		rng := rand.New(rand.NewPCG(11, 12))
		for range 5 {
			if _, err := tr.step(rng); err != nil {
				t.Fatal(err)
			}
		}
		params := gopter.DefaultTestParametersWithSeed(20190601)
		params.MinSuccessfulTests = 20
		props := gopter.NewProperties(params)
		props.Property(m.name+" is invariant to the order of slots", prop.ForAll(func(seed uint64) bool {
			r := rand.New(rand.NewPCG(seed, 1))
			b := newBatch(8, cfg.maxLen)
			b.fill(r)
			p := newBatch(8, cfg.maxLen)
			copy(p.target, b.target)
			for i := range b.n {
				perm := r.Perm(cfg.maxLen)
				for j, k := range perm {
					p.x[i*cfg.maxLen+j] = b.x[i*cfg.maxLen+k]
					p.mask[i*cfg.maxLen+j] = b.mask[i*cfg.maxLen+k]
				}
			}
			y1, err1 := tr.predict(b, b.n)
			y2, err2 := tr.predict(p, p.n)
			if err1 != nil || err2 != nil {
				return false
			}
			for i := range y1 {
				if math.Abs(y1[i]-y2[i]) > permTol*max(1, math.Abs(y1[i])) {
					t.Logf("set %d: %v vs %v", i, y1[i], y2[i])
					return false
				}
			}
			return true
		}, gen.UInt64()))
		props.TestingRun(t)
		tr.close()
	}
}
