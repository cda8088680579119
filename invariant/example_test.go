package invariant_test

import (
	"fmt"
	"log"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/invariant"
)

// The mean over the set axis of one set of three 2-D elements.
func ExampleMean() {
	g := gorgonia.NewGraph()
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(3, 2),
		tensor.WithBacking([]float64{1, 10, 2, 20, 6, 60})), gorgonia.WithName("x"))
	rho, err := invariant.Mean(x)
	if err != nil {
		log.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(rho.Shape(), rho.Value().Data())
	// Output:
	// (2) [3 30]
}

// Two sets padded to three rows: the first has two real elements, the
// second one. The padded rows hold 99 and do not count.
func ExampleWithMask() {
	g := gorgonia.NewGraph()
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 3, 1),
		tensor.WithBacking([]float64{1, 3, 99, 5, 99, 99})), gorgonia.WithName("x"))
	maskValue, err := invariant.MaskFromLengths([]int{2, 1}, 3, tensor.Float64)
	if err != nil {
		log.Fatal(err)
	}
	mask := gorgonia.NodeFromAny(g, maskValue, gorgonia.WithName("mask"))
	mean, err := invariant.Mean(x, invariant.WithMask(mask))
	if err != nil {
		log.Fatal(err)
	}
	max, err := invariant.Max(x, invariant.WithMask(mask))
	if err != nil {
		log.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("mean:", mean.Value().Data())
	fmt.Println("max: ", max.Value().Data())
	// Output:
	// mean: [2 5]
	// max:  [3 5]
}

// KeepSetAxis leaves the reduced axis in place, so the result broadcasts
// back over the set.
func ExampleKeepSetAxis() {
	g := gorgonia.NewGraph()
	x := gorgonia.NewTensor(g, tensor.Float32, 3, gorgonia.WithShape(8, 5, 16), gorgonia.WithName("x"))
	rho, err := invariant.Sum(x, invariant.KeepSetAxis())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rho.Shape())
	// Output:
	// (8, 1, 16)
}
