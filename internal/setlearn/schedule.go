package setlearn

import "math"

// CosineTail returns the learning rate for step (1-based) of total: lr for
// the first (1−tail)·total steps, then a cosine decay towards 0 over the
// last tail·total steps. tail = 0 keeps lr constant; tail = 1 is the usual
// cosine schedule over the whole run.
//
// The rate of step s is read at s−1 steps into the run, so the first step
// gets lr and the last one a small positive rate rather than 0: an
// optimiser refuses a zero rate (optim.Adam.SetLR), and a step at rate 0
// would be wasted anyway. Arguments out of range (step < 1, tail outside
// [0, 1]) are clamped.
func CosineTail(lr float64, step, total int, tail float64) float64 {
	tail = math.Min(math.Max(tail, 0), 1)
	if tail == 0 || total <= 0 {
		return lr
	}
	start := (1 - tail) * float64(total)
	s := float64(max(step, 1) - 1)
	if s <= start {
		return lr
	}
	frac := math.Min((s-start)/(float64(total)-start), 1)
	return lr * 0.5 * (1 + math.Cos(math.Pi*frac))
}
