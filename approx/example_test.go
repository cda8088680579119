package approx_test

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"

	"github.com/symnet/symnet/approx"
)

func ExamplePowerSums() {
	p, err := approx.PowerSums([]float64{1, 2, 3}, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p)
	// Output:
	// [6 14 36]
}

// Newton's identities recover the elementary symmetric polynomials of a
// set from its power sums alone: here the coefficients of
// (1+t)(1+2t)(1+3t) = 1 + 6t + 11t² + 6t³.
func ExampleElementaryFromPowerSums() {
	e, err := approx.ElementaryFromPowerSums([]float64{6, 14, 36})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e)
	// Output:
	// [6 11 6]
}

func ExampleElementaryPolynomial() {
	for k := 1; k <= 3; k++ {
		e, err := approx.ElementaryPolynomial(k)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("e%d = %v\n", k, e)
	}
	// Output:
	// e1 = p1
	// e2 = 0.5*p1^2 - 0.5*p2
	// e3 = 0.16666666666666666*p1^3 - 0.5*p1*p2 + 0.3333333333333333*p3
}

// The multisymmetric power sum p_(2,1) of two points of the plane,
// (1, 2) and (3, 5): 1²·2 + 3²·5.
func ExampleMultiPowerSum() {
	v, err := approx.MultiPowerSum([][]float64{{1, 2}, {3, 5}}, []int{2, 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Output:
	// 47
}

// A network of the paper's family computing the mean of x_b² over a set,
// with eight sigmoid units standing for t ↦ t² on [−1, 1].
func ExampleAverage() {
	square := approx.Func{F: func(t float64) float64 { return t * t }, Lo: -1, Hi: 1, Curv: 2}
	net, err := approx.Average(square, 8)
	if err != nil {
		log.Fatal(err)
	}
	out, err := net.Eval([][][]float64{{{-0.5}, {0}, {1}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("layer widths %v, error bound below 1e-6: %v\n", net.Widths(), net.Outputs()[0].Err < 1e-6)
	fmt.Printf("network %.5f, exact %.5f\n", out[0][0], (0.25+0+1)/3.0)
	// Output:
	// layer widths [8 1], error bound below 1e-6: true
	// network 0.41667, exact 0.41667
}

// The product of two positive set averages, by log, add and exp.
func ExampleMultiply() {
	a, err := approx.Average(approx.Func{F: func(t float64) float64 { return 1 + t*t }, Lo: -1, Hi: 1, Curv: 2}, 16)
	if err != nil {
		log.Fatal(err)
	}
	b, err := approx.Average(approx.Func{F: math.Exp, Lo: -1, Hi: 1, Curv: math.E}, 16)
	if err != nil {
		log.Fatal(err)
	}
	prod, err := approx.Multiply(a, b, 1e-4)
	if err != nil {
		log.Fatal(err)
	}
	set := [][]float64{{-0.5}, {0.25}, {1}}
	out, err := prod.Eval([][][]float64{set})
	if err != nil {
		log.Fatal(err)
	}
	ma := (1.25 + 1.0625 + 2) / 3
	mb := (math.Exp(-0.5) + math.Exp(0.25) + math.E) / 3
	fmt.Printf("layer widths %v\n", prod.Widths())
	fmt.Printf("network %.4f, exact %.4f\n", out[0][0], ma*mb)
	// Output:
	// layer widths [32 31 8 1]
	// network 2.2084, exact 2.2084
}

// A network approximating e_2 = Σ_{b<c} x_b x_c on sets of four elements
// of [−1, 1] to 10⁻³, built from the steps of Thm. 1 and checked on random
// sets.
func ExampleApproximate() {
	e2, err := approx.ElementaryPolynomial(2)
	if err != nil {
		log.Fatal(err)
	}
	const tol = 1e-3
	net, err := approx.Approximate(e2, approx.ApproxConfig{SetSize: 4, Lo: -1, Hi: 1, Tol: tol})
	if err != nil {
		log.Fatal(err)
	}
	sets, err := approx.RandomSets(rand.New(rand.NewPCG(1, 2)), 200, 4, -1, 1)
	if err != nil {
		log.Fatal(err)
	}
	worst, err := approx.MaxError(net, 0, func(x []float64) float64 { v, _ := e2.Eval(x); return v }, sets)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v: layer widths %v\n", e2, net.Widths())
	fmt.Printf("bound ≤ tol: %v, measured ≤ tol: %v\n", net.Outputs()[0].Err <= tol, worst <= tol)
	// Output:
	// 0.5*p1^2 - 0.5*p2: layer widths [16 13 10 1]
	// bound ≤ tol: true, measured ≤ tol: true
}

// An invariant network and a naive one on the concatenated set, of the
// same width, on random sets and reorderings of them.
func ExampleCompareSymmetry() {
	rep, err := approx.CompareSymmetry(approx.SymmetryConfig{
		In: 2, SetSize: 64, Width: 32, Depth: 2, Trials: 100, Rand: rand.New(rand.NewPCG(1, 2)),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("parameters: invariant %d, naive %d\n", rep.InvariantParams, rep.NaiveParams)
	fmt.Printf("invariant moved by < 1e-12: %v\n", rep.InvariantGap < 1e-12)
	fmt.Printf("naive moved by > 10%% of its spread: %v\n", rep.NaiveGap > 0.1*rep.NaiveScale)
	// Output:
	// parameters: invariant 2305, naive 5217
	// invariant moved by < 1e-12: true
	// naive moved by > 10% of its spread: true
}

// A short fit of the variance of sets of eight elements with 16 units per
// layer: far better than the best constant (relative error 1).
func ExampleTrain() {
	res, err := approx.Train(approx.TrainConfig{Target: approx.Variance, Width: 16, Steps: 400, TestSets: 512, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v, width %d, %d parameters: relative test error below 0.5: %v\n", res.Target, res.Width, res.Params, res.RelRMSE < 0.5)
	// Output:
	// variance, width 16, 609 parameters: relative test error below 0.5: true
}
