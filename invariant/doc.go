// Package invariant provides reductions over the set axis of gorgonia nodes:
// the permutation-invariant pooling ρ of equivariant set networks.
//
// A set of B elements with F features is a node of shape (B, F); N sets of B
// elements are a node of shape (N, B, F); a set of B images is (B, C, H, W).
// The set axis is the axis over which the order of elements must not matter.
// [Mean] is the paper's ρ (Lucas et al., ICML 2018, Eq. 11),
//
//	ρ(x) = (1/B) Σ_b x_b,
//
// and [Sum] and [Max] give the DeepSets and PointNet poolings. Every
// reduction is a [Reduction], so that layers can take the pooling as a
// parameter.
//
// # Set axis
//
// Unless [SetAxis] says otherwise the set axis is 0 for inputs of rank 1, 2
// and 4 ((B), (B, F) and (B, C, H, W)) and 1 for inputs of rank 3 and 5
// ((N, B, F) and (N, B, C, H, W)). The reduced axis is dropped, as
// gorgonia's own reductions do, unless [KeepSetAxis] asks for it to stay with
// size 1, ready to broadcast back over the set.
//
// # Masks
//
// Sets of different sizes are padded to a common B and come with a mask of
// shape (B) or (N, B): the input's shape up to and including the set axis,
// with 1 for a real row and 0 for padding, in the input's dtype. With
// [WithMask], padded rows never change the result:
//
//	Mean: Σ_b m_b x_b / Σ_b m_b    Sum: Σ_b m_b x_b    Max: max over {b : m_b = 1}
//
// Padded rows must hold finite values (NaN·0 is NaN), and for [Max] real
// values must exceed -MaxFloat/4, the penalty that keeps padding from
// winning. A set must have at least one real row; [CheckMask] and
// [MaskFromLengths] validate masks before they are fed to a graph, and a
// mask node that already holds a value is validated when the reduction is
// built. Inputs that hold a value when the reduction is built must be
// finite; [CheckFinite] validates values fed later.
package invariant
