package equivariant

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Init is the scheme that draws a weight tensor before the reweighting of
// Sec. 4.3.
type Init int

const (
	// DefaultInit picks He for ReLU, LeakyReLU and ELU, Glorot otherwise.
	DefaultInit Init = iota
	// Glorot draws U(−a, a) with a = √(6 / (fanIn + fanOut))
	// (Glorot and Bengio, 2010).
	Glorot
	// He draws N(0, 2 / fanIn) (He et al., 2015).
	He
	// FanInUniform draws U(−a, a) with a = 1/√fanIn, the default of
	// PyTorch's dense and convolutional layers; use it to compare with
	// PyTorch code at equal initial scale.
	FanInUniform
)

func (i Init) String() string {
	switch i {
	case DefaultInit:
		return "default"
	case Glorot:
		return "glorot"
	case He:
		return "he"
	case FanInUniform:
		return "faninuniform"
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

func (i Init) valid() bool { return i >= DefaultInit && i <= FanInUniform }

// Reweighting returns the factors of Sec. 4.3 for sets of size b:
// Λ is scaled by b/(b+1) and Γ by 1/(b+1), so that at the start of
// training ρ(x)Γ does not dominate x_bΛ.
func Reweighting(b int) (lambda, gamma float64) {
	return float64(b) / float64(b+1), 1 / float64(b+1)
}

// drawWeights returns a tensor of the given shape drawn from scheme with the
// given fans, multiplied by scale.
func drawWeights(rng *rand.Rand, dt tensor.Dtype, scheme Init, fanIn, fanOut int, scale float64, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	vals := make([]float64, n)
	switch scheme {
	case He:
		sd := math.Sqrt(2 / float64(fanIn))
		for i := range vals {
			vals[i] = scale * sd * rng.NormFloat64()
		}
	case FanInUniform:
		a := 1 / math.Sqrt(float64(fanIn))
		for i := range vals {
			vals[i] = scale * a * (2*rng.Float64() - 1)
		}
	default:
		a := math.Sqrt(6 / float64(fanIn+fanOut))
		for i := range vals {
			vals[i] = scale * a * (2*rng.Float64() - 1)
		}
	}
	return denseOf(dt, vals, shape...)
}

func denseOf(dt tensor.Dtype, vals []float64, shape ...int) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(vals))
		for i, v := range vals {
			f[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals))
}

// checkNames refuses names already in the graph (gorgonia would otherwise
// merge nodes of the same name). Constructors call it before creating any
// node, so that a refused layer leaves the graph as it was.
func checkNames(g *gorgonia.ExprGraph, names ...string) error {
	for _, n := range names {
		if len(g.ByName(n)) > 0 {
			return fmt.Errorf("%w: %q", ErrName, n)
		}
	}
	return nil
}

// param creates a named learnable node holding t; the name must have
// passed checkNames.
func param(g *gorgonia.ExprGraph, name string, t *tensor.Dense) *gorgonia.Node {
	return gorgonia.NodeFromAny(g, t, gorgonia.WithName(name))
}

// uniqueName returns base if no node in g has it, else base.2, base.3, …
func uniqueName(g *gorgonia.ExprGraph, base string, suffixes ...string) string {
	free := func(n string) bool {
		for _, s := range suffixes {
			if len(g.ByName(n+s)) > 0 {
				return false
			}
		}
		return true
	}
	if free(base) {
		return base
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s.%d", base, i); free(n) {
			return n
		}
	}
}
