package gan

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// feed is an input node whose tensor is refilled in place before each run,
// so that a training step allocates no input tensors.
type feed struct {
	node *gorgonia.Node
	f64  []float64
	f32  []float32
}

func newFeed(g *gorgonia.ExprGraph, dt tensor.Dtype, name string, shape ...int) feed {
	t := tensor.New(tensor.WithShape(shape...), tensor.Of(dt))
	f := feed{node: gorgonia.NodeFromAny(g, t, gorgonia.WithName(name))}
	switch d := t.Data().(type) {
	case []float64:
		f.f64 = d
	case []float32:
		f.f32 = d
	}
	return f
}

func (f feed) len() int { return len(f.f64) + len(f.f32) }

// set copies src, converted to the feed's dtype; src must have f.len()
// entries.
func (f feed) set(src []float64) {
	if f.f64 != nil {
		copy(f.f64, src)
		return
	}
	narrowTo(f.f32, src)
}

// scalarOf returns v as a gorgonia value of dtype dt, for Let.
func scalarOf(dt tensor.Dtype, v float64) any {
	if dt == tensor.Float32 {
		return float32(v)
	}
	return v
}

// constOf returns a constant node of dtype dt.
func constOf(dt tensor.Dtype, v float64) *gorgonia.Node {
	return gorgonia.NewConstant(scalarOf(dt, v))
}

// scalarValue reads a scalar node's value as float64.
func scalarValue(n *gorgonia.Node) (float64, error) {
	switch v := n.Value().Data().(type) {
	case float64:
		return v, nil
	case float32:
		return float64(v), nil
	}
	return 0, fmt.Errorf("gan: node %q holds %T, want a scalar", n.Name(), n.Value().Data())
}

// floatsOf copies a float32 or float64 node value to []float64.
func floatsOf(v gorgonia.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	}
	return nil
}

// narrowTo copies src into dst, rounding to float32.
func narrowTo(dst []float32, src []float64) {
	for i, v := range src {
		dst[i] = float32(v)
	}
}
