// Package mixbatch trains GAN discriminators on mixed batches of real and
// generated samples, as in Lucas, Tallec, Verbeek and Ollivier, "Mixed
// batches and symmetric discriminators for GAN training" (ICML 2018).
// Equation numbers below are the paper's.
//
// Instead of telling real samples from fake ones one at a time, the
// discriminator sees a batch in which each element is real with
// probability p, and predicts the ratio of real elements. The package
// holds everything around that task except the discriminator network: the
// priors on p, the mixing of batches, the loss (as plain Go and as
// gorgonia nodes) and the exact optimal discriminator. It does not import
// any network code, so it works with a discriminator written in anything.
//
// # Mixed batches
//
// A [Mixer] draws p from a [Prior], then a mixing vector β ~ Bernoulli(p)^B,
// and mixes a real batch x with a fake batch x̃ row by row (Eq. 2):
// row b is x_b where β_b = 1 and x̃_b otherwise. The target of the mixed
// batch is #β/B, the fraction of real rows. The rows not used form a
// second mixed batch with target 1 − #β/B (the paper's reuse of discarded
// samples), so no sample is wasted. [Mixer.Mix] works on tensors of any
// shape whose first axis is the batch, [Mixer.MixSets] on N sets at once
// (shape (N, B, …), one p per set), [Mixer.MixRows] on [][]float64.
// [Mixer.Draw] returns p and β alone, for callers who mix inside their own
// computation graph.
//
// # Priors on the ratio
//
// [Uniform] is the uniform prior of Eq. 4. [Smoothing] with parameter γ
// draws p uniformly from [0, γ] ∪ [1−γ, 1] (batch smoothing, Sec. 3.1):
// γ = 0 gives pure batches, γ = 1/2 the uniform prior; the paper found a
// smaller γ eases the discriminator's task. [Beta] is the family of
// non-uniform priors of Sec. 9. Every prior also gives the prior weight
// w_k of one mixing vector with k ones out of B, which the optimal
// discriminator needs.
//
// # Losses
//
// The discriminator outputs a logit s and predicts σ(s). Its loss is the
// Kullback–Leibler divergence between Bernoulli distributions (Eq. 3–4),
//
//	KL(B(u) ‖ B(σ(s))) = u·softplus(−s) + (1−u)·softplus(s) − H(u),
//
// with u = #β/B and H the Bernoulli entropy. This form never takes the
// log of 0; it is ≥ 0 and zero exactly when σ(s) = u. [KL] gives it with
// its derivative σ(s) − u.
//
// A discriminator built from permutation-equivariant layers outputs one
// logit o_b per element of the set. The loss then needs a reduction:
// [BGAN] averages the logits and applies the loss to the mean (Eq. 13),
// [MBGAN] applies the loss to every logit and averages the losses
// (Eq. 14). A discriminator with one logit per set uses either; they
// agree. [DiscriminatorLoss] averages over N sets. The generator minimises
// the non-saturating loss −log D = softplus(−s) on mixed batches (Eq. 5),
// [GeneratorLoss], with the same two reductions.
//
// [KLNode], [DiscriminatorLossNode] and [GeneratorLossNode] build the same
// losses in a gorgonia graph, so that gorgonia.Grad differentiates them.
// Their softplus and sigmoid are exact over the whole float range, where
// gorgonia's own cut off above 16 and 19.
//
// # Optimal discriminator
//
// Given the data density p1 and the generator's density p2 at each
// element of a batch y, the loss of Eq. 4 is minimised by the posterior
// mean of the ratio, D*(y) = E[#β/B | y] (Prop. 1, Eq. 6–7, and for other
// priors Sec. 9). [Optimal] and [OptimalDiscriminator] compute it exactly
// in O(B²) by grouping the 2^B mixing vectors by their number of ones,
// without overflow for batches of thousands of elements and log-density
// gaps of ±1000 per element. [OptimalBruteForce] enumerates all 2^B
// vectors; it is the reference the tests compare against. D* is the
// target a trained discriminator approaches, which makes it a yardstick
// on toy problems with known densities.
//
// # Plugging mixbatch into an existing GAN loop
//
// A GAN loop changes in three places; the generator, the optimisers and
// the data pipeline stay as they are.
//
//  1. The discriminator takes a set: a batch of B samples in, one logit per
//     set or one per element out (shape (N) or (N, B) for N sets). It should
//     be invariant to the order of the batch; the equivariant package of
//     this module builds such networks, and any other symmetric network
//     will do.
//  2. Discriminator step: draw a real batch x and a fake batch x̃ = G(z)
//     as before, mix them with [Mixer.Mix] (or [Mixer.MixSets]), run the
//     discriminator on Mixed.Batch and on Mixed.Complement, and minimise
//     [DiscriminatorLoss] (or [DiscriminatorLossNode]) against
//     Mixed.Target and Mixed.ComplementTarget (Eq. 4, reduced by Eq. 13
//     or 14). This replaces the usual −log D(x) − log(1 − D(x̃)).
//  3. Generator step: the generator's gradient has to reach the fake rows
//     through the mixing, so mix inside the graph: draw p and β with
//     [Mixer.Draw], feed β as a tensor of zeros and ones shaped to
//     broadcast over a sample ((B, 1) for vectors, (B, 1, 1, 1) for
//     images), form x⊙β + x̃⊙(1−β) (Eq. 2 as the paper writes it) and
//     minimise
//     [GeneratorLossNode] on the discriminator's output (Eq. 5). Without
//     an autodiff graph, [GeneratorLoss] returns the gradient with respect
//     to the logits, to be propagated by hand.
//
// The paper searched γ over [0.2, 0.5] on CIFAR10 and advises (Sec. 5.3)
// to raise γ when the discriminator dominates and to lower it when the
// discriminator's loss stays high in spite of poor samples. The gan
// package of this module follows these steps.
//
// # Errors
//
// Invalid input from callers — mismatched shapes or dtypes, empty sets,
// NaN or infinite logits, targets outside [0, 1], invalid prior
// parameters — is reported as an error wrapping one of the ErrXxx values
// (test with errors.Is), before anything is computed, drawn or added to a
// graph; the one exception is a user-defined [Prior] that samples outside
// [0, 1], which is caught after its draw. Randomness comes only from the
// *rand.Rand passed to [NewMixer]: the same seed gives the same batches.
package mixbatch
