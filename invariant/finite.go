package invariant

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CheckFinite reports whether every entry of t is finite. Reductions call
// it on inputs that already hold a value when the graph is built; feed the
// values of inputs that change between runs through it, since a NaN in a
// padded row spreads to the whole set (NaN·0 is NaN) and an Inf makes a
// mean meaningless.
func CheckFinite(t tensor.Tensor) error {
	if t == nil {
		return fmt.Errorf("%w: input value", ErrNilNode)
	}
	switch d := t.Data().(type) {
	case []float64:
		for i, v := range d {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: entry %d of %v is %v", ErrNonFinite, i, t.Shape(), v)
			}
		}
	case []float32:
		for i, v := range d {
			if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("%w: entry %d of %v is %v", ErrNonFinite, i, t.Shape(), v)
			}
		}
	case float64:
		if math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("%w: scalar is %v", ErrNonFinite, d)
		}
	case float32:
		if f := float64(d); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: scalar is %v", ErrNonFinite, d)
		}
	default:
		return fmt.Errorf("%w: value of %v", ErrDtype, t.Dtype())
	}
	return nil
}

// checkNodeValue applies CheckFinite to the value x holds, if any. Nodes
// without a value (placeholders fed later) pass.
func checkNodeValue(x *gorgonia.Node) error {
	v := x.Value()
	if v == nil {
		return nil
	}
	t, ok := v.(tensor.Tensor)
	if !ok {
		return nil // a scalar gorgonia value: checked by its consumer's shape rules
	}
	if err := CheckFinite(t); err != nil {
		return fmt.Errorf("%w (value of %q)", err, x.Name())
	}
	return nil
}
