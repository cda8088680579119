// Package equivariant provides the permutation-equivariant layers of
// Lucas et al., "Mixed batches and symmetric discriminators for GAN
// training" (ICML 2018), and the invariant networks built from them.
//
// # Layers
//
// [Dense] is the layer of Eq. 12. For a set x of B elements with n
// features (a node of shape (B, n), or N sets of shape (N, B, n)),
//
//	φ(x)_b = μ(β + x_b Λ + ρ(x) Γ),   Λ, Γ ∈ R^{n×L}, β ∈ R^L,
//
// where ρ is a reduction over the set axis from package invariant (the
// mean, Eq. 11, by default; the sum and the maximum give the DeepSets and
// PointNet families) and μ an [Activation]. Permuting the rows of x permutes
// the rows of φ(x) the same way. The pooled term ρ(x)Γ + β is computed once
// per set and broadcast, so the layer costs one large product, as an
// ordinary dense layer does, plus one per set.
//
// [Conv2D] is the convolutional variant of Sec. 4.3 (Figure 1) for sets of
// images (B, C, H, W): φ(x)_b = μ(β + conv_Λ(x_b) + conv_Γ(ρ(x))), with 3×3
// kernels by default and padding that keeps H×W.
//
// [Linear] is an ordinary dense layer applied to each element on its own:
// trivially equivariant, it is the per-set head of a network and the
// pointwise baseline of the paper's comparisons.
//
// # Initialisation
//
// Λ and Γ are drawn by a standard scheme ([Glorot], [He] or [FanInUniform]; [DefaultInit]
// picks He for the rectifiers), then reweighted as in Sec. 4.3: Λ by
// B/(B+1) and Γ by 1/(B+1) for the set size B the caller states
// ([Reweighting]), so that the pooled term does not dominate at the start of
// training. The bias starts at zero. Every draw comes from the *rand.Rand in
// the configuration: the same source in the same state gives the same layer.
//
// # Networks
//
// A [Stack] of layers is equivariant. A [Network] is the invariant network
// of Eq. 10: a stack, a reduction over the set axis, then an optional head
// of ordinary layers applied per set,
//
//	f(x) = head((1/B) Σ_b (φ_p ∘ … ∘ φ_0)(x)_b).
//
// [NewNetwork] builds one from widths. Everything is built into the
// caller's gorgonia graph, so a network drops into an existing model; its
// parameters come from Learnables, and [Network.Elements] gives the
// per-element outputs that the M-BGAN loss (Eq. 14) starts from.
//
// # Masks
//
// Sets of different sizes are padded to a common B and passed with a mask
// of shape (B) or (N, B) as in package invariant. Padded rows never enter ρ,
// so the real rows' outputs equal those of the unpadded set; the padded
// rows' own outputs are computed but meaningless.
//
// # Names and errors
//
// Gorgonia merges nodes that share a name, type and shape, so every
// parameter gets a unique name (Name.Lambda, Name.Gamma, Name.Beta); an
// explicit name already in the graph is refused with [ErrName]. Bad
// configurations and inputs return errors wrapping [ErrConfig], [ErrShape],
// [ErrDtype] or the errors of package invariant (empty sets, bad masks,
// non-finite values); a refused call adds nothing to the graph.
package equivariant
