package equivariant

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/fused"
)

// Activation is the nonlinearity μ applied after a layer's affine map.
type Activation int

// The activations. LeakyReLU has slope [LeakySlope] on the negative side.
const (
	Identity Activation = iota
	ReLU
	LeakyReLU
	ELU
	Sigmoid
	Tanh
)

// LeakySlope is the negative-side slope of [LeakyReLU].
const LeakySlope = 0.2

func (a Activation) String() string {
	switch a {
	case Identity:
		return "identity"
	case ReLU:
		return "relu"
	case LeakyReLU:
		return "leakyrelu"
	case ELU:
		return "elu"
	case Sigmoid:
		return "sigmoid"
	case Tanh:
		return "tanh"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

func (a Activation) valid() bool { return a >= Identity && a <= Tanh }

// apply builds μ(x) in x's graph.
func (a Activation) apply(x *gorgonia.Node) (*gorgonia.Node, error) {
	switch a {
	case Identity:
		return x, nil
	case ReLU:
		return gorgonia.Rectify(x)
	case LeakyReLU:
		return gorgonia.LeakyRelu(x, LeakySlope)
	case ELU:
		// elu(x) = relu(x) + expm1(min(x, 0)), and min(x, 0) = -relu(-x);
		// built from differentiable pieces since gorgonia has no ELU op.
		pos, err := gorgonia.Rectify(x)
		if err != nil {
			return nil, err
		}
		negx, err := gorgonia.Neg(x)
		if err != nil {
			return nil, err
		}
		r, err := gorgonia.Rectify(negx)
		if err != nil {
			return nil, err
		}
		if r, err = gorgonia.Neg(r); err != nil {
			return nil, err
		}
		if r, err = gorgonia.Expm1(r); err != nil {
			return nil, err
		}
		return gorgonia.Add(pos, r)
	case Sigmoid:
		return gorgonia.Sigmoid(x)
	case Tanh:
		return gorgonia.Tanh(x)
	}
	return nil, fmt.Errorf("%w: activation %v", ErrConfig, a)
}

// addRows builds μ(x + r) for x (M, L) holding the sets of M/S
// consecutive rows and r (S, L), row s of r added to every row of set s
// (S = 1 for a bias). The rectifiers and the identity run as one fused
// op whose backward pass reads the output instead of a mask; gorgonia's
// BroadcastAdd and Rectify would materialise the repeated rows and the
// mask, a visible cost once the matrix products are fast. The other
// activations follow the fused add. The fused rectifiers take the
// derivative at 0 to be the negative-side slope, as PyTorch does, where
// gorgonia's Rectify takes 1; they agree everywhere else.
func (a Activation) addRows(x, r *gorgonia.Node) (*gorgonia.Node, error) {
	switch a {
	case ReLU:
		return fused.AddRowsRectify(x, r, 0)
	case LeakyReLU:
		return fused.AddRowsRectify(x, r, LeakySlope)
	}
	v, err := fused.AddRows(x, r)
	if err != nil {
		return nil, err
	}
	return a.apply(v)
}

// defaultInit is He for the rectifier family and Glorot otherwise.
func (a Activation) defaultInit() Init {
	switch a {
	case ReLU, LeakyReLU, ELU:
		return He
	}
	return Glorot
}

func checkDtype(dt tensor.Dtype) error {
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return fmt.Errorf("%w: dtype %v (want float32 or float64)", ErrConfig, dt)
	}
	return nil
}
