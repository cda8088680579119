package mixbatch_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/mixbatch"
)

// The optimal discriminator of Prop. 1 for a batch of three points, when
// the data density p1 is N(1, 1) and the generator's density p2 is
// N(−1, 1). Only log p1 − log p2 matters per point, so the Gaussians'
// common constant is left out.
func ExampleOptimal() {
	y := []float64{0.8, -1.2, 0.1}
	logP1 := make([]float64, len(y))
	logP2 := make([]float64, len(y))
	for i, v := range y {
		logP1[i] = -(v - 1) * (v - 1) / 2
		logP2[i] = -(v + 1) * (v + 1) / 2
	}

	// Uniform prior on the ratio (Eq. 4): D*(y) = E[#β/B | y] (Eq. 6–7).
	d, err := mixbatch.Optimal(logP1, logP2, mixbatch.Uniform())
	if err != nil {
		log.Fatal(err)
	}
	brute, err := mixbatch.OptimalBruteForce(logP1, logP2, mixbatch.Uniform())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("uniform prior:  D* = %.6f (2^B enumeration: %.6f)\n", d, brute)

	// Pure batches (γ = 0): all real or all fake, so D* is the sigmoid of
	// the summed log-ratios 2(0.8 − 1.2 + 0.1) = −0.6.
	pure, err := mixbatch.Smoothing(0)
	if err != nil {
		log.Fatal(err)
	}
	d, err = mixbatch.Optimal(logP1, logP2, pure)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("pure batches:   D* = %.6f\n", d)

	// One point alone: the classical p1/(p1+p2) = σ(2·0.8).
	d, err = mixbatch.Optimal(logP1[:1], logP2[:1], mixbatch.Uniform())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("B = 1:          D* = %.6f\n", d)

	// Output:
	// uniform prior:  D* = 0.464652 (2^B enumeration: 0.464652)
	// pure batches:   D* = 0.354344
	// B = 1:          D* = 0.832018
}

// One discriminator step's loss on a mixed batch, with a discriminator
// given as plain Go: it returns one logit per element (here 2x, since
// real points sit near +1 and fake ones near −1). The mixed batch and its
// complement, made of the rows the first did not use, are both scored.
func ExampleMixer_MixRows() {
	real := [][]float64{{1.1}, {0.7}, {1.4}, {0.9}, {1.2}, {0.8}}
	fake := [][]float64{{-0.9}, {-1.3}, {-0.6}, {-1.0}, {-1.1}, {-0.5}}
	prior, err := mixbatch.Smoothing(0.3)
	if err != nil {
		log.Fatal(err)
	}
	mixer, err := mixbatch.NewMixer(prior, rand.New(rand.NewPCG(5, 2018)))
	if err != nil {
		log.Fatal(err)
	}
	m, err := mixer.MixRows(real, fake)
	if err != nil {
		log.Fatal(err)
	}
	discriminator := func(rows [][]float64) []float64 {
		o := make([]float64, len(rows))
		for i, r := range rows {
			o[i] = 2 * r[0]
		}
		return o
	}
	logits := [][]float64{discriminator(m.Batch), discriminator(m.Complement)}
	targets := []float64{m.Target, m.ComplementTarget}
	fmt.Printf("p = %.3f, β = %v\n", m.Draw.P, m.Draw.Beta)
	fmt.Printf("targets: %.4f and %.4f\n", targets[0], targets[1])
	for _, r := range []mixbatch.Reduction{mixbatch.BGAN, mixbatch.MBGAN} {
		loss, grad, err := mixbatch.DiscriminatorLoss(logits, targets, r)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-5v loss %.4f, ∂loss/∂o of the first element %+.4f\n", r, loss, grad[0][0])
	}

	// Output:
	// p = 0.732, β = [true true true false false true]
	// targets: 0.6667 and 0.3333
	// BGAN  loss 0.0051, ∂loss/∂o of the first element -0.0011
	// MBGAN loss 0.3892, ∂loss/∂o of the first element +0.0195
}

// The same kind of loss as a gorgonia node, for a discriminator built in
// a graph: logits of shape (N, B), one target per set (as Mixed.Target
// provides), M-BGAN reduction (Eq. 14). gorgonia.Grad then gives the
// discriminator's gradients.
func ExampleDiscriminatorLossNode() {
	g := gorgonia.NewGraph()
	logits := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2, 3),
		tensor.WithBacking([]float64{2.0, -1.5, 0.5, -2.0, -0.5, 1.0})), gorgonia.WithName("logits"))
	targets := gorgonia.NodeFromAny(g, tensor.New(tensor.WithShape(2),
		tensor.WithBacking([]float64{2.0 / 3, 1.0 / 3})), gorgonia.WithName("targets"))
	loss, err := mixbatch.DiscriminatorLossNode(logits, targets, mixbatch.MBGAN)
	if err != nil {
		log.Fatal(err)
	}
	grads, err := gorgonia.Grad(loss, logits)
	if err != nil {
		log.Fatal(err)
	}
	vm := gorgonia.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("loss %.4f\n", loss.Value().Data())
	fmt.Printf("gradient %.4f\n", grads[0].Value().Data())

	// Output:
	// loss 0.2052
	// gradient [0.0357 -0.0807 -0.0074 -0.0357 0.0074 0.0663]
}

// Smoothing-γ priors sit between pure batches (γ = 0) and the uniform
// prior (γ = 1/2); their prior weights w_k of a mixing vector with k ones
// out of B are what the optimal discriminator needs.
func ExampleSmoothing() {
	for _, gamma := range []float64{0, 0.2, 0.5} {
		p, err := mixbatch.Smoothing(gamma)
		if err != nil {
			log.Fatal(err)
		}
		logw, err := p.LogWeights(2)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-14v w_0, w_1, w_2 = %.4f, %.4f, %.4f\n", p, math.Exp(logw[0]), math.Exp(logw[1]), math.Exp(logw[2]))
	}
	if _, err := mixbatch.Smoothing(0.7); err != nil {
		fmt.Println(err)
	}

	// Output:
	// Smoothing(0)   w_0, w_1, w_2 = 0.5000, 0.0000, 0.5000
	// Smoothing(0.2) w_0, w_1, w_2 = 0.4133, 0.0867, 0.4133
	// Smoothing(0.5) w_0, w_1, w_2 = 0.3333, 0.1667, 0.3333
	// mixbatch: invalid prior: smoothing γ = 0.7, want 0 ≤ γ ≤ 1/2
}
