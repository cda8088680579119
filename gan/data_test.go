package gan_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symnet/symnet/gan"
)

func TestPresets(t *testing.T) {
	cases := []struct {
		m          gan.Mixture
		k          int
		std        float64
		minX, maxX float64
	}{
		{gan.MixupRing(), 8, 0.01, -1, 1},
		{gan.PacGANRing(), 8, 0.01, -1, 1},
		{gan.MixupGrid(), 25, 0.01, -1, 1},
		{gan.PacGANGrid(), 25, 0.05, -4, 4},
	}
	for _, c := range cases {
		if c.m.K() != c.k || c.m.Std != c.std {
			t.Errorf("%s: %d modes of std %v, want %d of %v", c.m.Name, c.m.K(), c.m.Std, c.k, c.std)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, mu := range c.m.Means {
			lo, hi = math.Min(lo, mu[0]), math.Max(hi, mu[0])
		}
		// Means are computed by cos/sin or products of small integers:
		// exact to a few ulps.
		if math.Abs(lo-c.minX) > 1e-12 || math.Abs(hi-c.maxX) > 1e-12 {
			t.Errorf("%s: x range [%v, %v], want [%v, %v]", c.m.Name, lo, hi, c.minX, c.maxX)
		}
	}
	ring := gan.MixupRing()
	for i, mu := range ring.Means {
		if r := math.Hypot(mu[0], mu[1]); math.Abs(r-1) > 1e-12 {
			t.Errorf("ring mode %d at radius %v", i, r)
		}
	}
	grid := gan.PacGANGrid()
	for _, mu := range grid.Means {
		for _, v := range mu {
			if math.Mod(v+4, 2) != 0 {
				t.Errorf("PacGAN grid mode %v is not on {−4, −2, 0, 2, 4}²", mu)
			}
		}
	}
}

// TestSampleStatistics draws 50,000 points from each preset and from a
// small grid, assigns each point to its nearest mode (exact: the closest
// modes are 25 std apart, in the 3×3 grid, and a point strays half that
// far with probability below 1e-30), and checks every mode's frequency,
// mean and std along each axis. Tolerances are 5 standard errors:
// frequency s.e. √(p(1−p)/n), mean s.e. σ/√n_k, std s.e. ≈ σ/√(2 n_k).
func TestSampleStatistics(t *testing.T) {
	small, err := gan.Grid(3, 1, 0.04)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []gan.Mixture{small, gan.MixupRing(), gan.MixupGrid(), gan.PacGANGrid()} {
		checkSampleStatistics(t, m, uint64(i))
	}
}

func checkSampleStatistics(t *testing.T, m gan.Mixture, seed uint64) {
	const n = 50000
	x := m.Sample(rand.New(rand.NewPCG(3, 4+seed)), n)
	k := m.K()
	count := make([]float64, k)
	sum := make([][2]float64, k)
	sq := make([][2]float64, k)
	for i := 0; i < n; i++ {
		best, bd := 0, math.Inf(1)
		for j, mu := range m.Means {
			if d := math.Hypot(x[2*i]-mu[0], x[2*i+1]-mu[1]); d < bd {
				best, bd = j, d
			}
		}
		count[best]++
		for a := 0; a < 2; a++ {
			d := x[2*i+a] - m.Means[best][a]
			sum[best][a] += d
			sq[best][a] += d * d
		}
	}
	p := 1 / float64(k)
	for j := range count {
		if d := math.Abs(count[j]/n - p); d > 5*math.Sqrt(p*(1-p)/n) {
			t.Errorf("%s mode %d frequency %v, want %v", m.Name, j, count[j]/n, p)
		}
		for a := 0; a < 2; a++ {
			mean := sum[j][a] / count[j]
			std := math.Sqrt(sq[j][a]/count[j] - mean*mean)
			if math.Abs(mean) > 5*m.Std/math.Sqrt(count[j]) {
				t.Errorf("%s mode %d axis %d: mean offset %v", m.Name, j, a, mean)
			}
			if math.Abs(std-m.Std) > 5*m.Std/math.Sqrt(2*count[j]) {
				t.Errorf("%s mode %d axis %d: std %v, want %v", m.Name, j, a, std, m.Std)
			}
		}
	}
}

func TestSampleSameSeed(t *testing.T) {
	m := gan.MixupRing()
	a := m.Sample(rand.New(rand.NewPCG(1, 1)), 100)
	b := m.Sample(rand.New(rand.NewPCG(1, 1)), 100)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different sample at %d", i)
		}
	}
}

func TestMixtureBadConfig(t *testing.T) {
	bad := []func() error{
		func() error { _, err := gan.Ring(0, 1, 0.1); return err },
		func() error { _, err := gan.Ring(4, -1, 0.1); return err },
		func() error { _, err := gan.Ring(4, 1, 0); return err },
		func() error { _, err := gan.Ring(4, math.NaN(), 0.1); return err },
		func() error { _, err := gan.Grid(0, 1, 0.1); return err },
		func() error { _, err := gan.Grid(3, 0, 0.1); return err },
		func() error { _, err := gan.Grid(3, 1, math.Inf(1)); return err },
	}
	for i, f := range bad {
		if err := f(); !errors.Is(err, gan.ErrConfig) {
			t.Errorf("case %d: got %v, want ErrConfig", i, err)
		}
	}
}

// FuzzMixture: Ring and Grid with arbitrary parameters either refuse them
// with ErrConfig or return k (or k²) finite modes that Measure accepts.
func FuzzMixture(f *testing.F) {
	f.Add(8, 1.0, 0.01)
	f.Add(0, math.NaN(), -1.0)
	f.Add(5, 1e308, 1e-300)
	f.Fuzz(func(t *testing.T, k int, size, std float64) {
		if k > 64 || k < -64 {
			k %= 64 // keep the mixtures small; negative counts stay negative
		}
		for _, build := range []func() (gan.Mixture, error){
			func() (gan.Mixture, error) { return gan.Ring(k, size, std) },
			func() (gan.Mixture, error) { return gan.Grid(k, size, std) },
		} {
			m, err := build()
			if err != nil {
				if !errors.Is(err, gan.ErrConfig) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				continue
			}
			if m.K() != k && m.K() != k*k {
				t.Fatalf("%d modes for k = %d", m.K(), k)
			}
			for _, mu := range m.Means {
				if math.IsNaN(mu[0]) || math.IsInf(mu[0], 0) || math.IsNaN(mu[1]) || math.IsInf(mu[1], 0) {
					t.Fatalf("mode at %v", mu)
				}
			}
			if _, err := gan.Measure(m, []float64{0, 0}); err != nil {
				t.Fatalf("Measure refused a valid mixture: %v", err)
			}
		}
	})
}
