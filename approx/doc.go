// Package approx makes the universal-approximation theorem of Lucas et al.,
// "Mixed batches and symmetric discriminators for GAN training" (ICML 2018,
// Thm. 1, Sec. 4.2) something that runs: each step of its proof is a
// function that builds a network with explicit weights and says how far the
// network is from its target, and the package's tests run those networks and
// measure it.
//
// The theorem concerns the invariant networks of Eq. 10,
//
//	f(x) = (1/B) Σ_b (φ_p ∘ … ∘ φ_0)(x)_b,   φ(x)_b = μ(β + x_b Λ + ρ(x) Γ),
//
// with the equivariant layers of Eq. 12, ρ the mean over the set (Eq. 11),
// μ the sigmoid on every layer but the last and the identity on the last.
// It says two things: every such network is a symmetric function of the set,
// and every continuous symmetric function on a compact set is a uniform
// limit of such networks.
//
// # Only symmetric functions
//
// Each layer is permutation equivariant (permuting the rows of x permutes
// those of φ(x)), so the stack is, and the mean readout then forgets the
// order. [CompareSymmetry] runs a network of the family and a naive network
// of the same width on the concatenated set (B·n numbers in a row through
// ordinary dense layers) on random sets and on reorderings of them: the
// first moves by rounding only, the second by a sizeable fraction of its
// output's spread, and its first layer grows with B. The package's tests
// check the invariance as a property over random depths, widths, weights
// and sets.
//
// # Networks with explicit weights
//
// A [Net] is a network of the family with weights set by a construction
// rather than trained. Each output comes with a [Channel]: the range of
// the function it stands for and a bound Err on the error, valid for every
// set whose elements lie in the net's box. [Net.Build] makes it an
// [equivariant.Network] of [equivariant.Dense] layers in a gorgonia graph,
// and [Net.Eval] runs that; [MaxError] measures the error on sets, for
// instance those of [RandomSets], which visit the box's corners.
//
// # Step 1: sums
//
// Two networks are computed side by side in separate channels ([Concat]:
// block-diagonal Λ and Γ; a network that is too shallow is first padded
// with layers that act as the identity, the paper's "filling in with the
// identity", here sigmoid units kept in their linear regime), then combined
// linearly in the output layer ([Linear], [Sum]). The mean readout is
// linear, so the result is the sum of the two functions, and the error
// bounds add.
//
// # Step 2: products
//
// The paper takes logarithms, adds, and exponentiates, each step by the
// universal approximation theorem for one hidden layer. [Product] (and
// [Multiply] for two networks) does exactly that with explicit weights.
// The readout value F_k of an output is a mean over the set; the next layer
// sees it through its ρ(x)Γ term, identical for every element, so a layer
// whose units read only through Γ computes a function of F_k (Eq. 12 with
// Λ = 0). One such sigmoid layer holds the units of a fit of log on F_k's
// range, the next the units of a fit of exp on the range of the summed
// logarithms, and the output layer their output weights: the result is
// Π_k F_k, with a bound that adds the fits' errors to the factors' own,
// amplified by the exp. Factors must be positive on the box.
//
// The one-variable fits come from [FitShallow]: a one-hidden-layer sigmoid
// network ĝ(t) = C0 + Σ_j C_j σ(W_j t + B_j) whose width sets the error
// (units with evenly spaced centres and a common slope, output weights by
// least squares), with a bound on sup |ĝ − f| certified from the error on a
// fine grid and a bound on the second derivative between grid points.
// [FitShallowTol] picks the width from a tolerance.
//
// # Step 3: averages generate the symmetric polynomials
//
// The proof's generators are the set averages (1/B) Σ_b f(x_b), which the
// architecture computes directly. [Average] builds one: its first layer
// holds the hidden units of ĝ, the [FitShallow] fit of f (Λ = W, β = B,
// Γ = 0: each element on its own), its output layer ĝ's output weights,
// and the mean readout averages ĝ(x_b). The error is at most ĝ's bound,
// whatever B; [AverageTol] picks the width from a tolerance.
//
// For a set of scalars the averages of t^k are the power sums
// p_k(x) = Σ_b x_b^k divided by B ([PowerSums]). Every symmetric polynomial
// is a polynomial in the elementary symmetric polynomials e_k ([Elementary];
// the fundamental theorem of symmetric polynomials), and Newton's identities
//
//	k e_k = Σ_{i=1}^{k} (−1)^{i−1} e_{k−i} p_i
//
// turn those into polynomials in the power sums ([ElementaryFromPowerSums],
// [PowerSumsFromElementary], and [ElementaryPolynomial] for e_k written in
// power sums, as a [Polynomial]). For elements in R^n the same role is played
// by the multisymmetric power sums Σ_b Π_j x_{b,j}^{α_j} ([MultiPowerSum],
// [MultiIndices]), which generate the polynomials symmetric in the elements;
// the paper's supplementary material proves that algebraic statement. This
// package computes those generators but builds networks for scalar
// elements only.
//
// [Approximate] composes the steps. Given a symmetric polynomial as a
// combination of products of power sums, a set size B, a box [lo, hi] and
// a tolerance, it builds the averages of the powers t^k shifted and scaled
// into [1, 2] (so that products may take logarithms), their products, and
// the linear combination that gives back the polynomial, with the
// tolerance split between the fits so that the output's bound, and hence
// the sup error, is at most the tolerance. The widths needed grow as the
// tolerance shrinks.
//
// # Step 4: Stone–Weierstrass
//
// Symmetric polynomials are dense in the continuous symmetric functions on a
// compact box (symmetrise any polynomial approximation). With step 3 this
// ends the proof; it is not a construction, and the package stops at the
// polynomials.
//
// # Fitting in practice
//
// The constructions show what the family can represent; they are far
// from economical. [Train] fits sigmoid networks of the family by Adam on
// random sets for targets polynomial and not ([Target]: the mean, the
// variance, the maximum, e_2, the median and the number of positive
// elements) and reports the test error, so that the error's fall with the
// width can be compared across targets.
//
// # Errors
//
// Bad input returns an error wrapping one of the ErrXxx values, with
// details, and nothing half-built. Nets are values: the constructions
// never change the nets they are given.
package approx
