package invariant

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Reduction pools a node over its set axis. [Mean], [Sum] and [Max] are
// Reductions.
type Reduction func(x *gorgonia.Node, opts ...Option) (*gorgonia.Node, error)

// Option changes how a [Reduction] treats its input.
type Option func(*config)

type config struct {
	mask    *gorgonia.Node
	axis    int
	hasAxis bool
	keep    bool
}

// WithMask restricts the reduction to the rows whose mask entry is 1. The
// mask has the input's shape up to and including the set axis and the
// input's dtype. A nil mask means every row is real.
func WithMask(mask *gorgonia.Node) Option {
	return func(c *config) { c.mask = mask }
}

// SetAxis names the set axis explicitly, overriding the rank-based default
// described in the package documentation.
func SetAxis(axis int) Option {
	return func(c *config) { c.axis, c.hasAxis = axis, true }
}

// KeepSetAxis keeps the reduced axis with size 1 in the result, so that it
// broadcasts back over the set.
func KeepSetAxis() Option {
	return func(c *config) { c.keep = true }
}

// Mean returns the mean over the set axis, the paper's ρ (Eq. 11). With a
// mask it is Σ_b m_b x_b / Σ_b m_b.
func Mean(x *gorgonia.Node, opts ...Option) (*gorgonia.Node, error) {
	return reduce("mean", x, opts)
}

// Sum returns the sum over the set axis. With a mask it is Σ_b m_b x_b.
func Sum(x *gorgonia.Node, opts ...Option) (*gorgonia.Node, error) {
	return reduce("sum", x, opts)
}

// Max returns the elementwise maximum over the set axis. With a mask,
// padded rows are replaced by -MaxFloat/4 before the maximum is taken, so
// they never win against a real row. Its gradient flows to the maximising
// row only.
func Max(x *gorgonia.Node, opts ...Option) (*gorgonia.Node, error) {
	return reduce("max", x, opts)
}

// DefaultSetAxis returns the set axis used for an input of the given rank
// when no [SetAxis] option is given, and false for ranks without a default.
func DefaultSetAxis(rank int) (int, bool) {
	switch rank {
	case 1, 2, 4:
		return 0, true
	case 3, 5:
		return 1, true
	}
	return 0, false
}

func reduce(kind string, x *gorgonia.Node, opts []Option) (*gorgonia.Node, error) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if x == nil {
		return nil, fmt.Errorf("%w: input of %s", ErrNilNode, kind)
	}
	dt := x.Dtype()
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return nil, fmt.Errorf("%w: %s of %v input %q", ErrDtype, kind, dt, x.Name())
	}
	shape := x.Shape()
	rank := shape.Dims()
	axis := c.axis
	if !c.hasAxis {
		var ok bool
		if axis, ok = DefaultSetAxis(rank); !ok {
			return nil, fmt.Errorf("%w: no default set axis for rank %d input %q; use SetAxis", ErrRank, rank, x.Name())
		}
	}
	if axis < 0 || axis >= rank {
		return nil, fmt.Errorf("%w: set axis %d of rank %d input %q", ErrRank, axis, rank, x.Name())
	}
	if shape[axis] == 0 {
		return nil, fmt.Errorf("%w: %s over axis %d of input %q with shape %v", ErrEmptySet, kind, axis, x.Name(), shape)
	}
	if err := checkNodeValue(x); err != nil {
		return nil, err
	}

	var (
		out *gorgonia.Node
		err error
	)
	if c.mask == nil {
		out, err = reduceUnmasked(kind, x, axis)
	} else {
		if err := checkMaskNode(c.mask, x, axis); err != nil {
			return nil, err
		}
		out, err = reduceMasked(kind, x, c.mask, axis)
	}
	if err != nil {
		return nil, fmt.Errorf("invariant: %s over axis %d of %v: %w", kind, axis, shape, err)
	}
	if c.keep {
		return keepAxis(out, shape, axis)
	}
	return out, nil
}

func reduceUnmasked(kind string, x *gorgonia.Node, axis int) (*gorgonia.Node, error) {
	switch kind {
	case "mean":
		return gorgonia.Mean(x, axis)
	case "sum":
		return gorgonia.Sum(x, axis)
	default:
		return gorgonia.Max(x, axis)
	}
}

// reduceMasked broadcasts the mask over the feature axes that follow the set
// axis, then reduces as documented in the package comment.
func reduceMasked(kind string, x, mask *gorgonia.Node, axis int) (*gorgonia.Node, error) {
	shape := x.Shape()
	rank := shape.Dims()
	mshape := make(tensor.Shape, rank)
	var pattern []byte
	for i := range mshape {
		if i <= axis {
			mshape[i] = shape[i]
		} else {
			mshape[i] = 1
			pattern = append(pattern, byte(i))
		}
	}
	m := mask
	if len(pattern) > 0 {
		var err error
		if m, err = gorgonia.Reshape(mask, mshape); err != nil {
			return nil, err
		}
	}
	mul := func(a, b *gorgonia.Node) (*gorgonia.Node, error) {
		if len(pattern) == 0 {
			return gorgonia.HadamardProd(a, b)
		}
		return gorgonia.BroadcastHadamardProd(a, b, nil, pattern)
	}
	xm, err := mul(x, m)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "sum":
		return gorgonia.Sum(xm, axis)
	case "mean":
		s, err := gorgonia.Sum(xm, axis)
		if err != nil {
			return nil, err
		}
		count, err := gorgonia.Sum(mask, axis) // shape mshape[:axis], a scalar when axis = 0
		if err != nil {
			return nil, err
		}
		if axis == 0 {
			return gorgonia.HadamardDiv(s, count)
		}
		// s has shape shape[:axis] ++ shape[axis+1:]; count has shape[:axis].
		cshape := append(tensor.Shape{}, shape[:axis]...)
		var cpattern []byte
		for i := axis + 1; i < rank; i++ {
			cshape = append(cshape, 1)
			cpattern = append(cpattern, byte(i-1))
		}
		if len(cpattern) == 0 {
			return gorgonia.HadamardDiv(s, count)
		}
		if count, err = gorgonia.Reshape(count, cshape); err != nil {
			return nil, err
		}
		return gorgonia.BroadcastHadamardDiv(s, count, nil, cpattern)
	default: // max: padded rows become -big exactly, since x·0 = 0 for finite x.
		// The offset is computed on the mask node itself and reshaped
		// afterwards: gorgonia's tape machine runs elementwise ops in place
		// when it can, and in place on a reshaped view of the mask it would
		// overwrite the caller's mask value.
		one, big := scalars(x.Dtype())
		off, err := gorgonia.Sub(mask, one)
		if err != nil {
			return nil, err
		}
		if off, err = gorgonia.HadamardProd(off, big); err != nil {
			return nil, err
		}
		if len(pattern) > 0 {
			if off, err = gorgonia.Reshape(off, mshape); err != nil {
				return nil, err
			}
		}
		var shifted *gorgonia.Node
		if len(pattern) == 0 {
			shifted, err = gorgonia.Add(xm, off)
		} else {
			shifted, err = gorgonia.BroadcastAdd(xm, off, nil, pattern)
		}
		if err != nil {
			return nil, err
		}
		return gorgonia.Max(shifted, axis)
	}
}

// scalars returns the constants 1 and MaxFloat/4 in the given dtype.
func scalars(dt tensor.Dtype) (one, big *gorgonia.Node) {
	if dt == tensor.Float32 {
		return gorgonia.NewConstant(float32(1)), gorgonia.NewConstant(float32(math.MaxFloat32 / 4))
	}
	return gorgonia.NewConstant(1.0), gorgonia.NewConstant(math.MaxFloat64 / 4)
}

func keepAxis(out *gorgonia.Node, shape tensor.Shape, axis int) (*gorgonia.Node, error) {
	kept := shape.Clone()
	kept[axis] = 1
	r, err := gorgonia.Reshape(out, kept)
	if err != nil {
		return nil, fmt.Errorf("invariant: keeping set axis %d of %v: %w", axis, shape, err)
	}
	return r, nil
}
