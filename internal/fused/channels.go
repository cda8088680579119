package fused

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// AddChannels returns x + β with one bias per channel: x is (B, L, …),
// images (B, L, H, W) for a convolution's output, β is (1, L, 1, …, 1) of
// x's rank, and β[l] is added to every entry of channel l of every
// element of the batch. This is gorgonia's BroadcastAdd(x, β, nil,
// []byte{0, 2, 3}) for images, without the repeated bias it
// materialises. The gradient with respect to β is [ChannelSum].
//
// It has no rectifying form, unlike [AddRows]: the convolutional layers
// keep gorgonia's rectifiers, whose derivative at 0 is 1, and images with
// a zero background give pre-activations of exactly 0, where a backward
// pass computed from the output ([RectifyGrad]) takes the negative-side
// slope instead.
func AddChannels(x, beta *gorgonia.Node) (*gorgonia.Node, error) {
	const name = "AddChannels"
	if err := checkPair(name, x, beta); err != nil {
		return nil, err
	}
	if err := checkChannels(name, x.Shape(), beta.Shape()); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(addChannelsOp{shape: x.Shape().Clone()}, x, beta)
}

// ChannelSum returns the sum of each channel of x (B, L, …) over the
// batch and the remaining axes, in the shape (1, L, 1, …, 1) of x's rank:
// the gradient of a per-channel bias. Its gradient is
// [ChannelBroadcast].
func ChannelSum(x *gorgonia.Node) (*gorgonia.Node, error) {
	const name = "ChannelSum"
	if err := checkNode(name, x); err != nil {
		return nil, err
	}
	op := channelSumOp{in: x.Shape().Clone()}
	if err := checkChannels(name, op.in, channelShapeOf(op.in)); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(op, x)
}

// ChannelBroadcast returns a tensor of the given shape (B, L, …) whose
// channel l holds r[l] everywhere, for r of shape (1, L, 1, …, 1): the
// adjoint of [ChannelSum], and its gradient is ChannelSum.
func ChannelBroadcast(r *gorgonia.Node, shape tensor.Shape) (*gorgonia.Node, error) {
	const name = "ChannelBroadcast"
	if err := checkNode(name, r); err != nil {
		return nil, err
	}
	if err := checkChannels(name, shape, r.Shape()); err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(channelBroadcastOp{out: shape.Clone()}, r)
}

// channelShapeOf is (1, L, 1, …, 1) for a shape (B, L, …).
func channelShapeOf(x tensor.Shape) tensor.Shape {
	s := make(tensor.Shape, x.Dims())
	for i := range s {
		s[i] = 1
	}
	if len(s) > 1 {
		s[1] = x[1]
	}
	return s
}

// checkChannels checks x against a per-channel operand c: x has rank ≥ 2
// and no empty axis, and c is (1, L, 1, …, 1) of x's rank.
func checkChannels(name string, x, c tensor.Shape) error {
	if x.Dims() < 2 {
		return fmt.Errorf("%w: %s needs a tensor (B, L, …) of rank ≥ 2, got shape %v", ErrShape, name, x)
	}
	for _, d := range x {
		if d < 1 {
			return fmt.Errorf("%w: %s of an empty tensor, shape %v", ErrShape, name, x)
		}
	}
	if !c.Eq(channelShapeOf(x)) {
		return fmt.Errorf("%w: %s of %v with per-channel %v (want %v)", ErrShape, name, x, c, channelShapeOf(x))
	}
	return nil
}

// channelDims returns the batch size, the channels and the entries per
// channel and element of a shape (B, L, …).
func channelDims(s tensor.Shape) (b, l, per int) {
	b, l = s[0], s[1]
	return b, l, s.TotalSize() / (b * l)
}

// addChannelsOp computes x + β per channel for x of the given shape.
type addChannelsOp struct{ shape tensor.Shape }

func (op addChannelsOp) Arity() int { return 2 }

func (op addChannelsOp) Type() hm.Type {
	t := tensorType(op.shape.Dims())
	return hm.NewFnType(t, t, t)
}

func (op addChannelsOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 2, in)
	if err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[0], op.shape); err != nil {
		return nil, err
	}
	if err := sameShape(op.String()+" bias", s[1], channelShapeOf(op.shape)); err != nil {
		return nil, err
	}
	return op.shape.Clone(), nil
}

func (op addChannelsOp) operands(vals []gorgonia.Value) ([]*tensor.Dense, error) {
	v, err := operands(op.String(), vals, 2)
	if err != nil {
		return nil, err
	}
	if err := sizeFits(op.String(), v[0], op.shape); err != nil {
		return nil, err
	}
	if err := sizeFits(op.String()+" bias", v[1], channelShapeOf(op.shape)); err != nil {
		return nil, err
	}
	return v, nil
}

func (op addChannelsOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	out := newLike(v[0], op.shape)
	op.run(out, v[0], v[1])
	return out, nil
}

// UnsafeDo writes the result over x (see addRowsOp.UnsafeDo).
func (op addChannelsOp) UnsafeDo(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(vals))
	}
	return op.UsePreallocDo(vals[0], vals...)
}

// UsePreallocDo writes the result into prealloc, which may be x (see
// addRowsOp.UsePreallocDo).
func (op addChannelsOp) UsePreallocDo(prealloc gorgonia.Value, vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	dst, ok := destination(prealloc, v[0].Dtype(), op.shape)
	if !ok || dst == v[1] {
		return op.Do(vals...)
	}
	op.run(dst, v[0], v[1])
	return dst, nil
}

func (op addChannelsOp) run(dst, x, beta *tensor.Dense) {
	b, l, per := channelDims(op.shape)
	switch xd := x.Data().(type) {
	case []float32:
		addChannels(dst.Data().([]float32), xd, beta.Data().([]float32), b, l, per)
	case []float64:
		addChannels(dst.Data().([]float64), xd, beta.Data().([]float64), b, l, per)
	}
}

// ReturnsPtr is true so that gorgonia may run UnsafeDo (see addRowsOp).
func (op addChannelsOp) ReturnsPtr() bool     { return true }
func (op addChannelsOp) CallsExtern() bool    { return false }
func (op addChannelsOp) OverwritesInput() int { return 0 }

func (op addChannelsOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.AddChannels(shape=%v)", op.shape)
}

func (op addChannelsOp) Hashcode() uint32 { return hashOf(op) }
func (op addChannelsOp) String() string   { return "AddChannels" }

func (op addChannelsOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff: ∂L/∂x is the incoming gradient and ∂L/∂β the sum of each of
// its channels.
func (op addChannelsOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(inputs))
	}
	db, err := ChannelSum(grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{grad, db}, nil
}

// channelSumOp sums each channel of an operand of shape in.
type channelSumOp struct{ in tensor.Shape }

func (op channelSumOp) Arity() int { return 1 }

func (op channelSumOp) Type() hm.Type {
	t := tensorType(op.in.Dims())
	return hm.NewFnType(t, t)
}

func (op channelSumOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 1, in)
	if err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[0], op.in); err != nil {
		return nil, err
	}
	return channelShapeOf(op.in), nil
}

func (op channelSumOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := operands(op.String(), vals, 1)
	if err != nil {
		return nil, err
	}
	x := v[0]
	if err := sizeFits(op.String(), x, op.in); err != nil {
		return nil, err
	}
	out := newLike(x, channelShapeOf(op.in))
	b, l, per := channelDims(op.in)
	switch xd := x.Data().(type) {
	case []float32:
		channelSum(out.Data().([]float32), xd, b, l, per)
	case []float64:
		channelSum(out.Data().([]float64), xd, b, l, per)
	}
	return out, nil
}

func (op channelSumOp) ReturnsPtr() bool     { return false }
func (op channelSumOp) CallsExtern() bool    { return false }
func (op channelSumOp) OverwritesInput() int { return -1 }

func (op channelSumOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.ChannelSum(in=%v)", op.in)
}

func (op channelSumOp) Hashcode() uint32 { return hashOf(op) }
func (op channelSumOp) String() string   { return "ChannelSum" }

func (op channelSumOp) DiffWRT(int) []bool { return []bool{true} }

func (op channelSumOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%w: %s takes 1 operand, got %d", ErrArg, op, len(inputs))
	}
	d, err := ChannelBroadcast(grad, op.in)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d}, nil
}

// channelBroadcastOp fills each channel of a result of shape out with
// the channel's entry of its operand.
type channelBroadcastOp struct{ out tensor.Shape }

func (op channelBroadcastOp) Arity() int { return 1 }

func (op channelBroadcastOp) Type() hm.Type {
	t := tensorType(op.out.Dims())
	return hm.NewFnType(t, t)
}

func (op channelBroadcastOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 1, in)
	if err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[0], channelShapeOf(op.out)); err != nil {
		return nil, err
	}
	return op.out.Clone(), nil
}

func (op channelBroadcastOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := operands(op.String(), vals, 1)
	if err != nil {
		return nil, err
	}
	r := v[0]
	if err := sizeFits(op.String(), r, channelShapeOf(op.out)); err != nil {
		return nil, err
	}
	out := newLike(r, op.out)
	b, l, per := channelDims(op.out)
	switch rd := r.Data().(type) {
	case []float32:
		addChannels(out.Data().([]float32), out.Data().([]float32), rd, b, l, per)
	case []float64:
		addChannels(out.Data().([]float64), out.Data().([]float64), rd, b, l, per)
	}
	return out, nil
}

func (op channelBroadcastOp) ReturnsPtr() bool     { return false }
func (op channelBroadcastOp) CallsExtern() bool    { return false }
func (op channelBroadcastOp) OverwritesInput() int { return -1 }

func (op channelBroadcastOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "fused.ChannelBroadcast(out=%v)", op.out)
}

func (op channelBroadcastOp) Hashcode() uint32 { return hashOf(op) }
func (op channelBroadcastOp) String() string   { return fmt.Sprintf("ChannelBroadcast(to %v)", op.out) }

func (op channelBroadcastOp) DiffWRT(int) []bool { return []bool{true} }

func (op channelBroadcastOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%w: %s takes 1 operand, got %d", ErrArg, op, len(inputs))
	}
	d, err := ChannelSum(grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d}, nil
}

// addChannels sets dst = x + β[l] over each block of per entries of
// channel l, the blocks ordered (b, l). dst may be x.
func addChannels[T float32 | float64](dst, x, beta []T, b, l, per int) {
	for n := 0; n < b; n++ {
		for c, v := range beta[:l] {
			off := (n*l + c) * per
			xs, ds := x[off:off+per], dst[off:off+per]
			for j, u := range xs {
				ds[j] = u + v
			}
		}
	}
}

// channelSum sets dst[l] to the sum of every block of per entries of
// channel l, the blocks ordered (b, l).
func channelSum[T float32 | float64](dst, x []T, b, l, per int) {
	clear(dst[:l])
	for n := 0; n < b; n++ {
		for c := range l {
			var s T
			for _, u := range x[(n*l+c)*per:][:per] {
				s += u
			}
			dst[c] += s
		}
	}
}
