// Package gan trains generative adversarial networks on the toy 2D data of
// the mode-dropping literature, and on images, with the methods compared
// in Sec. 5.1 of Lucas et al., "Mixed batches and symmetric discriminators
// for GAN training" (ICML 2018), and measures how many modes they capture.
//
// # Methods
//
// Every method trains a pointwise generator, a ReLU MLP from a standard
// Gaussian latent to the plane, against a discriminator (Method):
//
//   - Standard: the GAN of Goodfellow et al. (2014) with the non-saturating
//     generator loss; D is an MLP scoring each sample alone.
//   - Mixup: the same MLP trained on α x + (1−α) x̃ towards the soft label
//     α, α ~ U(0, m) per sample (after Zhang et al., 2017).
//   - BGAN: D is an invariant network of equivariant layers (Eq. 10–12,
//     package equivariant) that scores a mixed batch m_β(x, x̃) (Eq. 2)
//     of real and generated points, trained to predict the ratio #β/B with
//     the KL ratio loss (Eq. 3–4) of the mean of its per-element logits
//     (Eq. 13). The mixing ratio p is drawn from the batch smoothing-γ
//     prior, uniform on [0, γ] ∪ [1−γ, 1] (Sec. 3.1); the generator
//     minimises −log D of mixed batches (Eq. 5).
//   - MBGAN: as BGAN, with the loss applied to each per-element logit and
//     then averaged (Eq. 14).
//
// The priors, the mixing draws and the losses are those of package
// mixbatch; the layers are those of package equivariant. The paper's toy
// setting is the default: three hidden layers of 512 ReLU units in both
// networks, a 2-dimensional latent, five discriminator steps per generator
// step, and Adam with PyTorch's defaults (lr 1e-3, β 0.9/0.999).
// Config.DecayFrom adds what the paper does not have: both learning rates
// falling linearly to zero over the end of a run, which lets a generator
// settle on modes 0.01 wide.
//
// Gorgonia allows one gradient per graph, so a Trainer holds two graphs,
// one per step, with each network built in one and shared into the other
// on the same weight tensors; one optimiser per network updates them in
// place.
//
// # Data and metrics
//
// Mixture is a mixture of equal-weight isotropic Gaussians. Ring and Grid
// build the two families; MixupRing, MixupGrid, PacGANRing and PacGANGrid
// are the data sets of Zhang et al. (2017) and Lin et al. (2018).
// Measure scores generator samples as the mode-collapse literature does
// (Srivastava et al., 2017; Lin et al., 2018): the fraction of
// high-quality samples (within 3 standard deviations of their nearest
// mode), the number of modes captured (with at least one high-quality
// sample), and the reverse KL divergence ln K − H(p̂) from the histogram
// p̂ of the high-quality samples over the K modes to the uniform one.
//
// # Images
//
// A Config with Images set trains on images (C, H, W) drawn from an
// ImageSource instead of a Mixture, by the same loop and losses, with the
// convolutional discriminator of the paper's image experiments (Sec. 4.3,
// Figure 1; Sec. 5.2–5.4) at a small scale: 3×3 convolutions with
// LeakyReLU, each followed by 2×2 max pooling, then a dense layer giving
// one logit per image. For BGAN and M-BGAN every convolution is
// equivariant.Conv2D, φ(x)_b = μ(β + conv_Λ(x_b) + conv_Γ(ρ(x))), so the
// discriminator is invariant to the order of the batch and each image's
// logit o_b depends on the batch's mean feature maps; the standard and
// mixup GANs get the same network with ordinary convolutions. The
// generator, shared by all methods, is a stack of dense layers with batch
// normalisation (as in DCGAN, Radford et al., 2015) drawing GenMaps
// feature maps at the full image size, and a 3×3 convolution with a
// sigmoid to the image's channels. Channels, GenMaps and Widths set the
// sizes. Measure is for mixtures; the examples/mnist program scores image
// generators with a digit classifier.
//
// # Training runs
//
// Train calls a Hook after every generator step, for logging, plots,
// checkpoints or early stopping. Save writes both networks, both
// optimisers' state and the random source atomically, and Load resumes
// from it exactly: a run saved and resumed gives the same result as one
// left alone. The same Config with the same Seed gives the same run. A
// NaN or infinite loss or gradient stops training with ErrNonFinite
// before the offending update; the last checkpoint written is untouched.
//
// Errors from bad configurations, samples or files wrap ErrConfig,
// ErrSamples or ErrCheckpoint and start with "gan: ".
package gan
