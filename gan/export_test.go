package gan

import "math"

// PoisonForTest writes NaN into one discriminator weight, so that the next
// discriminator step's loss is NaN.
func (t *Trainer) PoisonForTest() {
	p := t.disc.learnables()[0].Value().Data()
	switch d := p.(type) {
	case []float64:
		d[0] = math.NaN()
	case []float32:
		d[0] = float32(math.NaN())
	}
}
