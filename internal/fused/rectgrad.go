package fused

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// RectifyGrad is the backward pass of the rectifier max(v, slope·v) given
// its output y: grad where y > 0 and slope·grad elsewhere. A rectifier's
// output has the sign of its input for slopes in [0, 1], so no mask of the
// input needs to be kept. At v = 0 the derivative is taken as slope. y and
// grad must have the same shape.
func RectifyGrad(y, grad *gorgonia.Node, slope float64) (*gorgonia.Node, error) {
	const name = "RectifyGrad"
	if err := checkSlope(slope); err != nil {
		return nil, err
	}
	if err := checkNode(name, y); err != nil {
		return nil, err
	}
	if err := checkNode(name, grad); err != nil {
		return nil, err
	}
	if y.Dtype() != grad.Dtype() {
		return nil, fmt.Errorf("%w: %s of %v and %v", ErrDtype, name, y.Dtype(), grad.Dtype())
	}
	if !y.Shape().Eq(grad.Shape()) {
		return nil, fmt.Errorf("%w: %s of output %v and gradient %v", ErrShape, name, y.Shape(), grad.Shape())
	}
	if _, _, err := rowsOf(name, y.Shape()); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(rectGradOp{slope: slope, shape: y.Shape().Clone()}, y, grad)
}

type rectGradOp struct {
	slope float64
	shape tensor.Shape
}

func (op rectGradOp) Arity() int { return 2 }

func (op rectGradOp) Type() hm.Type {
	t := tensorType(op.shape.Dims())
	return hm.NewFnType(t, t, t)
}

func (op rectGradOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 2, in)
	if err != nil {
		return nil, err
	}
	for _, si := range s {
		if err := sameShape(op.String(), si, op.shape); err != nil {
			return nil, err
		}
	}
	return op.shape.Clone(), nil
}

func (op rectGradOp) operands(vals []gorgonia.Value) ([]*tensor.Dense, error) {
	v, err := operands(op.String(), vals, 2)
	if err != nil {
		return nil, err
	}
	for _, d := range v {
		if err := sizeFits(op.String(), d, op.shape); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (op rectGradOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	out := newLike(v[1], op.shape)
	op.run(out, v[0], v[1])
	return out, nil
}

// UnsafeDo writes the result over the incoming gradient.
func (op rectGradOp) UnsafeDo(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(vals))
	}
	return op.UsePreallocDo(vals[1], vals...)
}

// UsePreallocDo writes the result into prealloc, which may be the incoming
// gradient (see addRowsOp.UsePreallocDo).
func (op rectGradOp) UsePreallocDo(prealloc gorgonia.Value, vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	dst, ok := destination(prealloc, v[1].Dtype(), op.shape)
	if !ok {
		return op.Do(vals...)
	}
	op.run(dst, v[0], v[1])
	return dst, nil
}

func (op rectGradOp) run(dst, y, g *tensor.Dense) {
	switch yd := y.Data().(type) {
	case []float32:
		rectGrad(dst.Data().([]float32), yd, g.Data().([]float32), float32(op.slope))
	case []float64:
		rectGrad(dst.Data().([]float64), yd, g.Data().([]float64), op.slope)
	}
}

// ReturnsPtr is true so that gorgonia may run UnsafeDo (see addRowsOp).
func (op rectGradOp) ReturnsPtr() bool     { return true }
func (op rectGradOp) CallsExtern() bool    { return false }
func (op rectGradOp) OverwritesInput() int { return 1 }

func (op rectGradOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.RectifyGrad(slope=%x,shape=%v)", math.Float64bits(op.slope), op.shape)
}

func (op rectGradOp) Hashcode() uint32 { return hashOf(op) }
func (op rectGradOp) String() string   { return fmt.Sprintf("RectifyGrad(%v)", op.slope) }

// DiffWRT: the op is linear in the gradient and piecewise constant in y,
// whose derivative is zero wherever it exists.
func (op rectGradOp) DiffWRT(int) []bool { return []bool{false, true} }

func (op rectGradOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(inputs))
	}
	d, err := RectifyGrad(inputs[0], grad, op.slope)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{nil, d}, nil
}

// rectGrad sets dst = g where y > 0 and slope·g elsewhere; dst may be g.
// The factor is picked by its bit pattern, which the compiler turns into a
// conditional move: a branch on the sign of y, which is random, costs a
// misprediction on every other entry (measured 6× slower).
func rectGrad[T float32 | float64](dst, y, g []T, slope T) {
	switch y := any(y).(type) {
	case []float32:
		rectGrad32(any(dst).([]float32), y, any(g).([]float32), float32(slope))
	case []float64:
		rectGrad64(any(dst).([]float64), y, any(g).([]float64), float64(slope))
	}
}

func rectGrad32(dst, y, g []float32, slope float32) {
	g = g[:len(y)]
	dst = dst[:len(y)]
	sb, ob := math.Float32bits(slope), math.Float32bits(1)
	for i, v := range y {
		b := sb
		if v > 0 {
			b = ob
		}
		dst[i] = g[i] * math.Float32frombits(b)
	}
}

func rectGrad64(dst, y, g []float64, slope float64) {
	g = g[:len(y)]
	dst = dst[:len(y)]
	sb, ob := math.Float64bits(slope), math.Float64bits(1)
	for i, v := range y {
		b := sb
		if v > 0 {
			b = ob
		}
		dst[i] = g[i] * math.Float64frombits(b)
	}
}
