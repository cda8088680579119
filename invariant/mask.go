package invariant

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaskFromLengths returns a mask of shape (len(lengths), b) in the given
// dtype whose row i has lengths[i] ones followed by zeros: the mask of N
// sets padded to b rows. Every length must be in [1, b].
func MaskFromLengths(lengths []int, b int, dt tensor.Dtype) (*tensor.Dense, error) {
	if len(lengths) == 0 || b <= 0 {
		return nil, fmt.Errorf("%w: %d sets of %d rows", ErrEmptySet, len(lengths), b)
	}
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: mask of %v", ErrDtype, dt)
	}
	for i, l := range lengths {
		if l < 1 || l > b {
			return nil, fmt.Errorf("%w: set %d has length %d, want 1..%d", ErrNoRealRows, i, l, b)
		}
	}
	m := tensor.New(tensor.WithShape(len(lengths), b), tensor.Of(dt))
	for i, l := range lengths {
		for j := 0; j < l; j++ {
			if err := m.SetAt(one(dt), i, j); err != nil {
				return nil, fmt.Errorf("invariant: building mask: %w", err)
			}
		}
	}
	return m, nil
}

func one(dt tensor.Dtype) any {
	if dt == tensor.Float32 {
		return float32(1)
	}
	return 1.0
}

// CheckMask reports whether t is a valid mask: float32 or float64, every
// entry 0 or 1, and at least one 1 in every set, where a set is a row of a
// (N, B) mask or the whole of a (B) mask. Feed masks through CheckMask when
// their values change between runs of a graph; a mask that breaks these
// rules makes a masked mean divide by zero.
func CheckMask(t tensor.Tensor) error {
	if t == nil {
		return fmt.Errorf("%w: mask value", ErrNilNode)
	}
	shape := t.Shape()
	if shape.Dims() < 1 {
		return fmt.Errorf("%w: scalar mask", ErrMaskShape)
	}
	var vals []float64
	switch d := t.Data().(type) {
	case []float64:
		vals = d
	case []float32:
		vals = make([]float64, len(d))
		for i, v := range d {
			vals[i] = float64(v)
		}
	default:
		return fmt.Errorf("%w: mask of %v", ErrDtype, t.Dtype())
	}
	b := shape[shape.Dims()-1]
	if b == 0 || len(vals) == 0 {
		return fmt.Errorf("%w: mask of shape %v", ErrEmptySet, shape)
	}
	if dense, ok := t.(*tensor.Dense); ok && !dense.IsNativelyAccessible() {
		return fmt.Errorf("%w: mask not in host memory", ErrDtype)
	}
	for set := 0; set*b < len(vals); set++ {
		real := 0
		for j, v := range vals[set*b : (set+1)*b] {
			switch v {
			case 1:
				real++
			case 0:
			default:
				return fmt.Errorf("%w: entry %d of set %d is %v", ErrMaskValue, j, set, v)
			}
		}
		if real == 0 {
			return fmt.Errorf("%w: set %d", ErrNoRealRows, set)
		}
	}
	return nil
}

// checkMaskNode checks that mask fits x reduced over axis and, when the mask
// already holds a value, that the value is valid.
func checkMaskNode(mask, x *gorgonia.Node, axis int) error {
	if mask.Dtype() != x.Dtype() {
		return fmt.Errorf("%w: mask %q is %v, input %q is %v", ErrDtype, mask.Name(), mask.Dtype(), x.Name(), x.Dtype())
	}
	want := x.Shape()[:axis+1]
	if !mask.Shape().Eq(want) {
		return fmt.Errorf("%w: mask %q has shape %v, want %v for input shape %v and set axis %d",
			ErrMaskShape, mask.Name(), mask.Shape(), want, x.Shape(), axis)
	}
	if v := mask.Value(); v != nil {
		t, ok := v.(tensor.Tensor)
		if !ok {
			return fmt.Errorf("%w: mask %q holds a %T", ErrMaskShape, mask.Name(), v)
		}
		if err := CheckMask(t); err != nil {
			return fmt.Errorf("%w (value of mask %q)", err, mask.Name())
		}
	}
	return nil
}
