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

// tiny trains each model for 384 steps (4096 sets, 6 epochs of 64) at width
// 16 with a learning rate of 1e-2, ten times the full run's, so that so
// few steps reach the exact per-digit values; it tests up to length 30.
var tiny = config{train: 4096, maxLen: 10, epochs: 6, batch: 64, width: 16, lr: 1e-2, test: 500,
	lengths: []int{5, 10, 15, 20, 25, 30}, curveLen: 10}

func TestTinyBeatsBaseline(t *testing.T) {
	o := options{cfg: tiny, seed: 1, models: models}
	res, err := runAll(o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	base := baseline(o.cfg, o.seed)
	// Predicting the mean sum 5·n is right for 2–7% of the sets. With
	// seeds 1–3 of this configuration (measured when the test was written)
	// both models scored 98.6–100% at every length; 90% leaves room for
	// changes in summation order and still demands that the models learned
	// the per-digit values, far above the baseline.
	const want = 0.90
	for i, m := range o.models {
		for j, l := range o.cfg.lengths {
			if a := res[i].acc[j]; a < want || a < base[j]+0.5 {
				t.Errorf("%s at length %d: accuracy %.3f, want ≥ %.2f (baseline %.3f)", m.name, l, a, want, base[j])
			}
		}
	}
	for j, b := range base {
		// round(5n) is the most likely sum, with probability ~1/(σ√(2π)),
		// σ = √(n·20/3): 6% at length 5, 2% at length 30.
		if b > 0.12 {
			t.Errorf("baseline %.3f at length %d: more than the mode's probability allows", b, o.cfg.lengths[j])
		}
	}
}

func TestSameSeedSameNumbers(t *testing.T) {
	cfg := tiny
	cfg.epochs = 1
	cfg.lengths = []int{5}
	a, err := run1(models[0], cfg, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := run1(models[0], cfg, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.acc, b.acc) || !slices.Equal(a.curve, b.curve) {
		t.Errorf("two runs with seed 5 differ: %v %v vs %v %v", a.acc, a.curve, b.acc, b.curve)
	}
	c, err := run1(models[0], cfg, 6, nil)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.curve, c.curve) {
		t.Error("seeds 5 and 6 give the same learning curve: the seed is not used")
	}
}

// Reordering the slots of a padded set, or padding it further, changes only
// the order of the sums inside the network. With one-hot inputs, outputs up
// to ~100 and at most 25 rows that is a few ulps of 100; 1e-9 leaves wide
// margin and catches any real dependence on order or padding.
const permTol = 1e-9

func TestModelsPermutationAndPaddingInvariant(t *testing.T) {
	cfg := tiny
	cfg.width = 8
	for _, m := range models {
		tr, err := newTrainer(m, cfg, 3)
		if err != nil {
			t.Fatal(err)
		}
		// A few steps, so that the weights are not the initial ones.
		data := drawSets(rand.New(rand.NewPCG(3, 3)), 256, 1, cfg.maxLen)
		for b := range 4 {
			idx := []int{}
			for i := range cfg.batch {
				idx = append(idx, (b*cfg.batch+i)%data.n)
			}
			if _, err := tr.step(data, idx); err != nil {
				t.Fatal(err)
			}
		}
		params := gopter.DefaultTestParametersWithSeed(20170601)
		params.MinSuccessfulTests = 15
		props := gopter.NewProperties(params)
		props.Property(m.name+" ignores the order of slots and extra padding", prop.ForAll(func(seed uint64) bool {
			r := rand.New(rand.NewPCG(seed, 1))
			s := drawSets(r, 6, 1, cfg.maxLen)
			// The same sets with their slots shuffled (padding included)
			// and padded to 25 slots.
			const wide = 25
			p := &sets{n: s.n, maxLen: wide, digit: make([]uint8, s.n*wide), length: s.length, sum: s.sum}
			for i := range s.n {
				// encode reads the first length slots of a set as its
				// elements, so shuffle the real digits among themselves.
				row := slices.Clone(s.digit[i*s.maxLen : i*s.maxLen+s.length[i]])
				r.Shuffle(len(row), func(a, b int) { row[a], row[b] = row[b], row[a] })
				copy(p.digit[i*wide:], row)
			}
			y1, err1 := tr.predict(s)
			y2, err2 := tr.predict(p)
			if err1 != nil || err2 != nil {
				t.Log(err1, err2)
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
		tr.vm.Close()
	}
}
