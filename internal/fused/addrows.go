package fused

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// AddRows returns x + r with r's rows broadcast over sets. x has any rank
// ≥ 1 and is read as rows of its last axis, (…, L); those rows form S sets
// of consecutive rows, where r is (S, L), and row s of r is added to every
// row of set s. With S = 1 it is a bias add; with one row per set of an
// equivariant layer, (S, B, L) + (S, L), it adds the pooled term. The
// number of rows of x must be a multiple of S. The result has x's shape;
// the gradient with respect to r is the sum of each set's rows.
func AddRows(x, r *gorgonia.Node) (*gorgonia.Node, error) {
	return applyAddRows(false, 0, x, r)
}

// AddRowsRectify returns max(v, slope·v) of v = AddRows(x, r): the ReLU
// for slope 0, a leaky ReLU for 0 < slope < 1. The slope must lie in
// [0, 1]. Its backward pass is [RectifyGrad] of the output.
func AddRowsRectify(x, r *gorgonia.Node, slope float64) (*gorgonia.Node, error) {
	if err := checkSlope(slope); err != nil {
		return nil, err
	}
	return applyAddRows(true, slope, x, r)
}

func applyAddRows(rect bool, slope float64, x, r *gorgonia.Node) (*gorgonia.Node, error) {
	const name = "AddRows"
	if err := checkNode(name, x); err != nil {
		return nil, err
	}
	if err := checkNode(name, r); err != nil {
		return nil, err
	}
	if x.Dtype() != r.Dtype() {
		return nil, fmt.Errorf("%w: %s of %v and %v", ErrDtype, name, x.Dtype(), r.Dtype())
	}
	if _, err := addRowsPerSet(x.Shape(), r.Shape()); err != nil {
		return nil, err
	}
	op := addRowsOp{rect: rect, slope: slope, shape: x.Shape().Clone(), sets: r.Shape()[0]}
	return gorgonia.ApplyOp(op, x, r)
}

// addRowsPerSet checks x (…, L) against r (S, L) and returns the number of
// rows of x per set.
func addRowsPerSet(x, r tensor.Shape) (int, error) {
	m, l, err := rowsOf("AddRows x", x)
	if err != nil {
		return 0, err
	}
	s, lr, err := matrix("AddRows rows", r)
	if err != nil {
		return 0, err
	}
	if l != lr || m%s != 0 {
		return 0, fmt.Errorf("%w: AddRows of %v and rows %v (want the same last axis and a whole number of rows per set)", ErrShape, x, r)
	}
	return m / s, nil
}

// addRowsOp computes μ(x + r broadcast per set), μ the identity or the
// rectifier max(v, slope·v), for x of the given shape and r of (sets, L).
type addRowsOp struct {
	rect  bool
	slope float64
	shape tensor.Shape
	sets  int
}

func (op addRowsOp) rowsShape() tensor.Shape {
	return tensor.Shape{op.sets, op.shape[op.shape.Dims()-1]}
}

func (op addRowsOp) Arity() int { return 2 }

func (op addRowsOp) Type() hm.Type {
	x := tensorType(op.shape.Dims())
	return hm.NewFnType(x, tensorType(2), x)
}

func (op addRowsOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 2, in)
	if err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[0], op.shape); err != nil {
		return nil, err
	}
	if err := sameShape(op.String()+" rows", s[1], op.rowsShape()); err != nil {
		return nil, err
	}
	return op.shape.Clone(), nil
}

func (op addRowsOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	out := newLike(v[0], op.shape)
	op.run(out, v[0], v[1])
	return out, nil
}

// UnsafeDo writes the result over x, which gorgonia allows when nothing
// else reads x later (OverwritesInput).
func (op addRowsOp) UnsafeDo(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(vals))
	}
	return op.UsePreallocDo(vals[0], vals...)
}

// UsePreallocDo writes the result into prealloc, which may be x. Gorgonia's
// tape machine calls it, rather than UnsafeDo, when the op's register
// already holds a value, which is so when the op overwrites its input.
// A prealloc that does not fit falls back to Do.
func (op addRowsOp) UsePreallocDo(prealloc gorgonia.Value, vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	dst, ok := destination(prealloc, v[0].Dtype(), op.shape)
	if !ok {
		return op.Do(vals...)
	}
	op.run(dst, v[0], v[1])
	return dst, nil
}

func (op addRowsOp) operands(vals []gorgonia.Value) ([]*tensor.Dense, error) {
	v, err := operands(op.String(), vals, 2)
	if err != nil {
		return nil, err
	}
	if err := sizeFits(op.String(), v[0], op.shape); err != nil {
		return nil, err
	}
	if err := sizeFits(op.String()+" rows", v[1], op.rowsShape()); err != nil {
		return nil, err
	}
	return v, nil
}

func (op addRowsOp) run(dst, x, r *tensor.Dense) {
	l := op.shape[op.shape.Dims()-1]
	perSet := op.shape.TotalSize() / l / op.sets
	switch xd := x.Data().(type) {
	case []float32:
		addRows(dst.Data().([]float32), xd, r.Data().([]float32), l, perSet, op.rect, float32(op.slope))
	case []float64:
		addRows(dst.Data().([]float64), xd, r.Data().([]float64), l, perSet, op.rect, op.slope)
	}
}

// ReturnsPtr is true: gorgonia's register allocator lets an op write over
// an input (OverwritesInput, UnsafeDo) only if it returns a pointer.
func (op addRowsOp) ReturnsPtr() bool     { return true }
func (op addRowsOp) CallsExtern() bool    { return false }
func (op addRowsOp) OverwritesInput() int { return 0 }

func (op addRowsOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.AddRows(rect=%t,slope=%x,shape=%v,sets=%d)", op.rect, math.Float64bits(op.slope), op.shape, op.sets)
}

func (op addRowsOp) Hashcode() uint32 { return hashOf(op) }

func (op addRowsOp) String() string {
	if !op.rect {
		return "AddRows"
	}
	return fmt.Sprintf("AddRowsRectify(%v)", op.slope)
}

func (op addRowsOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff: with d = ∂L/∂v (the rectifier's backward pass applied to the
// incoming gradient), ∂L/∂x = d and ∂L/∂r is the sum of d over each set.
func (op addRowsOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(inputs))
	}
	d := grad
	var err error
	if op.rect {
		if d, err = RectifyGrad(output, grad, op.slope); err != nil {
			return nil, err
		}
	}
	// One row per set: the sum over each set is d itself.
	if op.shape.Dims() == 2 && op.shape[0] == op.sets {
		return gorgonia.Nodes{d, d}, nil
	}
	dr, err := SetSum(d, op.sets)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d, dr}, nil
}

// addRows sets dst = μ(x + r) row by row; row i of x belongs to set
// i/perSet. dst may be x.
func addRows[T float32 | float64](dst, x, r []T, l, perSet int, rect bool, slope T) {
	rows := len(x) / l
	for i := 0; i < rows; i++ {
		xs, ds, rs := x[i*l:(i+1)*l], dst[i*l:(i+1)*l], r[(i/perSet)*l:(i/perSet+1)*l]
		switch {
		case !rect:
			for j, v := range xs {
				ds[j] = v + rs[j]
			}
		case slope == 0:
			for j, v := range xs {
				ds[j] = max(v+rs[j], 0)
			}
		default:
			// max(v, slope·v) is v for v ≥ 0 and slope·v below, for
			// 0 ≤ slope ≤ 1.
			for j, v := range xs {
				v += rs[j]
				ds[j] = max(v, slope*v)
			}
		}
	}
}
