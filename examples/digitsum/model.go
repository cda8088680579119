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
	name, label string
	eq          bool
}

var models = []model{
	{name: "eq-mean", label: "equivariant (ρ = mean) + sum", eq: true},
	{name: "deepsets", label: "DeepSets (rFF + sum)"},
}

func modelByName(name string) (model, bool) {
	for _, m := range models {
		if m.name == name {
			return m, true
		}
	}
	return model{}, false
}

// build creates the network in g: two ReLU layers of width units acting
// on one-hot digits, the masked sum over the set, a linear output.
func (m model) build(g *gorgonia.ExprGraph, width, setSize int, rng *rand.Rand) (*equivariant.Network, error) {
	if m.eq {
		return equivariant.NewNetwork(g, equivariant.NetworkConfig{
			In: digits, Widths: []int{width, width}, Head: []int{1},
			Activation: equivariant.ReLU, Rho: invariant.Mean, Readout: invariant.Sum,
			SetSize: setSize, Name: m.name, Rand: rng,
		})
	}
	net := &equivariant.Network{Readout: invariant.Sum}
	in := digits
	for i, w := range []int{width, width, 1} {
		act := equivariant.ReLU
		if i == 2 {
			act = equivariant.Identity
		}
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: in, Out: w, Activation: act, Name: fmt.Sprintf("%s.l%d", m.name, i), Rand: rng,
		})
		if err != nil {
			return nil, err
		}
		if i < 2 {
			net.Stack = append(net.Stack, l)
		} else {
			net.Head = append(net.Head, l)
		}
		in = w
	}
	return net, nil
}
