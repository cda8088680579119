package fused

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SetSum returns the sum of the rows of each set of x. x has any rank ≥ 1
// and is read as rows of its last axis, (…, L); the rows form the given
// number of sets of consecutive rows, and the result is (sets, L). Its
// gradient is [SetBroadcast].
func SetSum(x *gorgonia.Node, sets int) (*gorgonia.Node, error) {
	return applySetSum(x, sets, false)
}

// SetMean is [SetSum] divided by the number of rows per set: the mean over
// each set, ρ of an equivariant layer. It divides, as gorgonia's Mean
// does, rather than multiply by a rounded reciprocal. Its gradient is
// [SetBroadcastMean].
func SetMean(x *gorgonia.Node, sets int) (*gorgonia.Node, error) {
	return applySetSum(x, sets, true)
}

func applySetSum(x *gorgonia.Node, sets int, mean bool) (*gorgonia.Node, error) {
	op := setSumOp{sets: sets, mean: mean}
	if err := checkNode(op.String(), x); err != nil {
		return nil, err
	}
	if sets < 1 {
		return nil, fmt.Errorf("%w: %s into %d sets", ErrArg, op, sets)
	}
	op.in = x.Shape().Clone()
	if _, err := op.outShape(); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(op, x)
}

// SetBroadcast returns a tensor of the given shape, read as rows of its
// last axis, (…, L), whose rows form S sets of consecutive rows, every row
// of set s being r[s] for r of shape (S, L). It is the adjoint of
// [SetSum], and its gradient is SetSum.
func SetBroadcast(r *gorgonia.Node, shape tensor.Shape) (*gorgonia.Node, error) {
	return applySetBroadcast(r, shape, false)
}

// SetBroadcastMean is [SetBroadcast] divided by the number of rows per
// set: the adjoint of [SetMean], and its gradient is SetMean.
func SetBroadcastMean(r *gorgonia.Node, shape tensor.Shape) (*gorgonia.Node, error) {
	return applySetBroadcast(r, shape, true)
}

func applySetBroadcast(r *gorgonia.Node, shape tensor.Shape, mean bool) (*gorgonia.Node, error) {
	op := setBroadcastOp{mean: mean, out: shape.Clone()}
	if err := checkNode(op.String(), r); err != nil {
		return nil, err
	}
	if err := op.check(r.Shape()); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(op, r)
}

// setSumOp sums (or averages, if mean) the rows of each of sets sets of
// an operand of shape in.
type setSumOp struct {
	sets int
	mean bool
	in   tensor.Shape
}

func (op setSumOp) outShape() (tensor.Shape, error) {
	m, l, err := rowsOf(op.String(), op.in)
	if err != nil {
		return nil, err
	}
	if m%op.sets != 0 {
		return nil, fmt.Errorf("%w: %s of %d rows into %d sets", ErrShape, op, m, op.sets)
	}
	return tensor.Shape{op.sets, l}, nil
}

func (op setSumOp) Arity() int { return 1 }

func (op setSumOp) Type() hm.Type {
	return hm.NewFnType(tensorType(op.in.Dims()), tensorType(2))
}

func (op setSumOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 1, in)
	if err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[0], op.in); err != nil {
		return nil, err
	}
	return op.outShape()
}

func (op setSumOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := operands(op.String(), vals, 1)
	if err != nil {
		return nil, err
	}
	x := v[0]
	if err := sizeFits(op.String(), x, op.in); err != nil {
		return nil, err
	}
	shape, err := op.outShape()
	if err != nil {
		return nil, err
	}
	out := newLike(x, shape)
	perSet := op.in.TotalSize() / shape[1] / op.sets
	switch xd := x.Data().(type) {
	case []float32:
		setSum(out.Data().([]float32), xd, shape[1], perSet, op.mean)
	case []float64:
		setSum(out.Data().([]float64), xd, shape[1], perSet, op.mean)
	}
	return out, nil
}

func (op setSumOp) ReturnsPtr() bool     { return false }
func (op setSumOp) CallsExtern() bool    { return false }
func (op setSumOp) OverwritesInput() int { return -1 }

func (op setSumOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.SetSum(sets=%d,mean=%t,in=%v)", op.sets, op.mean, op.in)
}

func (op setSumOp) Hashcode() uint32 { return hashOf(op) }
func (op setSumOp) String() string {
	if op.mean {
		return fmt.Sprintf("SetMean(%d sets)", op.sets)
	}
	return fmt.Sprintf("SetSum(%d sets)", op.sets)
}

func (op setSumOp) DiffWRT(int) []bool { return []bool{true} }

func (op setSumOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%w: %s takes 1 operand, got %d", ErrArg, op, len(inputs))
	}
	d, err := applySetBroadcast(grad, op.in, op.mean)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d}, nil
}

// setBroadcastOp copies row s of its operand to every row of set s of a
// result of shape out, divided by the rows per set if mean.
type setBroadcastOp struct {
	mean bool
	out  tensor.Shape
}

// check validates r's shape (S, L) against the output shape.
func (op setBroadcastOp) check(r tensor.Shape) error {
	s, l, err := matrix(op.String(), r)
	if err != nil {
		return err
	}
	m, lo, err := rowsOf(op.String(), op.out)
	if err != nil {
		return err
	}
	if l != lo || m%s != 0 {
		return fmt.Errorf("%w: %s of rows %v to shape %v (want the same last axis and a whole number of rows per set)", ErrShape, op, r, op.out)
	}
	return nil
}

func (op setBroadcastOp) Arity() int { return 1 }

func (op setBroadcastOp) Type() hm.Type {
	return hm.NewFnType(tensorType(2), tensorType(op.out.Dims()))
}

func (op setBroadcastOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 1, in)
	if err != nil {
		return nil, err
	}
	if err := op.check(s[0]); err != nil {
		return nil, err
	}
	return op.out.Clone(), nil
}

func (op setBroadcastOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := operands(op.String(), vals, 1)
	if err != nil {
		return nil, err
	}
	r := v[0]
	if r.Shape().Dims() != 2 {
		return nil, fmt.Errorf("%w: %s of shape %v, want a matrix", ErrShape, op, r.Shape())
	}
	if err := op.check(r.Shape()); err != nil {
		return nil, err
	}
	out := newLike(r, op.out)
	l := r.Shape()[1]
	size := op.out.TotalSize() / l / r.Shape()[0]
	switch rd := r.Data().(type) {
	case []float32:
		setBroadcast(out.Data().([]float32), rd, l, size, op.mean)
	case []float64:
		setBroadcast(out.Data().([]float64), rd, l, size, op.mean)
	}
	return out, nil
}

func (op setBroadcastOp) ReturnsPtr() bool     { return false }
func (op setBroadcastOp) CallsExtern() bool    { return false }
func (op setBroadcastOp) OverwritesInput() int { return -1 }

func (op setBroadcastOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.SetBroadcast(mean=%t,out=%v)", op.mean, op.out)
}

func (op setBroadcastOp) Hashcode() uint32 { return hashOf(op) }
func (op setBroadcastOp) String() string {
	if op.mean {
		return fmt.Sprintf("SetBroadcastMean(to %v)", op.out)
	}
	return fmt.Sprintf("SetBroadcast(to %v)", op.out)
}

func (op setBroadcastOp) DiffWRT(int) []bool { return []bool{true} }

func (op setBroadcastOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%w: %s takes 1 operand, got %d", ErrArg, op, len(inputs))
	}
	d, err := applySetSum(grad, inputs[0].Shape()[0], op.mean)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d}, nil
}

// setSum sets each row s of dst (S×l) to the sum of rows s·perSet …
// (s+1)·perSet−1 of x, divided by perSet if mean.
func setSum[T float32 | float64](dst, x []T, l, perSet int, mean bool) {
	n := T(perSet)
	for s := 0; s < len(dst)/l; s++ {
		acc := dst[s*l : (s+1)*l]
		clear(acc)
		for b := 0; b < perSet; b++ {
			row := x[(s*perSet+b)*l:][:l]
			for j, v := range row {
				acc[j] += v
			}
		}
		if mean {
			for j := range acc {
				acc[j] /= n
			}
		}
	}
}

// setBroadcast sets rows s·size … (s+1)·size−1 of dst to r[s], divided
// by size if mean.
func setBroadcast[T float32 | float64](dst, r []T, l, size int, mean bool) {
	n := T(size)
	for s := 0; s < len(r)/l; s++ {
		src := dst[s*size*l : (s*size+1)*l]
		copy(src, r[s*l:(s+1)*l])
		if mean {
			for j := range src {
				src[j] /= n
			}
		}
		for b := 1; b < size; b++ {
			copy(dst[(s*size+b)*l:][:l], src)
		}
	}
}
