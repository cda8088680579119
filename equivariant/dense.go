package equivariant

import (
	"fmt"
	"math/rand/v2"
	"reflect"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/fused"
	"github.com/symnet/symnet/invariant"
)

// DenseConfig describes a [Dense] layer.
type DenseConfig struct {
	// In and Out are the feature sizes n and L of Eq. 12.
	In, Out int
	// SetSize is the set size B used by the reweighting of Sec. 4.3
	// (Λ × B/(B+1), Γ × 1/(B+1)). It must be at least 1; the layer accepts
	// sets of any size once built.
	SetSize int
	// Activation is μ; the zero value is Identity.
	Activation Activation
	// Rho is the pooling ρ; nil means invariant.Mean, the paper's choice.
	Rho invariant.Reduction
	// Init draws Λ and Γ before reweighting; the bias β starts at zero.
	Init Init
	// Dtype is tensor.Float64 or tensor.Float32; the zero value means
	// Float64.
	Dtype tensor.Dtype
	// Name prefixes the parameter names (Name.Lambda, Name.Gamma,
	// Name.Beta). Empty means "eqdense", with a numeric suffix if needed
	// to keep names unique in the graph. An explicit name that is taken is
	// an error.
	Name string
	// Rand draws the initial weights. It is required: the same source in
	// the same state gives the same layer.
	Rand *rand.Rand
}

// Dense is the permutation-equivariant layer of Eq. 12,
//
//	φ(x)_b = μ(β + x_b Λ + ρ(x) Γ),
//
// applied to one set (B, n) or to N sets (N, B, n), with ρ taken per set.
// Permuting the rows of a set permutes the rows of φ(x) the same way.
type Dense struct {
	// Lambda (n×L) acts on each element, Gamma (n×L) on the pooled set,
	// Beta (1×L) is the bias.
	Lambda, Gamma, Beta *gorgonia.Node

	in, out    int
	activation Activation
	rho        invariant.Reduction
	// fusedMean: ρ is the mean, computed by a fused op when there is no
	// mask.
	fusedMean bool
}

// NewDense creates the parameters of a Dense layer in g.
func NewDense(g *gorgonia.ExprGraph, cfg DenseConfig) (*Dense, error) {
	if g == nil {
		return nil, fmt.Errorf("%w: nil graph", ErrConfig)
	}
	if cfg.In < 1 || cfg.Out < 1 {
		return nil, fmt.Errorf("%w: dense sizes %d→%d", ErrConfig, cfg.In, cfg.Out)
	}
	if cfg.SetSize < 1 {
		return nil, fmt.Errorf("%w: set size %d for the reweighting (want ≥ 1)", ErrConfig, cfg.SetSize)
	}
	if !cfg.Activation.valid() {
		return nil, fmt.Errorf("%w: activation %v", ErrConfig, cfg.Activation)
	}
	if !cfg.Init.valid() {
		return nil, fmt.Errorf("%w: init %v", ErrConfig, cfg.Init)
	}
	if cfg.Rand == nil {
		return nil, fmt.Errorf("%w: nil Rand", ErrConfig)
	}
	dt := cfg.Dtype
	if dt == (tensor.Dtype{}) {
		dt = tensor.Float64
	}
	if err := checkDtype(dt); err != nil {
		return nil, err
	}
	scheme := cfg.Init
	if scheme == DefaultInit {
		scheme = cfg.Activation.defaultInit()
	}
	name := cfg.Name
	if name == "" {
		name = uniqueName(g, "eqdense", ".Lambda", ".Gamma", ".Beta")
	}
	rho := cfg.Rho
	if rho == nil {
		rho = invariant.Mean
	}
	// Functions do not compare in Go; invariant.Mean is a top-level
	// function without state, so its code pointer identifies it.
	fusedMean := reflect.ValueOf(rho).Pointer() == reflect.ValueOf(invariant.Reduction(invariant.Mean)).Pointer()

	lw, gw := Reweighting(cfg.SetSize)
	lambdaT := drawWeights(cfg.Rand, dt, scheme, cfg.In, cfg.Out, lw, cfg.In, cfg.Out)
	gammaT := drawWeights(cfg.Rand, dt, scheme, cfg.In, cfg.Out, gw, cfg.In, cfg.Out)
	betaT := tensor.New(tensor.WithShape(1, cfg.Out), tensor.Of(dt))

	if err := checkNames(g, name+".Lambda", name+".Gamma", name+".Beta"); err != nil {
		return nil, err
	}
	return &Dense{
		Lambda:     param(g, name+".Lambda", lambdaT),
		Gamma:      param(g, name+".Gamma", gammaT),
		Beta:       param(g, name+".Beta", betaT),
		in:         cfg.In,
		out:        cfg.Out,
		activation: cfg.Activation,
		rho:        rho,
		fusedMean:  fusedMean,
	}, nil
}

// Learnables returns Λ, Γ and β.
func (d *Dense) Learnables() gorgonia.Nodes { return gorgonia.Nodes{d.Lambda, d.Gamma, d.Beta} }

// In returns the input feature size n.
func (d *Dense) In() int { return d.in }

// Out returns the output feature size L.
func (d *Dense) Out() int { return d.out }

// Forward builds φ(x) for x of shape (B, n) or (N, B, n). mask, if not nil,
// has shape (B) or (N, B) and marks real rows with 1 (see package
// invariant); padded rows do not enter ρ, and their outputs are computed
// but meaningless.
func (d *Dense) Forward(x, mask *gorgonia.Node) (*gorgonia.Node, error) {
	if err := checkInput(x, d.Lambda.Dtype(), d.in, 2, 3); err != nil {
		return nil, err
	}
	shape := x.Shape()
	rank := shape.Dims()
	out, err := d.forward(x, mask, shape, rank)
	if err != nil {
		return nil, fmt.Errorf("equivariant: dense %s on %v: %w", d.Lambda.Name(), shape, err)
	}
	return out, nil
}

func (d *Dense) forward(x, mask *gorgonia.Node, shape tensor.Shape, rank int) (*gorgonia.Node, error) {
	sets, b := 1, shape[0]
	if rank == 3 {
		sets, b = shape[0], shape[1]
	}
	// ρ first: it validates the set (empty, mask, values) before anything
	// is added to the graph, so a refused input leaves the graph as it was.
	// The unmasked mean has its own check here, as it skips package
	// invariant (checkInput has already refused non-finite values).
	fusedMean := d.fusedMean && mask == nil
	var (
		pooled *gorgonia.Node
		err    error
	)
	if fusedMean {
		if b == 0 {
			return nil, fmt.Errorf("%w: mean over the set axis of %v", invariant.ErrEmptySet, shape)
		}
	} else {
		var opts []invariant.Option
		if mask != nil {
			opts = append(opts, invariant.WithMask(mask))
		}
		if pooled, err = d.rho(x, opts...); err != nil {
			return nil, err
		}
		if pooled, err = gorgonia.Reshape(pooled, tensor.Shape{sets, d.in}); err != nil {
			return nil, err
		}
	}

	// The elements as one (N·B)×n matrix, set after set.
	flat := x
	if rank == 3 {
		if flat, err = gorgonia.Reshape(x, tensor.Shape{sets * b, d.in}); err != nil {
			return nil, err
		}
	}
	if fusedMean {
		// One pass over the rows per set; gorgonia's Mean would also
		// differentiate its divisor and repeat the gradient through a
		// separate op.
		if pooled, err = fused.SetMean(flat, sets); err != nil {
			return nil, err
		}
	}

	// ρ(x) Γ + β once per set: the pooled term costs one (N×n)·(n×L)
	// product, not one per element.
	pg, err := gorgonia.Mul(pooled, d.Gamma)
	if err != nil {
		return nil, err
	}
	setTerm, err := fused.AddRows(pg, d.Beta)
	if err != nil {
		return nil, err
	}

	// x_b Λ for every element: one (N·B)×n by n×L product; then the set
	// term is added to every row of its set, and μ applied, in one op.
	xl, err := gorgonia.Mul(flat, d.Lambda)
	if err != nil {
		return nil, err
	}
	// Reshape before μ, not after: gorgonia's Reshape shares the tensor
	// of its input, and the backward pass of μ may need μ's output intact
	// while ops downstream of a reshaped copy write over it in place.
	if rank == 3 {
		if xl, err = gorgonia.Reshape(xl, tensor.Shape{sets, b, d.out}); err != nil {
			return nil, err
		}
	}
	return d.activation.addRows(xl, setTerm)
}

// checkInput validates x's presence, dtype, rank and feature size (the last
// axis for dense inputs; pass features = -1 to skip).
func checkInput(x *gorgonia.Node, dt tensor.Dtype, features int, ranks ...int) error {
	if x == nil {
		return ErrNilNode
	}
	if x.Dtype() != dt {
		return fmt.Errorf("%w: input %q is %v, layer is %v", ErrDtype, x.Name(), x.Dtype(), dt)
	}
	shape := x.Shape()
	okRank := false
	for _, r := range ranks {
		okRank = okRank || shape.Dims() == r
	}
	if !okRank {
		return fmt.Errorf("%w: input %q has shape %v, want rank %v", ErrShape, x.Name(), shape, ranks)
	}
	if features >= 0 && shape[shape.Dims()-1] != features {
		return fmt.Errorf("%w: input %q has %d features, layer takes %d", ErrShape, x.Name(), shape[shape.Dims()-1], features)
	}
	if v, ok := x.Value().(tensor.Tensor); ok {
		if err := invariant.CheckFinite(v); err != nil {
			return fmt.Errorf("equivariant: input %q: %w", x.Name(), err)
		}
	}
	return nil
}
