package mixbatch

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// KLNode returns the elementwise ratio loss KL(B(u) ‖ B(σ(s))) of Eq. 3,
// in the form
//
//	u·(softplus(−s) + log u) + (1−u)·(softplus(s) + log(1−u)),
//
// for logits s and targets u of one shape and dtype (float32 or float64).
// The entropy terms use log(u + tiny) with tiny the smallest normal number
// of the dtype, so that 0·log 0 gives 0 and not NaN; for u above 1e−290
// (float64) the shift is below rounding. Gradients flow to the logits; the
// targets are data.
//
// The softplus and sigmoid used here are exact to rounding over the whole
// float range: gorgonia's own Softplus returns x for x > 16 (an error of up
// to 1.1e−7) and its Sigmoid returns 1 for x > 19.
func KLNode(logits, targets *gorgonia.Node) (*gorgonia.Node, error) {
	if err := checkNodes(logits, targets); err != nil {
		return nil, err
	}
	if !logits.Shape().Eq(targets.Shape()) {
		return nil, fmt.Errorf("%w: logits %v, targets %v", ErrShape, logits.Shape(), targets.Shape())
	}
	if err := checkNodeSizes(logits); err != nil {
		return nil, err
	}
	spNeg, err := softplusNeg(logits)
	if err != nil {
		return nil, err
	}
	sp, err := softplusNode(logits)
	if err != nil {
		return nil, err
	}
	return klFromSoftplus(targets, spNeg, sp)
}

// DiscriminatorLossNode returns the discriminator's ratio loss (Eq. 4),
// averaged over N sets, as a scalar node. logits has shape (N, B) — the
// per-element outputs o_nb of the last equivariant layer, reduced as r
// says (Eq. 13 or 14) — or shape (N) for a discriminator that already
// gives one logit per set, where the reduction changes nothing. targets
// has shape (N): #β/B for each set, as [Mixed.Target] provides. A single
// set with per-element logits is (1, B); reshape a (N, B, 1) output first.
//
// Shapes, dtypes, the reduction, and any value the nodes already hold
// (targets in [0, 1], finite logits) are checked before anything is added
// to the graph.
func DiscriminatorLossNode(logits, targets *gorgonia.Node, r Reduction) (*gorgonia.Node, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	if err := checkNodes(logits, targets); err != nil {
		return nil, err
	}
	if err := checkSetShape(logits); err != nil {
		return nil, err
	}
	n := logits.Shape()[0]
	if ts := targets.Shape(); ts.Dims() != 1 || ts[0] != n {
		return nil, fmt.Errorf("%w: targets %v for logits %v, want (%d)", ErrShape, ts, logits.Shape(), n)
	}
	spNeg, sp, err := reducedSoftplus(logits, r)
	if err != nil {
		return nil, err
	}
	perSet, err := klFromSoftplus(targets, spNeg, sp)
	if err != nil {
		return nil, err
	}
	return wrap(gorgonia.Mean(perSet))
}

// GeneratorLossNode returns the generator's non-saturating loss on mixed
// batches (Eq. 5), averaged over N sets, as a scalar node: per set
// softplus(−mean_b o_nb) with BGAN and mean_b softplus(−o_nb) with MBGAN,
// the −log D that the generator minimises (see [GeneratorLoss] for the
// sign). logits has shape (N, B) or (N), as for [DiscriminatorLossNode].
func GeneratorLossNode(logits *gorgonia.Node, r Reduction) (*gorgonia.Node, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	if logits == nil {
		return nil, fmt.Errorf("%w: logits node", ErrNil)
	}
	if err := checkFloatNode(logits, "logits"); err != nil {
		return nil, err
	}
	if err := checkSetShape(logits); err != nil {
		return nil, err
	}
	spNeg, _, err := reducedSoftplus(logits, r)
	if err != nil {
		return nil, err
	}
	return wrap(gorgonia.Mean(spNeg))
}

// reducedSoftplus returns, per set, softplus(−s) and softplus(s) of the
// set's mean logit (BGAN) or the set means of softplus(∓o_b) (MBGAN).
// Everything after this point is elementwise over the N sets, so the
// targets never need broadcasting.
func reducedSoftplus(logits *gorgonia.Node, r Reduction) (spNeg, sp *gorgonia.Node, err error) {
	x := logits
	if logits.Shape().Dims() == 2 && r == BGAN {
		if x, err = gorgonia.Mean(logits, 1); err != nil {
			return nil, nil, wrapErr(err)
		}
	}
	if spNeg, err = softplusNeg(x); err != nil {
		return nil, nil, err
	}
	if sp, err = softplusNode(x); err != nil {
		return nil, nil, err
	}
	if x.Shape().Dims() == 2 { // MBGAN on (N, B): average the losses per set.
		if spNeg, err = gorgonia.Mean(spNeg, 1); err != nil {
			return nil, nil, wrapErr(err)
		}
		if sp, err = gorgonia.Mean(sp, 1); err != nil {
			return nil, nil, wrapErr(err)
		}
	}
	return spNeg, sp, nil
}

// klFromSoftplus combines u, softplus(−s) and softplus(s) into
// u (softplus(−s) + log u) + (1−u) (softplus(s) + log(1−u)).
func klFromSoftplus(u, spNeg, sp *gorgonia.Node) (*gorgonia.Node, error) {
	one, tiny := constants(u.Dtype())
	w, err := gorgonia.Sub(one, u)
	if err != nil {
		return nil, wrapErr(err)
	}
	term := func(weight, softp *gorgonia.Node) (*gorgonia.Node, error) {
		shifted, err := gorgonia.Add(weight, tiny)
		if err != nil {
			return nil, err
		}
		lg, err := gorgonia.Log(shifted)
		if err != nil {
			return nil, err
		}
		sum, err := gorgonia.Add(softp, lg)
		if err != nil {
			return nil, err
		}
		return gorgonia.HadamardProd(weight, sum)
	}
	a, err := term(u, spNeg)
	if err != nil {
		return nil, wrapErr(err)
	}
	b, err := term(w, sp)
	if err != nil {
		return nil, wrapErr(err)
	}
	return wrap(gorgonia.Add(a, b))
}

func softplusNeg(x *gorgonia.Node) (*gorgonia.Node, error) {
	neg, err := gorgonia.Neg(x)
	if err != nil {
		return nil, wrapErr(err)
	}
	return softplusNode(neg)
}

func softplusNode(x *gorgonia.Node) (*gorgonia.Node, error) {
	return wrap(gorgonia.ApplyOp(exactOp{kind: opSoftplus}, x))
}

// constants returns 1 and the smallest normal number in dt.
func constants(dt tensor.Dtype) (one, tiny *gorgonia.Node) {
	if dt == tensor.Float32 {
		return gorgonia.NewConstant(float32(1)), gorgonia.NewConstant(float32(0x1p-126))
	}
	return gorgonia.NewConstant(1.0), gorgonia.NewConstant(0x1p-1022)
}

func wrap(n *gorgonia.Node, err error) (*gorgonia.Node, error) {
	if err != nil {
		return nil, wrapErr(err)
	}
	return n, nil
}

func wrapErr(err error) error { return fmt.Errorf("mixbatch: building loss: %w", err) }

// checkNodes checks that logits and targets are non-nil float nodes of
// one dtype in one graph, with valid values if they hold any.
func checkNodes(logits, targets *gorgonia.Node) error {
	if logits == nil || targets == nil {
		return fmt.Errorf("%w: logits or targets node", ErrNil)
	}
	if err := checkFloatNode(logits, "logits"); err != nil {
		return err
	}
	if targets.Dtype() != logits.Dtype() {
		return fmt.Errorf("%w: logits %q are %v, targets %q are %v", ErrDtype, logits.Name(), logits.Dtype(), targets.Name(), targets.Dtype())
	}
	if targets.Graph() != logits.Graph() {
		return fmt.Errorf("%w: logits %q and targets %q are in different graphs", ErrShape, logits.Name(), targets.Name())
	}
	if v := targets.Value(); v != nil {
		vals, err := valueFloats(v)
		if err != nil {
			return err
		}
		for i, u := range vals {
			if !(u >= 0 && u <= 1) {
				return fmt.Errorf("%w: entry %d of targets %q is %v", ErrTarget, i, targets.Name(), u)
			}
		}
	}
	return nil
}

func checkFloatNode(n *gorgonia.Node, what string) error {
	if dt := n.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return fmt.Errorf("%w: %s %q are %v, want float32 or float64", ErrDtype, what, n.Name(), dt)
	}
	if v := n.Value(); v != nil {
		vals, err := valueFloats(v)
		if err != nil {
			return err
		}
		for i, s := range vals {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return fmt.Errorf("%w: %s %q entry %d is %v", ErrNotFinite, what, n.Name(), i, s)
			}
		}
	}
	return nil
}

// checkSetShape accepts (N, B) and (N) logits with no empty axis.
func checkSetShape(logits *gorgonia.Node) error {
	if d := logits.Shape().Dims(); d != 1 && d != 2 {
		return fmt.Errorf("%w: logits %q have shape %v, want (N, B) or (N); reshape (N, B, 1) to (N, B)", ErrShape, logits.Name(), logits.Shape())
	}
	return checkNodeSizes(logits)
}

func checkNodeSizes(n *gorgonia.Node) error {
	for i, s := range n.Shape() {
		if s == 0 {
			return fmt.Errorf("%w: axis %d of %q (shape %v) has size 0", ErrEmpty, i, n.Name(), n.Shape())
		}
	}
	return nil
}

// valueFloats copies a float node value to []float64.
func valueFloats(v gorgonia.Value) ([]float64, error) {
	switch d := v.Data().(type) {
	case []float64:
		return d, nil
	case float64:
		return []float64{d}, nil
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out, nil
	case float32:
		return []float64{float64(d)}, nil
	}
	return nil, fmt.Errorf("%w: node value holds %T", ErrDtype, v.Data())
}
