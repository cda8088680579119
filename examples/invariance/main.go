// Command invariance builds an invariant set network (Eq. 10 of Lucas et
// al., ICML 2018) from equivariant layers, runs it on a random set of points
// and on shuffled copies of the set, and prints the outputs: they agree to
// rounding. A plain network on the concatenated set is run beside it for
// contrast: its output moves with the order.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/equivariant"
)

func main() {
	var (
		setSize  = flag.Int("b", 8, "elements per set")
		features = flag.Int("n", 2, "features per element")
		width    = flag.Int("width", 32, "width of the equivariant layers")
		shuffles = flag.Int("shuffles", 3, "shuffled copies to evaluate")
		seed     = flag.Uint64("seed", 1, "random seed for the set and the weights")
	)
	flag.Parse()
	if *setSize < 1 || *features < 1 || *width < 1 || *shuffles < 0 {
		log.Fatal("invariance: -b, -n and -width must be positive, -shuffles non-negative")
	}
	rng := rand.New(rand.NewPCG(*seed, 0))
	set := make([]float64, *setSize**features)
	for i := range set {
		set[i] = rng.NormFloat64()
	}

	fmt.Printf("set of %d elements in R^%d, equivariant widths [%d %d], mean readout, head 1\n\n", *setSize, *features, *width, *width)
	fmt.Printf("%-10s %22s %22s\n", "order", "invariant net f(x)", "plain net on concat")
	base := evaluate(set, *setSize, *features, *width, *seed)
	fmt.Printf("%-10s %22.15f %22.15f\n", "original", base[0], base[1])
	worst := [2]float64{}
	for s := 1; s <= *shuffles; s++ {
		perm := rng.Perm(*setSize)
		shuffled := make([]float64, len(set))
		for i, p := range perm {
			copy(shuffled[i**features:(i+1)**features], set[p**features:(p+1)**features])
		}
		out := evaluate(shuffled, *setSize, *features, *width, *seed)
		fmt.Printf("%-10s %22.15f %22.15f\n", fmt.Sprintf("shuffle %d", s), out[0], out[1])
		for k := range worst {
			worst[k] = math.Max(worst[k], math.Abs(out[k]-base[k]))
		}
	}
	fmt.Printf("\nlargest change under shuffling: invariant %.3g, plain %.3g\n", worst[0], worst[1])
}

// evaluate builds both networks with weights drawn from seed (the same
// weights on every call) and returns their outputs on the set.
func evaluate(set []float64, b, n, width int, seed uint64) [2]float64 {
	g := gorgonia.NewGraph()
	x := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(b, n), tensor.WithBacking(set)), gorgonia.WithName("x"))

	net, err := equivariant.NewNetwork(g, equivariant.NetworkConfig{
		In: n, Widths: []int{width, width}, Head: []int{1}, Activation: equivariant.ReLU,
		SetSize: b, Name: "inv", Rand: rand.New(rand.NewPCG(seed, 1)),
	})
	if err != nil {
		log.Fatal(err)
	}
	inv, err := net.Forward(x, nil)
	if err != nil {
		log.Fatal(err)
	}

	// The naive alternative: flatten the set into one vector of b·n
	// features and apply ordinary layers, which see positions, not a set.
	flat, err := gorgonia.Reshape(x, tensor.Shape{1, b * n})
	if err != nil {
		log.Fatal(err)
	}
	plain := equivariant.Stack{}
	in := b * n
	for i, w := range []int{width, width, 1} {
		act := equivariant.ReLU
		if i == 2 {
			act = equivariant.Identity
		}
		l, err := equivariant.NewLinear(g, equivariant.LinearConfig{
			In: in, Out: w, Activation: act, Name: fmt.Sprintf("plain%d", i), Rand: rand.New(rand.NewPCG(seed, uint64(2+i))),
		})
		if err != nil {
			log.Fatal(err)
		}
		plain = append(plain, l)
		in = w
	}
	naive, err := plain.Forward(flat, nil)
	if err != nil {
		log.Fatal(err)
	}

	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	return [2]float64{inv.Value().Data().([]float64)[0], naive.Value().Data().([]float64)[0]}
}
