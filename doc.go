// Package symnet is a library of permutation-invariant and -equivariant
// neural networks on sets, built on gorgonia, and the reference
// implementation of Lucas, Tallec, Verbeek and Ollivier, "Mixed batches and
// symmetric discriminators for GAN training" (ICML 2018).
//
// The root package holds no code; the work is done by its sub-packages,
// listed here in the order of their dependencies (each imports only those
// above it):
//
//   - [github.com/symnet/symnet/invariant]: reductions over the set axis of a
//     gorgonia node (mean, sum, max), with masks for sets of different sizes.
//     The mean is the paper's ρ (Eq. 11).
//   - [github.com/symnet/symnet/equivariant]: the layers
//     φ(x)_b = μ(β + x_b Λ + ρ(x) Γ) (Eq. 12), dense and convolutional, with
//     the reweighted initialisation of Sec. 4.3, and the invariant networks of
//     Eq. 10 built from them.
//   - [github.com/symnet/symnet/mixbatch]: priors on the mixing ratio, mixed
//     batches (Eq. 2), the KL ratio loss (Eq. 3–4), the BGAN and M-BGAN
//     losses (Eq. 13–14), the generator loss, and the closed-form optimal
//     discriminator (Prop. 1). It needs no symnet network: any discriminator
//     can use it.
//   - [github.com/symnet/symnet/gan]: training loops (standard GAN, mixup
//     GAN, BGAN, M-BGAN) on toy 2-D mixtures and on images, with
//     convolutional equivariant discriminators (Sec. 4.3), mode-coverage
//     metrics and atomic checkpoints.
//   - [github.com/symnet/symnet/approx]: the universal-approximation
//     theorem (Thm. 1) as code: symmetric polynomials, networks with
//     explicit weights and certified error bounds, and fits of symmetric
//     targets.
//
// Beside them, [github.com/symnet/symnet/accel] is an opt-in speed-up that
// depends on none of them: accel.Use routes gorgonia's matrix
// products to AVX2/FMA Go-assembly kernels, or to OpenBLAS when built
// with -tags openblas.
//
// Start from equivariant.NewNetwork to learn on sets, or from mixbatch to
// give an existing GAN mixed batches and a batch discriminator. The
// programs under examples/ run the paper's experiments; the first to run
// is examples/toy2d.
package symnet
