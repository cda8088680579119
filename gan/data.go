package gan

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mixture is a mixture of K isotropic Gaussians in the plane with equal
// weights and a common standard deviation: the toy data of the
// mode-dropping experiments (the paper's Sec. 5.1, after Zhang et al.,
// 2017). Each Gaussian is a mode.
type Mixture struct {
	// Name labels the data set in tables and plots.
	Name string
	// Means holds the K mode centres.
	Means [][2]float64
	// Std is the standard deviation of every mode along each axis.
	Std float64
}

// Ring returns k modes evenly spaced on a circle of the given radius,
// the first at angle 0.
func Ring(k int, radius, std float64) (Mixture, error) {
	if k < 1 || !(radius >= 0) || math.IsInf(radius, 0) || !(std > 0) || math.IsInf(std, 0) {
		return Mixture{}, fmt.Errorf("%w: ring of %d modes, radius %v, std %v", ErrConfig, k, radius, std)
	}
	m := Mixture{Name: fmt.Sprintf("ring%d", k), Std: std, Means: make([][2]float64, k)}
	for i := range m.Means {
		a := 2 * math.Pi * float64(i) / float64(k)
		m.Means[i] = [2]float64{radius * math.Cos(a), radius * math.Sin(a)}
	}
	if err := m.check(); err != nil {
		return Mixture{}, err
	}
	return m, nil
}

// Grid returns n×n modes on a square grid with the given spacing, centred
// on the origin.
func Grid(n int, spacing, std float64) (Mixture, error) {
	if n < 1 || !(spacing > 0) || math.IsInf(spacing, 0) || !(std > 0) || math.IsInf(std, 0) {
		return Mixture{}, fmt.Errorf("%w: %d×%d grid, spacing %v, std %v", ErrConfig, n, n, spacing, std)
	}
	m := Mixture{Name: fmt.Sprintf("grid%d", n*n), Std: std, Means: make([][2]float64, 0, n*n)}
	off := float64(n-1) / 2
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m.Means = append(m.Means, [2]float64{(float64(i) - off) * spacing, (float64(j) - off) * spacing})
		}
	}
	// A huge spacing can overflow to ±Inf at the outer modes.
	if err := m.check(); err != nil {
		return Mixture{}, err
	}
	return m, nil
}

// MixupRing is the ring of the mixup paper (Zhang et al., 2017), also
// PacGAN's 2D-ring: 8 modes of std 0.01 on the unit circle.
func MixupRing() Mixture { return mustMixture(Ring(8, 1, 0.01)).named("ring") }

// MixupGrid is the grid of the mixup paper: 5×5 modes of std 0.01 at
// {−1, −0.5, 0, 0.5, 1}².
func MixupGrid() Mixture { return mustMixture(Grid(5, 0.5, 0.01)).named("grid") }

// PacGANRing is PacGAN's 2D-ring (Lin et al., 2018); it is the same
// mixture as MixupRing.
func PacGANRing() Mixture { return MixupRing().named("pacgan-ring") }

// PacGANGrid is PacGAN's 2D-grid: 5×5 modes of std 0.05 at
// {−4, −2, 0, 2, 4}².
func PacGANGrid() Mixture { return mustMixture(Grid(5, 2, 0.05)).named("pacgan-grid") }

func mustMixture(m Mixture, err error) Mixture {
	if err != nil {
		panic(err) // the presets' constants are valid
	}
	return m
}

func (m Mixture) named(name string) Mixture { m.Name = name; return m }

// K returns the number of modes.
func (m Mixture) K() int { return len(m.Means) }

// Sample draws n points, returned row-major as n×2 values: a mode chosen
// uniformly, plus Gaussian noise of std Std on each axis.
func (m Mixture) Sample(rng *rand.Rand, n int) []float64 {
	out := make([]float64, 2*n)
	m.SampleTo(rng, out)
	return out
}

// SampleTo fills dst (len a multiple of 2) with len(dst)/2 points as Sample
// does, without allocating.
func (m Mixture) SampleTo(rng *rand.Rand, dst []float64) {
	for i := 0; i+1 < len(dst); i += 2 {
		c := m.Means[rng.IntN(len(m.Means))]
		dst[i] = c[0] + m.Std*rng.NormFloat64()
		dst[i+1] = c[1] + m.Std*rng.NormFloat64()
	}
}

func (m Mixture) check() error {
	if len(m.Means) == 0 || !(m.Std > 0) || math.IsInf(m.Std, 0) {
		return fmt.Errorf("%w: mixture %q with %d modes and std %v", ErrConfig, m.Name, len(m.Means), m.Std)
	}
	for i, c := range m.Means {
		if math.IsNaN(c[0]+c[1]) || math.IsInf(c[0]+c[1], 0) {
			return fmt.Errorf("%w: mode %d of %q at %v", ErrConfig, i, m.Name, c)
		}
	}
	return nil
}
