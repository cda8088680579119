package main

import (
	"fmt"
	"math/rand/v2"

	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/equivariant"
	"github.com/symnet/symnet/invariant"
)

// model names one of the compared networks.
type model struct {
	name      string // flag value
	label     string // table row
	published string // Lee et al., Table 1, or "" when the paper has no row
	eq        bool   // equivariant layers rather than rFF
	rho       invariant.Reduction
	pool      invariant.Reduction
}

// models lists the comparison in table order.
var models = []model{
	{name: "rff-mean", label: "rFF + mean pooling", published: "2.133", pool: invariant.Mean},
	{name: "rff-sum", label: "rFF + sum pooling", published: "1.902", pool: invariant.Sum},
	{name: "rff-max", label: "rFF + max pooling", published: "0.1355", pool: invariant.Max},
	{name: "eq-mean", label: "equivariant (ρ = mean) + mean pooling", eq: true, rho: invariant.Mean, pool: invariant.Mean},
	{name: "eq-max", label: "equivariant (ρ = max) + max pooling", eq: true, rho: invariant.Max, pool: invariant.Max},
}

func modelByName(name string) (model, bool) {
	for _, m := range models {
		if m.name == name {
			return m, true
		}
	}
	return model{}, false
}

// build creates the network's layers in g: four element-wise layers of
// width units, the pooling, a hidden head layer and one output; ReLU
// everywhere but the output.
func (m model) build(g *gorgonia.ExprGraph, width, setSize int, rng *rand.Rand) (*equivariant.Network, error) {
	if m.eq {
		return equivariant.NewNetwork(g, equivariant.NetworkConfig{
			In: 1, Widths: []int{width, width, width, width}, Head: []int{width, 1},
			Activation: equivariant.ReLU, Rho: m.rho, Readout: m.pool,
			SetSize: setSize, Name: m.name, Rand: rng,
		})
	}
	net := &equivariant.Network{Readout: m.pool}
	in := 1
	for i, w := range []int{width, width, width, width, width, 1} {
		act := equivariant.ReLU
		if i == 5 {
			act = equivariant.Identity
		}
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: in, Out: w, Activation: act, Name: fmt.Sprintf("%s.l%d", m.name, i), Rand: rng,
		})
		if err != nil {
			return nil, err
		}
		if i < 4 {
			net.Stack = append(net.Stack, l)
		} else {
			net.Head = append(net.Head, l)
		}
		in = w
	}
	return net, nil
}
