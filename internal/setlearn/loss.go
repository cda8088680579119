package setlearn

import (
	"errors"
	"fmt"

	"gorgonia.org/gorgonia"
)

var errNilNode = errors.New("setlearn: nil node given to a loss")

// L1 builds the mean absolute error mean_i |pred_i − target_i| of two nodes
// of the same shape.
func L1(pred, target *gorgonia.Node) (*gorgonia.Node, error) {
	if pred == nil || target == nil {
		return nil, errNilNode
	}
	if !pred.Shape().Eq(target.Shape()) {
		return nil, fmt.Errorf("setlearn: L1 of shapes %v and %v", pred.Shape(), target.Shape())
	}
	d, err := gorgonia.Sub(pred, target)
	if err != nil {
		return nil, err
	}
	if d, err = gorgonia.Abs(d); err != nil {
		return nil, err
	}
	return gorgonia.Mean(d)
}

// CrossEntropy builds the mean over rows of −log softmax(logits)_y for
// logits of shape (N, K) and one-hot targets of the same shape. The
// log-sum-exp is shifted by each row's maximum so that large logits neither
// overflow nor underflow; the shift cancels in the value and, exactly, in
// the gradient.
func CrossEntropy(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	if logits == nil || onehot == nil {
		return nil, errNilNode
	}
	s := logits.Shape()
	if s.Dims() != 2 || !s.Eq(onehot.Shape()) {
		return nil, fmt.Errorf("setlearn: cross-entropy of shapes %v and %v", s, onehot.Shape())
	}
	n := s[0]
	m, err := gorgonia.Max(logits, 1) // (N)
	if err != nil {
		return nil, err
	}
	if m, err = gorgonia.Reshape(m, []int{n, 1}); err != nil {
		return nil, err
	}
	z, err := gorgonia.BroadcastSub(logits, m, nil, []byte{1})
	if err != nil {
		return nil, err
	}
	e, err := gorgonia.Exp(z)
	if err != nil {
		return nil, err
	}
	se, err := gorgonia.Sum(e, 1)
	if err != nil {
		return nil, err
	}
	lse, err := gorgonia.Log(se) // (N): log Σ exp(z)
	if err != nil {
		return nil, err
	}
	picked, err := gorgonia.HadamardProd(z, onehot)
	if err != nil {
		return nil, err
	}
	zy, err := gorgonia.Sum(picked, 1) // (N): z_y
	if err != nil {
		return nil, err
	}
	nll, err := gorgonia.Sub(lse, zy)
	if err != nil {
		return nil, err
	}
	return gorgonia.Mean(nll)
}
