package mixbatch

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// exactOp is an elementwise softplus or sigmoid that is exact to rounding
// for every float input, for float32 and float64 tensors and scalars.
// Gorgonia's built-in versions cut off (softplus(x) = x for x > 16,
// σ(x) = 1 for x > 19), which shows up in loss values at the 1e−7 level.
// The derivative of softplus is the exact sigmoid; that of the sigmoid is
// σ(1−σ), so the graph can be differentiated twice.
type exactOp struct{ kind opKind }

type opKind int

const (
	opSoftplus opKind = iota
	opSigmoid
)

func (op exactOp) name() string {
	if op.kind == opSoftplus {
		return "mixbatch.Softplus"
	}
	return "mixbatch.Sigmoid"
}

func (op exactOp) f(x float64) float64 {
	if op.kind == opSoftplus {
		return softplus(x)
	}
	return sigmoid(x)
}

func (op exactOp) Arity() int { return 1 }

func (op exactOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op exactOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("mixbatch: %s takes 1 input, got %d", op.name(), len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("mixbatch: %s input shape is a %T", op.name(), in[0])
	}
	return s.Clone(), nil
}

func (op exactOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	if len(vals) != 1 {
		return nil, fmt.Errorf("mixbatch: %s takes 1 input, got %d", op.name(), len(vals))
	}
	switch v := vals[0].(type) {
	case *gorgonia.F64:
		return gorgonia.NewF64(op.f(float64(*v))), nil
	case *gorgonia.F32:
		return gorgonia.NewF32(float32(op.f(float64(*v)))), nil
	case tensor.Tensor:
		// A view's Data is its whole backing array, and a scalar-shaped
		// tensor's Data is a bare number: copy a view to contiguous
		// memory first and treat a scalar as a one-element slice.
		if d, ok := v.(*tensor.Dense); ok && d.IsMaterializable() {
			v = d.Materialize()
		}
		out := tensor.New(tensor.Of(v.Dtype()), tensor.WithShape(v.Shape().Clone()...))
		if v.Shape().IsScalar() {
			switch x := v.Data().(type) {
			case float64:
				out.Set(0, op.f(x))
				return out, nil
			case float32:
				out.Set(0, float32(op.f(float64(x))))
				return out, nil
			}
		}
		switch src := v.Data().(type) {
		case []float64:
			dst := out.Data().([]float64)
			for i, x := range src {
				dst[i] = op.f(x)
			}
		case []float32:
			dst := out.Data().([]float32)
			for i, x := range src {
				dst[i] = float32(op.f(float64(x)))
			}
		default:
			return nil, fmt.Errorf("%w: %s of %T", ErrDtype, op.name(), src)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: %s of %T", ErrDtype, op.name(), vals[0])
}

func (op exactOp) ReturnsPtr() bool     { return false }
func (op exactOp) CallsExtern() bool    { return false }
func (op exactOp) OverwritesInput() int { return -1 }
func (op exactOp) String() string       { return op.name() }

func (op exactOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.name()) }

func (op exactOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op exactOp) DiffWRT(inputs int) []bool { return []bool{true} }

func (op exactOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("mixbatch: %s takes 1 input, got %d", op.name(), len(inputs))
	}
	var d *gorgonia.Node
	var err error
	if op.kind == opSoftplus {
		// softplus′ = σ
		d, err = gorgonia.ApplyOp(exactOp{kind: opSigmoid}, inputs[0])
	} else {
		// σ′ = σ (1 − σ), with σ the op's own output.
		one, _ := constants(output.Dtype())
		var c *gorgonia.Node
		if c, err = gorgonia.Sub(one, output); err == nil {
			d, err = gorgonia.HadamardProd(output, c)
		}
	}
	if err != nil {
		return nil, err
	}
	g, err := gorgonia.HadamardProd(d, grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{g}, nil
}
