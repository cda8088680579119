// Package settest holds helpers shared by the tests of symnet's packages:
// random sets, permutations along the set axis and one-shot graph
// evaluation.
package settest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Rand returns a deterministic generator for seed.
func Rand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5e7)) }

// Normal returns a float64 tensor of the given shape with N(0, 1) entries.
func Normal(rng *rand.Rand, shape ...int) *tensor.Dense {
	n := 1
	for _, s := range shape {
		n *= s
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = rng.NormFloat64()
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}

// Permute returns a copy of t whose entries along axis are reordered so that
// slot i of the result holds slot perm[i] of t. Axes before axis are kept.
func Permute(t *tensor.Dense, axis int, perm []int) *tensor.Dense {
	shape := t.Shape()
	outer, inner := 1, 1
	for i := 0; i < axis; i++ {
		outer *= shape[i]
	}
	for i := axis + 1; i < shape.Dims(); i++ {
		inner *= shape[i]
	}
	b := shape[axis]
	src := t.Data().([]float64)
	dst := make([]float64, len(src))
	for o := 0; o < outer; o++ {
		for i := 0; i < b; i++ {
			copy(dst[(o*b+i)*inner:(o*b+i+1)*inner], src[(o*b+perm[i])*inner:(o*b+perm[i]+1)*inner])
		}
	}
	return tensor.New(tensor.WithShape(shape.Clone()...), tensor.WithBacking(dst))
}

// PermuteRows is Permute with a separate permutation of the set axis for
// each of the outer slots (each set of an (N, B, ...) tensor when axis = 1).
func PermuteRows(t *tensor.Dense, axis int, perms [][]int) *tensor.Dense {
	shape := t.Shape()
	inner := 1
	for i := axis + 1; i < shape.Dims(); i++ {
		inner *= shape[i]
	}
	b := shape[axis]
	src := t.Data().([]float64)
	dst := make([]float64, len(src))
	for o, perm := range perms {
		for i := 0; i < b; i++ {
			copy(dst[(o*b+i)*inner:(o*b+i+1)*inner], src[(o*b+perm[i])*inner:(o*b+perm[i]+1)*inner])
		}
	}
	return tensor.New(tensor.WithShape(shape.Clone()...), tensor.WithBacking(dst))
}

// Eval builds a graph with build and runs it once, returning a copy of the
// output's data and its shape.
func Eval(build func(g *gorgonia.ExprGraph) (*gorgonia.Node, error)) ([]float64, tensor.Shape, error) {
	g := gorgonia.NewGraph()
	out, err := build(g)
	if err != nil {
		return nil, nil, err
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		return nil, nil, err
	}
	return Floats(out.Value()), out.Shape().Clone(), nil
}

// Floats copies a float32 or float64 value's data to a new []float64.
func Floats(v gorgonia.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case float64:
		return []float64{d}
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	case float32:
		return []float64{float64(d)}
	}
	panic(fmt.Sprintf("settest: unexpected value data %T", v.Data()))
}

// MaxAbsDiff returns max_i |a_i − b_i|, or +Inf when the lengths differ.
func MaxAbsDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	m := 0.0
	for i := range a {
		d := math.Abs(a[i] - b[i])
		if d > m || math.IsNaN(d) {
			m = d
		}
	}
	return m
}

// Input returns a node named name holding a copy-free reference to t.
func Input(g *gorgonia.ExprGraph, name string, t *tensor.Dense) *gorgonia.Node {
	return gorgonia.NodeFromAny(g, t, gorgonia.WithName(name))
}

// AsDtype returns a copy of the float64 tensor t in dtype dt (float32 or
// float64), the float32 entries rounded from t's: the same seeded data
// for tests and benchmarks of either dtype.
func AsDtype(t *tensor.Dense, dt tensor.Dtype) *tensor.Dense {
	src := t.Data().([]float64)
	if dt == tensor.Float32 {
		d := make([]float32, len(src))
		for i, v := range src {
			d[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(t.Shape().Clone()...), tensor.WithBacking(d))
	}
	return tensor.New(tensor.WithShape(t.Shape().Clone()...), tensor.WithBacking(append([]float64(nil), src...)))
}
