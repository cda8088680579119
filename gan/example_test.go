package gan_test

import (
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/symnet/symnet/gan"
)

// Scoring samples: half of them on two of the eight modes of the ring, the
// other half at the origin, far from every mode.
func ExampleMeasure() {
	ring := gan.MixupRing()
	var samples []float64
	for i := 0; i < 50; i++ {
		samples = append(samples, 1, 0) // mode 0, at angle 0
		samples = append(samples, 0, 1) // mode 2, at angle π/2
		samples = append(samples, 0, 0, 0, 0)
	}
	c, err := gan.Measure(ring, samples)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("modes captured: %d of %d\n", c.Modes, ring.K())
	fmt.Printf("high quality: %.0f%%\n", 100*c.HighQuality)
	fmt.Printf("reverse KL: %.4f (ln 8 − ln 2)\n", c.ReverseKL)
	// Output:
	// modes captured: 2 of 8
	// high quality: 50%
	// reverse KL: 1.3863 (ln 8 − ln 2)
}

func ExamplePacGANGrid() {
	grid := gan.PacGANGrid()
	fmt.Println(grid.Name, grid.K(), "modes, std", grid.Std)
	fmt.Println("corners:", grid.Means[0], grid.Means[grid.K()-1])
	// Output:
	// pacgan-grid 25 modes, std 0.05
	// corners: [-4 -4] [4 4]
}

// Training a small BGAN on a ring of four wide modes, with a hook that
// reports progress, then scoring 2,500 generator samples.
func ExampleTrainer_Train() {
	data, err := gan.Ring(4, 1, 0.1)
	if err != nil {
		log.Fatal(err)
	}
	tr, err := gan.New(gan.Config{
		Method: gan.BGAN, Gamma: 0.3, Data: data,
		Widths: []int{32, 32}, BatchSize: 32, DiscSteps: 2, Iterations: 1500,
		Adam: gan.AdamConfig{LR: 3e-3}, Seed: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer tr.Close()
	err = tr.Train(func(_ *gan.Trainer, p gan.Progress) error {
		if p.Iteration%500 == 0 {
			fmt.Printf("iteration %d of %d\n", p.Iteration, p.Iterations)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	samples, err := tr.Sample(rand.New(rand.NewPCG(1, 2)), 2500)
	if err != nil {
		log.Fatal(err)
	}
	c, err := gan.Measure(data, samples)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("all four modes captured:", c.Modes == 4)
	// Output:
	// iteration 500 of 1500
	// iteration 1000 of 1500
	// iteration 1500 of 1500
	// all four modes captured: true
}
