package optim

import (
	"fmt"
	"math"
)

// AdamState is what a checkpoint needs to resume Adam exactly: the step
// count and both moment buffers, one slice per parameter in order. Moments
// of float32 parameters are widened to float64, which is exact.
type AdamState struct {
	Steps int
	M, V  [][]float64
}

// State returns a copy of the optimiser's state.
func (a *Adam) State() AdamState {
	s := AdamState{Steps: a.t, M: make([][]float64, len(a.moments)), V: make([][]float64, len(a.moments))}
	for i, mo := range a.moments {
		if mo.m64 != nil {
			s.M[i] = append([]float64(nil), mo.m64...)
			s.V[i] = append([]float64(nil), mo.v64...)
			continue
		}
		s.M[i], s.V[i] = widen(mo.m32), widen(mo.v32)
	}
	return s
}

// SetState restores a state taken by State from an optimiser over
// parameters of the same sizes. A state that does not fit returns an error
// wrapping ErrState and changes nothing.
func (a *Adam) SetState(s AdamState) error {
	n := len(a.moments)
	if s.Steps < 0 || len(s.M) != n || len(s.V) != n {
		return fmt.Errorf("%w: state of %d steps for %d/%d parameters, optimiser has %d", ErrState, s.Steps, len(s.M), len(s.V), n)
	}
	for i, mo := range a.moments {
		if len(s.M[i]) != mo.size() || len(s.V[i]) != mo.size() {
			return fmt.Errorf("%w: moments of %q have %d/%d entries, want %d", ErrState, a.params[i].Name(), len(s.M[i]), len(s.V[i]), mo.size())
		}
		// The largest moment the parameter's dtype can hold: a float32
		// moment past it would come back as an infinity.
		limit := math.MaxFloat64
		if mo.m64 == nil {
			limit = math.MaxFloat32
		}
		for j := range s.M[i] {
			if m, v := s.M[i][j], s.V[i][j]; !(math.Abs(m) <= limit) || !(v >= 0 && v <= limit) {
				return fmt.Errorf("%w: moments %d of %q are %v, %v", ErrState, j, a.params[i].Name(), m, v)
			}
		}
	}
	a.t = s.Steps
	for i, mo := range a.moments {
		if mo.m64 != nil {
			copy(mo.m64, s.M[i])
			copy(mo.v64, s.V[i])
			continue
		}
		narrowTo(mo.m32, s.M[i])
		narrowTo(mo.v32, s.V[i])
	}
	return nil
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

func narrowTo(dst []float32, src []float64) {
	for i, v := range src {
		dst[i] = float32(v)
	}
}
