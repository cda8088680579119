package equivariant_test

import (
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/internal/settest"
)

var activations = []equivariant.Activation{
	equivariant.Identity, equivariant.ReLU, equivariant.LeakyReLU,
	equivariant.ELU, equivariant.Sigmoid, equivariant.Tanh,
}

// activate is the reference μ.
func activate(a equivariant.Activation, v float64) float64 {
	switch a {
	case equivariant.ReLU:
		return math.Max(v, 0)
	case equivariant.LeakyReLU:
		if v < 0 {
			return equivariant.LeakySlope * v
		}
		return v
	case equivariant.ELU:
		if v < 0 {
			return math.Expm1(v)
		}
		return v
	case equivariant.Sigmoid:
		return 1 / (1 + math.Exp(-v))
	case equivariant.Tanh:
		return math.Tanh(v)
	}
	return v
}

func floats(n *gorgonia.Node) []float64 { return settest.Floats(n.Value()) }

// referenceDense computes Eq. 12 by loops for one set x (b×n, row-major)
// with mask m (nil for all real) and the mean as ρ.
func referenceDense(d *equivariant.Dense, act equivariant.Activation, x []float64, b int, m []float64) []float64 {
	lam, gam, beta := floats(d.Lambda), floats(d.Gamma), floats(d.Beta)
	n, l := d.In(), d.Out()
	rho := make([]float64, n)
	count := 0.0
	for r := 0; r < b; r++ {
		if m != nil && m[r] == 0 {
			continue
		}
		count++
		for i := 0; i < n; i++ {
			rho[i] += x[r*n+i]
		}
	}
	for i := range rho {
		rho[i] /= count
	}
	out := make([]float64, b*l)
	for r := 0; r < b; r++ {
		for j := 0; j < l; j++ {
			v := beta[j]
			for i := 0; i < n; i++ {
				v += x[r*n+i]*lam[i*l+j] + rho[i]*gam[i*l+j]
			}
			out[r*l+j] = activate(act, v)
		}
	}
	return out
}

// run builds the graph, runs it once and returns the output values.
func run(g *gorgonia.ExprGraph, out *gorgonia.Node) ([]float64, error) {
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, err
	}
	return floats(out), nil
}

func input(g *gorgonia.ExprGraph, name string, t *tensor.Dense) *gorgonia.Node {
	return settest.Input(g, name, t)
}
