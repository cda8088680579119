package fused

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// hashOf is the Hashcode of an op: FNV-1a of what its WriteHash writes.
func hashOf(op interface{ WriteHash(hash.Hash) }) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// tensorType is the type of a tensor of the given rank whose dtype is the
// type variable a: the ops' operands and results share one dtype, which
// gorgonia's type inference then enforces.
func tensorType(dims int) gorgonia.TensorType {
	return gorgonia.TensorType{Dims: dims, Of: hm.TypeVariable('a')}
}

// shapesOf converts the dimension sizers that gorgonia passes to
// InferShape into shapes.
func shapesOf(name string, arity int, in []gorgonia.DimSizer) ([]tensor.Shape, error) {
	if len(in) != arity {
		return nil, fmt.Errorf("%w: %s takes %d operands, got %d", ErrArg, name, arity, len(in))
	}
	out := make([]tensor.Shape, len(in))
	for i, d := range in {
		s, ok := d.(tensor.Shape)
		if !ok {
			return nil, fmt.Errorf("%w: %s operand %d has no shape (%T)", ErrShape, name, i, d)
		}
		out[i] = s
	}
	return out, nil
}

// matrix returns the rows and columns of a rank-2 shape.
func matrix(name string, s tensor.Shape) (rows, cols int, err error) {
	if s.Dims() != 2 || s[0] < 1 || s[1] < 1 {
		return 0, 0, fmt.Errorf("%w: %s needs a non-empty matrix, got shape %v", ErrShape, name, s)
	}
	return s[0], s[1], nil
}

// rowsOf views a shape of rank ≥ 1 as rows of its last axis: (…, L) has
// TotalSize/L rows of L entries.
func rowsOf(name string, s tensor.Shape) (rows, cols int, err error) {
	if s.Dims() < 1 {
		return 0, 0, fmt.Errorf("%w: %s needs a tensor of rank ≥ 1, got shape %v", ErrShape, name, s)
	}
	for _, d := range s {
		if d < 1 {
			return 0, 0, fmt.Errorf("%w: %s of an empty tensor, shape %v", ErrShape, name, s)
		}
	}
	cols = s[s.Dims()-1]
	return s.TotalSize() / cols, cols, nil
}

// sameShape reports a run-time operand whose shape differs from the one
// the op was built for.
func sameShape(name string, got, want tensor.Shape) error {
	if !got.Eq(want) {
		return fmt.Errorf("%w: %s built for shape %v, given %v", ErrShape, name, want, got)
	}
	return nil
}

// sizeFits checks a run-time operand against the shape it had when the op
// was built. Only the number of entries must agree: gorgonia's Reshape can
// change the shape of a tensor that other nodes share (it reshapes in
// place), which leaves the row-major data as it was, and the ops here
// read and write that data by the shapes they were built with.
func sizeFits(name string, d *tensor.Dense, want tensor.Shape) error {
	if d.Size() != want.TotalSize() {
		return fmt.Errorf("%w: %s built for shape %v, given %v", ErrShape, name, want, d.Shape())
	}
	return nil
}

// denseOf returns v as a contiguous float32 or float64 *tensor.Dense,
// copying a view into fresh memory.
func denseOf(name string, v gorgonia.Value) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%w: %s operand is %T, want *tensor.Dense", ErrDtype, name, v)
	}
	if dt := d.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("%w: %s operand is %v", ErrDtype, name, dt)
	}
	if d.IsMaterializable() {
		m, ok := d.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%w: %s could not copy a view", ErrDtype, name)
		}
		d = m
	}
	return d, nil
}

// operands checks the run-time values of an op: their count, that they
// are dense float tensors of one dtype, and their shapes against want
// (computed by the op from the first operand's shape), which a caller
// passes as nil to skip.
func operands(name string, vals []gorgonia.Value, arity int) ([]*tensor.Dense, error) {
	if len(vals) != arity {
		return nil, fmt.Errorf("%w: %s takes %d operands, got %d", ErrArg, name, arity, len(vals))
	}
	out := make([]*tensor.Dense, arity)
	for i, v := range vals {
		d, err := denseOf(name, v)
		if err != nil {
			return nil, err
		}
		if i > 0 && d.Dtype() != out[0].Dtype() {
			return nil, fmt.Errorf("%w: %s operands are %v and %v", ErrDtype, name, out[0].Dtype(), d.Dtype())
		}
		out[i] = d
	}
	return out, nil
}

// destination returns prealloc as the tensor to write a result of the
// given dtype and shape into, reshaped to that shape, if it is a
// contiguous dense tensor of that dtype and size; ok is false otherwise.
func destination(prealloc gorgonia.Value, dt tensor.Dtype, shape tensor.Shape) (d *tensor.Dense, ok bool) {
	d, ok = prealloc.(*tensor.Dense)
	if !ok || d.Dtype() != dt || d.Size() != shape.TotalSize() || d.IsMaterializable() {
		return nil, false
	}
	if !d.Shape().Eq(shape) {
		if err := d.Reshape(shape...); err != nil {
			return nil, false
		}
	}
	return d, true
}

// newLike allocates a tensor of x's dtype with the given shape.
func newLike(x *tensor.Dense, shape tensor.Shape) *tensor.Dense {
	return tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(shape.Clone()...))
}

// checkNode reports a nil node or one that is not float32 or float64.
func checkNode(name string, n *gorgonia.Node) error {
	if n == nil {
		return fmt.Errorf("%w: %s of a nil node", ErrArg, name)
	}
	if dt := n.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return fmt.Errorf("%w: %s of %v node %q", ErrDtype, name, dt, n.Name())
	}
	return nil
}

// checkSlope accepts the slopes for which max(v, slope·v) is a rectifier
// whose output has the sign of its input, which is what lets RectifyGrad
// work from the output.
func checkSlope(slope float64) error {
	if !(slope >= 0 && slope <= 1) {
		return fmt.Errorf("%w: rectifier slope %v outside [0, 1]", ErrArg, slope)
	}
	return nil
}
