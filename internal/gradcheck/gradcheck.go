// Package gradcheck compares the gradients gorgonia computes with central
// finite differences. It is shared by the tests of symnet's packages.
package gradcheck

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Build constructs a scalar float64 cost in g and returns it with the nodes
// to differentiate against. Every node in wrt must hold a *tensor.Dense
// float64 value (an input created WithValue or a layer parameter).
type Build func(g *gorgonia.ExprGraph) (cost *gorgonia.Node, wrt gorgonia.Nodes, err error)

// Step is the finite-difference step. For a cost of order 1 and float64
// arithmetic, central differences have truncation error O(h²) ≈ 1e-12 and
// rounding error O(ε/h) ≈ 1e-10, so errors far above 1e-8 mean a wrong
// gradient, not noise.
const Step = 1e-6

// Report is the outcome of a check.
type Report struct {
	// MaxErr is the largest |analytic − numeric| / max(1, |analytic|, |numeric|)
	// over all checked entries: a relative error for gradients of magnitude
	// above 1 and an absolute one below.
	MaxErr float64
	// Worst names the entry where MaxErr was reached.
	Worst string
	// Checked counts the entries compared.
	Checked int
}

// Check builds the graph, computes analytic gradients with gorgonia.Grad and
// compares each entry of each wrt node with the central difference
// (f(v+h) − f(v−h)) / 2h.
func Check(build Build) (Report, error) {
	g := gorgonia.NewGraph()
	cost, wrt, err := build(g)
	if err != nil {
		return Report{}, err
	}
	grads, err := gorgonia.Grad(cost, wrt...)
	if err != nil {
		return Report{}, fmt.Errorf("gradcheck: Grad: %w", err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()

	eval := func() (float64, error) {
		defer vm.Reset()
		if err := vm.RunAll(); err != nil {
			return 0, err
		}
		v, ok := cost.Value().Data().(float64)
		if !ok {
			return 0, fmt.Errorf("gradcheck: cost is %T, want a float64 scalar", cost.Value().Data())
		}
		return v, nil
	}

	if err := vm.RunAll(); err != nil {
		return Report{}, fmt.Errorf("gradcheck: run: %w", err)
	}
	analytic := make([][]float64, len(grads))
	for i, gn := range grads {
		d, ok := gn.Value().Data().([]float64)
		if !ok {
			if s, ok := gn.Value().Data().(float64); ok {
				d = []float64{s}
			} else {
				return Report{}, fmt.Errorf("gradcheck: gradient of %s is %T", wrt[i].Name(), gn.Value().Data())
			}
		}
		analytic[i] = append([]float64(nil), d...)
	}
	vm.Reset()

	var rep Report
	for i, n := range wrt {
		dense, ok := n.Value().(*tensor.Dense)
		if !ok {
			return Report{}, fmt.Errorf("gradcheck: %s holds %T, want *tensor.Dense", n.Name(), n.Value())
		}
		data, ok := dense.Data().([]float64)
		if !ok {
			return Report{}, fmt.Errorf("gradcheck: %s is not float64", n.Name())
		}
		for j := range data {
			orig := data[j]
			data[j] = orig + Step
			fp, err := eval()
			if err != nil {
				return Report{}, err
			}
			data[j] = orig - Step
			fm, err := eval()
			if err != nil {
				return Report{}, err
			}
			data[j] = orig
			num := (fp - fm) / (2 * Step)
			a := analytic[i][j]
			e := math.Abs(a-num) / math.Max(1, math.Max(math.Abs(a), math.Abs(num)))
			if math.IsNaN(e) {
				e = math.Inf(1)
			}
			rep.Checked++
			if e > rep.MaxErr || rep.Worst == "" {
				if e >= rep.MaxErr {
					rep.MaxErr = e
					rep.Worst = fmt.Sprintf("%s[%d]: analytic %.10g, numeric %.10g", n.Name(), j, a, num)
				}
			}
		}
	}
	return rep, nil
}
