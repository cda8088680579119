package mixbatch

import (
	"fmt"
	"math"
)

// Reduction says how a set's per-element logits o_1..o_B meet the loss
// (Sec. 4.3).
type Reduction int

const (
	// BGAN averages the logits, then applies the loss (Eq. 13):
	// L = ℓ((1/B) Σ_b o_b, y).
	BGAN Reduction = iota + 1
	// MBGAN applies the loss to every logit, then averages (Eq. 14):
	// L = (1/B) Σ_b ℓ(o_b, y).
	MBGAN
)

func (r Reduction) String() string {
	switch r {
	case BGAN:
		return "BGAN"
	case MBGAN:
		return "MBGAN"
	}
	return fmt.Sprintf("Reduction(%d)", int(r))
}

func (r Reduction) check() error {
	if r != BGAN && r != MBGAN {
		return fmt.Errorf("%w: %v", ErrReduction, r)
	}
	return nil
}

// softplus returns log(1 + e^s) without overflow or loss of precision for
// large |s|.
func softplus(s float64) float64 {
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}

// sigmoid returns 1/(1 + e^−s), computed from the side that cannot
// overflow.
func sigmoid(s float64) float64 {
	if s >= 0 {
		return 1 / (1 + math.Exp(-s))
	}
	e := math.Exp(s)
	return e / (1 + e)
}

// xlogx returns u log u with 0 log 0 = 0.
func xlogx(u float64) float64 {
	if u == 0 {
		return 0
	}
	return u * math.Log(u)
}

// Entropy returns the entropy H(u) = −u log u − (1−u) log(1−u) of a
// Bernoulli(u) variable, with 0 log 0 = 0, for u ∈ [0, 1].
func Entropy(u float64) (float64, error) {
	if err := checkTarget(u); err != nil {
		return 0, err
	}
	return -xlogx(u) - xlogx(1-u), nil
}

func checkTarget(u float64) error {
	if !(u >= 0 && u <= 1) {
		return fmt.Errorf("%w: u = %v", ErrTarget, u)
	}
	return nil
}

// KL returns the ratio loss of Eq. 3–4 for one prediction,
//
//	KL(B(u) ‖ B(σ(s))) = u·softplus(−s) + (1−u)·softplus(s) − H(u),
//
// where s is the discriminator's logit and u ∈ [0, 1] the target ratio,
// and its derivative σ(s) − u with respect to s. This form never takes the
// log of 0 (log σ(s) = −softplus(−s), log(1−σ(s)) = −softplus(s)). The
// value is ≥ 0 and, up to rounding, 0 exactly when σ(s) = u; rounding
// cannot make it negative, as it is clamped at 0. s must be finite.
func KL(u, s float64) (loss, dlogit float64, err error) {
	if err := checkTarget(u); err != nil {
		return 0, 0, err
	}
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return 0, 0, fmt.Errorf("%w: logit %v", ErrNotFinite, s)
	}
	return klValue(u, s), sigmoid(s) - u, nil
}

// klValue is KL without validation. It adds each cross-entropy term to
// its own entropy term, u (softplus(−s) + log u), so that the two parts
// that cancel near the optimum are close in magnitude.
func klValue(u, s float64) float64 {
	var v float64
	if u > 0 {
		v += u * (softplus(-s) + math.Log(u))
	}
	if u < 1 {
		v += (1 - u) * (softplus(s) + math.Log1p(-u))
	}
	return max(v, 0)
}

// DiscriminatorLoss returns the mean over N sets of the ratio loss of
// Eq. 4 and its gradient with respect to every logit. logits[n] holds the
// B_n per-element logits of set n (sets may differ in size; a
// discriminator with one logit per set passes sets of one), targets[n] its
// target #β/B. With BGAN the loss of set n is KL(u_n ‖ σ(mean_b o_nb))
// (Eq. 13), with MBGAN it is mean_b KL(u_n ‖ σ(o_nb)) (Eq. 14).
func DiscriminatorLoss(logits [][]float64, targets []float64, r Reduction) (loss float64, grad [][]float64, err error) {
	if err := checkSets(logits, r); err != nil {
		return 0, nil, err
	}
	if len(targets) != len(logits) {
		return 0, nil, fmt.Errorf("%w: %d sets of logits, %d targets", ErrShape, len(logits), len(targets))
	}
	for n, u := range targets {
		if !(u >= 0 && u <= 1) {
			return 0, nil, fmt.Errorf("%w: set %d has u = %v", ErrTarget, n, u)
		}
	}
	return reduceSets(logits, r, func(n int, s float64) (float64, float64) {
		return klValue(targets[n], s), sigmoid(s) - targets[n]
	})
}

// GeneratorLoss returns the generator's non-saturating loss on mixed
// batches (Eq. 5), averaged over N sets, and its gradient with respect to
// every logit. The generator minimises −log D = softplus(−s), which pushes
// D up on batches that contain its samples: with BGAN the loss of set n is
// softplus(−mean_b o_nb), with MBGAN mean_b softplus(−o_nb). The paper
// prints the expectation of log D; the sign here is the one under which
// the generator, by minimising, tries to make D call its batches real.
func GeneratorLoss(logits [][]float64, r Reduction) (loss float64, grad [][]float64, err error) {
	if err := checkSets(logits, r); err != nil {
		return 0, nil, err
	}
	return reduceSets(logits, r, func(_ int, s float64) (float64, float64) {
		return softplus(-s), -sigmoid(-s)
	})
}

func checkSets(logits [][]float64, r Reduction) error {
	if err := r.check(); err != nil {
		return err
	}
	if len(logits) == 0 {
		return fmt.Errorf("%w: no sets of logits", ErrEmpty)
	}
	for n, set := range logits {
		if len(set) == 0 {
			return fmt.Errorf("%w: set %d has no logits", ErrEmpty, n)
		}
		for b, s := range set {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return fmt.Errorf("%w: logit %d of set %d is %v", ErrNotFinite, b, n, s)
			}
		}
	}
	return nil
}

// reduceSets averages a per-logit loss ℓ(n, s) (with derivative ℓ') over
// the sets, reducing each set as r says, and returns the gradient in the
// shape of logits. Every term is scaled by its weight 1/(NB) before it is
// added, so that a mean of finite losses cannot overflow even when the
// losses themselves are near the largest float64 (logits near ±1e308).
func reduceSets(logits [][]float64, r Reduction, ell func(n int, s float64) (float64, float64)) (float64, [][]float64, error) {
	invN := 1 / float64(len(logits))
	var total float64
	grad := make([][]float64, len(logits))
	for n, set := range logits {
		invB := 1 / float64(len(set))
		grad[n] = make([]float64, len(set))
		switch r {
		case BGAN:
			var mean float64
			for _, s := range set {
				mean += s * invB
			}
			v, d := ell(n, mean)
			total += v * invN
			for b := range set {
				grad[n][b] = d * invB * invN
			}
		case MBGAN:
			for b, s := range set {
				v, d := ell(n, s)
				total += v * invB * invN
				grad[n][b] = d * invB * invN
			}
		}
	}
	return total, grad, nil
}
