package equivariant_test

import (
	"fmt"
	"log"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

// evalOnce runs g once and returns out's values.
func evalOnce(g *gorgonia.ExprGraph, out *gorgonia.Node) []float64 {
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	return out.Value().Data().([]float64)
}

// A Dense layer maps a set of four 2-D points to four 3-D points. Swapping
// two input points swaps the same two output rows.
func ExampleNewDense() {
	points := []float64{0, 1, 2, 3, 4, 5, 6, 7}
	swapped := []float64{4, 5, 2, 3, 0, 1, 6, 7} // rows 0 and 2 exchanged
	for _, set := range [][]float64{points, swapped} {
		g := gorgonia.NewGraph()
		layer, err := equivariant.NewDense(g, equivariant.DenseConfig{
			In: 2, Out: 3, SetSize: 4, Activation: equivariant.Tanh,
			Rand: rand.New(rand.NewPCG(1, 2)),
		})
		if err != nil {
			log.Fatal(err)
		}
		x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(4, 2), tensor.WithBacking(set)), gorgonia.WithName("x"))
		phi, err := layer.Forward(x, nil)
		if err != nil {
			log.Fatal(err)
		}
		out := evalOnce(g, phi)
		fmt.Printf("row 0 %.3f  row 2 %.3f\n", out[0:3], out[6:9])
	}
	// Output:
	// row 0 [-0.086 0.456 0.826]  row 2 [0.577 0.980 0.425]
	// row 0 [0.577 0.980 0.425]  row 2 [-0.086 0.456 0.826]
}

// An invariant network (Eq. 10) gives the same output for a set and for any
// reordering of it.
func ExampleNewNetwork() {
	set := []float64{0.5, -1, 2, 0.25, -0.75, 1.5}
	reordered := []float64{-0.75, 1.5, 0.5, -1, 2, 0.25}
	for _, data := range [][]float64{set, reordered} {
		g := gorgonia.NewGraph()
		net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
			In: 2, Widths: []int{16, 16}, Head: []int{1},
			Activation: equivariant.ReLU, SetSize: 3,
			Rand: rand.New(rand.NewPCG(7, 7)),
		})
		if err != nil {
			log.Fatal(err)
		}
		x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(3, 2), tensor.WithBacking(data)), gorgonia.WithName("x"))
		f, err := net.Forward(x, nil)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("f(x) = %.6f\n", evalOnce(g, f))
	}
	// Output:
	// f(x) = [-0.194242]
	// f(x) = [-0.194242]
}

// A convolutional equivariant layer keeps the set and the image size:
// 8 images of 3×16×16 become 8 maps of 4×16×16.
func ExampleNewConv2D() {
	g := gorgonia.NewGraph()
	layer, err := equivariant.NewConv2D(g, equivariant.Conv2DConfig{
		InChannels: 3, OutChannels: 4, SetSize: 8, Activation: equivariant.LeakyReLU,
		Dtype: tensor.Float32, Rand: rand.New(rand.NewPCG(3, 3)),
	})
	if err != nil {
		log.Fatal(err)
	}
	images := gorgonia.NewTensor(g, tensor.Float32, 4, gorgonia.WithShape(8, 3, 16, 16), gorgonia.WithName("images"))
	phi, err := layer.Forward(images, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(phi.Shape())
	// Output:
	// (8, 4, 16, 16)
}

// The reweighting of Sec. 4.3 for sets of 255 elements.
func ExampleReweighting() {
	lambda, gamma := equivariant.Reweighting(255)
	fmt.Println(lambda, gamma)
	// Output:
	// 0.99609375 0.00390625
}
