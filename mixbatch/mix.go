package mixbatch

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/tensor"
)

// Draw is one draw of the mixing process for a set of B elements: the
// ratio p ~ P and the mixing vector β ~ Bernoulli(p)^B (Sec. 3.1).
type Draw struct {
	// P is the ratio drawn from the prior.
	P float64
	// Beta is the mixing vector: Beta[b] is true when row b of the mixed
	// batch is real (β_b = 1) and false when it is generated.
	Beta []bool
}

// Ones returns #β, the number of real rows.
func (d Draw) Ones() int {
	n := 0
	for _, v := range d.Beta {
		if v {
			n++
		}
	}
	return n
}

// Target returns #β/B, the ratio of real rows: the discriminator's target
// for the mixed batch.
func (d Draw) Target() float64 { return float64(d.Ones()) / float64(len(d.Beta)) }

// ComplementTarget returns 1 − #β/B, the target of the complementary batch
// built from the rows the mixed batch did not use. It is computed as
// (B − #β)/B, so that it is exact.
func (d Draw) ComplementTarget() float64 {
	return float64(len(d.Beta)-d.Ones()) / float64(len(d.Beta))
}

// SampleMask draws a mixing vector β ~ Bernoulli(p)^B: β_b is true with
// probability p, independently, one rng.Float64 per element.
func SampleMask(rng *rand.Rand, p float64, b int) ([]bool, error) {
	if rng == nil {
		return nil, fmt.Errorf("%w: random source", ErrNil)
	}
	if !(p >= 0 && p <= 1) {
		return nil, fmt.Errorf("%w: p = %v", ErrRatio, p)
	}
	if b < 1 {
		return nil, fmt.Errorf("%w: mask of %d elements", ErrEmpty, b)
	}
	return sampleMask(rng, p, b), nil
}

func sampleMask(rng *rand.Rand, p float64, b int) []bool {
	beta := make([]bool, b)
	for i := range beta {
		beta[i] = rng.Float64() < p
	}
	return beta
}

// Mixer draws mixed batches for a training loop: it holds the prior on p
// and the random source. A Mixer is not safe for concurrent use, since
// its draws advance one source; the same source in the same state gives
// the same draws. Every method validates its inputs before drawing, so a
// failed call leaves the source untouched.
type Mixer struct {
	prior Prior
	rng   *rand.Rand
}

// NewMixer returns a Mixer drawing p from prior and β from rng.
func NewMixer(prior Prior, rng *rand.Rand) (*Mixer, error) {
	if prior == nil {
		return nil, fmt.Errorf("%w: nil prior", ErrPrior)
	}
	if rng == nil {
		return nil, fmt.Errorf("%w: random source", ErrNil)
	}
	return &Mixer{prior: prior, rng: rng}, nil
}

// Prior returns the Mixer's prior.
func (m *Mixer) Prior() Prior { return m.prior }

// Draw draws p from the prior, then β ~ Bernoulli(p)^b.
func (m *Mixer) Draw(b int) (Draw, error) {
	if b < 1 {
		return Draw{}, fmt.Errorf("%w: draw for %d elements", ErrEmpty, b)
	}
	return m.draw(b)
}

func (m *Mixer) draw(b int) (Draw, error) {
	p := m.prior.Sample(m.rng)
	if !(p >= 0 && p <= 1) {
		return Draw{}, fmt.Errorf("%w: %v sampled p = %v", ErrPrior, m.prior, p)
	}
	return Draw{P: p, Beta: sampleMask(m.rng, p, b)}, nil
}

// Mixed is a mixed batch with its complement and their targets, for N
// sets (N = 1 for [Mixer.Mix]).
type Mixed struct {
	// Batch is m_β(x, x̃) (Eq. 2): row b of set n is the real row where
	// β_nb = 1 and the fake row otherwise. Same shape and dtype as the
	// inputs.
	Batch *tensor.Dense
	// Target has shape (N) and the inputs' dtype: #β/B for each set.
	Target *tensor.Dense
	// Complement is m_{1−β}(x, x̃), made of the rows Batch did not use
	// (the paper's reuse of discarded samples).
	Complement *tensor.Dense
	// ComplementTarget has shape (N): 1 − #β/B for each set. With a prior
	// symmetric about 1/2 (Uniform, Smoothing) the complement has the same
	// law as Batch.
	ComplementTarget *tensor.Dense
	// Draws holds p and β for each set.
	Draws []Draw
}

// Mix mixes one set: real and fake have the same shape (B, …) and dtype
// (float32 or float64), the first axis being the batch. It draws p and β
// and returns the mixed batch, the complementary batch and their targets
// #β/B and 1 − #β/B, as tensors of shape (1). The inputs are not
// modified; the outputs do not share memory with them.
func (m *Mixer) Mix(real, fake tensor.Tensor) (*Mixed, error) {
	return m.mix(real, fake, false)
}

// MixSets mixes N independent sets at once: real and fake have shape
// (N, B, …). Each set gets its own p and β, and Target and
// ComplementTarget have shape (N), ready for a discriminator that takes N
// sets per step.
func (m *Mixer) MixSets(real, fake tensor.Tensor) (*Mixed, error) {
	return m.mix(real, fake, true)
}

func (m *Mixer) mix(real, fake tensor.Tensor, sets bool) (*Mixed, error) {
	x, y, err := densePair(real, fake)
	if err != nil {
		return nil, err
	}
	shape := x.Shape()
	n, b := 1, shape[0]
	if sets {
		if shape.Dims() < 2 {
			return nil, fmt.Errorf("%w: sets of shape %v, want (N, B, …)", ErrShape, shape)
		}
		n, b = shape[0], shape[1]
	}
	draws := make([]Draw, n)
	for i := range draws {
		if draws[i], err = m.draw(b); err != nil {
			return nil, err
		}
	}
	return mixDense(x, y, draws), nil
}

// MixWith mixes one set with a given mixing vector (Eq. 2): real and fake
// have the same shape (B, …) and dtype, len(beta) = B. It returns
// m_β(x, x̃) and m_{1−β}(x, x̃) as new tensors.
func MixWith(beta []bool, real, fake tensor.Tensor) (mixed, complement *tensor.Dense, err error) {
	x, y, err := densePair(real, fake)
	if err != nil {
		return nil, nil, err
	}
	if len(beta) != x.Shape()[0] {
		return nil, nil, fmt.Errorf("%w: mixing vector of %d entries for a batch of shape %v", ErrShape, len(beta), x.Shape())
	}
	out := mixDense(x, y, []Draw{{Beta: beta}})
	return out.Batch, out.Complement, nil
}

// densePair checks that real and fake are host float tensors of one shape
// and dtype with no empty axis, and returns them as contiguous *Dense
// (views are copied).
func densePair(real, fake tensor.Tensor) (*tensor.Dense, *tensor.Dense, error) {
	x, err := hostDense(real, "real")
	if err != nil {
		return nil, nil, err
	}
	y, err := hostDense(fake, "fake")
	if err != nil {
		return nil, nil, err
	}
	if x.Dtype() != y.Dtype() {
		return nil, nil, fmt.Errorf("%w: real batch is %v, fake batch is %v", ErrDtype, x.Dtype(), y.Dtype())
	}
	if !x.Shape().Eq(y.Shape()) {
		return nil, nil, fmt.Errorf("%w: real batch %v, fake batch %v", ErrShape, x.Shape(), y.Shape())
	}
	shape := x.Shape()
	if shape.Dims() < 1 {
		return nil, nil, fmt.Errorf("%w: scalar batch, want (B, …)", ErrShape)
	}
	for i, s := range shape {
		if s == 0 {
			return nil, nil, fmt.Errorf("%w: axis %d of shape %v has size 0", ErrEmpty, i, shape)
		}
	}
	return x, y, nil
}

func hostDense(t tensor.Tensor, name string) (*tensor.Dense, error) {
	if t == nil {
		return nil, fmt.Errorf("%w: %s batch", ErrNil, name)
	}
	d, ok := t.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%w: %s batch is a %T, want *tensor.Dense", ErrDtype, name, t)
	}
	if d == nil {
		return nil, fmt.Errorf("%w: %s batch", ErrNil, name)
	}
	if d.Dtype() != tensor.Float64 && d.Dtype() != tensor.Float32 {
		return nil, fmt.Errorf("%w: %s batch is %v, want float32 or float64", ErrDtype, name, d.Dtype())
	}
	if !d.IsNativelyAccessible() {
		return nil, fmt.Errorf("%w: %s batch is not in host memory", ErrDtype, name)
	}
	if d.IsMaterializable() {
		md, ok := d.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%w: %s batch view could not be copied", ErrDtype, name)
		}
		d = md
	}
	return d, nil
}

// mixDense mixes the N = len(draws) sets of x and y, whose shape is
// (B, …) for one draw and (N, B, …) for several.
func mixDense(x, y *tensor.Dense, draws []Draw) *Mixed {
	shape := x.Shape().Clone()
	total := shape.TotalSize()
	if x.Dtype() == tensor.Float64 {
		return mixTyped(x.Data().([]float64), y.Data().([]float64), draws, shape, total)
	}
	return mixTyped(x.Data().([]float32), y.Data().([]float32), draws, shape, total)
}

func mixTyped[T float32 | float64](x, y []T, draws []Draw, shape tensor.Shape, total int) *Mixed {
	mixed := make([]T, total)
	comp := make([]T, total)
	n := len(draws)
	b := len(draws[0].Beta)
	row := total / (n * b)
	target := make([]T, n)
	ctarget := make([]T, n)
	for s, d := range draws {
		for i, real := range d.Beta {
			lo := (s*b + i) * row
			hi := lo + row
			if real {
				copy(mixed[lo:hi], x[lo:hi])
				copy(comp[lo:hi], y[lo:hi])
			} else {
				copy(mixed[lo:hi], y[lo:hi])
				copy(comp[lo:hi], x[lo:hi])
			}
		}
		target[s] = T(d.Target())
		ctarget[s] = T(d.ComplementTarget())
	}
	dense := func(data []T, sh ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(sh...), tensor.WithBacking(data))
	}
	return &Mixed{
		Batch:            dense(mixed, shape...),
		Complement:       dense(comp, shape...),
		Target:           dense(target, n),
		ComplementTarget: dense(ctarget, n),
		Draws:            draws,
	}
}

// MixedRows is a mixed batch of rows with its complement and targets.
type MixedRows struct {
	// Batch and Complement are m_β(x, x̃) and m_{1−β}(x, x̃), as new rows.
	Batch, Complement [][]float64
	// Target is #β/B; ComplementTarget is 1 − #β/B.
	Target, ComplementTarget float64
	// Draw holds p and β.
	Draw Draw
}

// MixRows is [Mixer.Mix] for a batch held as rows: real and fake have B
// rows each, all of one length. The result's rows are copies.
func (m *Mixer) MixRows(real, fake [][]float64) (*MixedRows, error) {
	if err := checkRows(real, fake); err != nil {
		return nil, err
	}
	d, err := m.draw(len(real))
	if err != nil {
		return nil, err
	}
	mixed, comp := mixRows(d.Beta, real, fake)
	return &MixedRows{Batch: mixed, Complement: comp, Target: d.Target(), ComplementTarget: d.ComplementTarget(), Draw: d}, nil
}

// MixRowsWith is [MixWith] for rows: it returns m_β(x, x̃) and
// m_{1−β}(x, x̃) as new rows.
func MixRowsWith(beta []bool, real, fake [][]float64) (mixed, complement [][]float64, err error) {
	if err := checkRows(real, fake); err != nil {
		return nil, nil, err
	}
	if len(beta) != len(real) {
		return nil, nil, fmt.Errorf("%w: mixing vector of %d entries for %d rows", ErrShape, len(beta), len(real))
	}
	mixed, complement = mixRows(beta, real, fake)
	return mixed, complement, nil
}

func checkRows(real, fake [][]float64) error {
	if len(real) == 0 || len(fake) == 0 {
		return fmt.Errorf("%w: %d real and %d fake rows", ErrEmpty, len(real), len(fake))
	}
	if len(real) != len(fake) {
		return fmt.Errorf("%w: %d real rows, %d fake rows", ErrShape, len(real), len(fake))
	}
	width := len(real[0])
	if width == 0 {
		return fmt.Errorf("%w: rows of length 0", ErrEmpty)
	}
	for i := range real {
		if len(real[i]) != width || len(fake[i]) != width {
			return fmt.Errorf("%w: row %d has %d real and %d fake values, row 0 has %d", ErrShape, i, len(real[i]), len(fake[i]), width)
		}
	}
	return nil
}

func mixRows(beta []bool, real, fake [][]float64) (mixed, comp [][]float64) {
	width := len(real[0])
	backing := make([]float64, 2*len(real)*width)
	mixed = make([][]float64, len(real))
	comp = make([][]float64, len(real))
	for i, r := range beta {
		mixed[i] = backing[(2*i)*width : (2*i+1)*width : (2*i+1)*width]
		comp[i] = backing[(2*i+1)*width : (2*i+2)*width : (2*i+2)*width]
		src, other := fake[i], real[i]
		if r {
			src, other = real[i], fake[i]
		}
		copy(mixed[i], src)
		copy(comp[i], other)
	}
	return mixed, comp
}
