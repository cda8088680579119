// Package fused holds gorgonia ops that do in one pass what gorgonia
// composes from several, for the layers of package equivariant and the
// image networks built on them.
//
// Gorgonia builds a bias add with BroadcastAdd, which first materialises
// the repeated bias as a full matrix, and a rectifier as x ⊙ (x ≥ 0), which
// builds a mask in the forward pass and, in the backward pass, multiplies
// by it and also computes the unused gradient with respect to the mask.
// Once the matrix products run fast (package accel), these passes over the
// B×L activations are a visible share of a training step. The ops here
// read each operand once:
//
//   - [AddRows] and [AddRowsRectify]: y = μ(x + r) where x holds S sets of
//     consecutive rows and row s of r is added to every row of set s; μ is
//     the identity or the rectifier max(v, slope·v). This is a layer's bias
//     (S = 1) or the per-set term ρ(x)Γ + β of an equivariant layer.
//   - [RectifyGrad]: the rectifier's backward pass, computed from the
//     output y instead of a stored mask.
//   - [SetSum] and [SetMean]: the sum and the mean of each set's rows,
//     ρ of an equivariant layer; their adjoints [SetBroadcast] and
//     [SetBroadcastMean] copy a row to every row of its set (divided by
//     the set size for the mean). Each is the other's gradient.
//
// [Conv2D] is the convolution of images (B, C, H, W) with kernels
// (L, C, k, k), stride 1 and "same" zero padding, as gorgonia.Conv2d
// computes it. Gorgonia unfolds the images to (B, H, W, C·k²) (im2col),
// multiplies by the transposed kernels and transposes the product to
// NCHW, and its backward pass transposes again. Conv2D unfolds one image
// at a time to C·k² × H·W, in a buffer the op keeps from run to run, and
// a single matrix product per image through gorgonia's BLAS writes that
// image's output in NCHW order. Its adjoints [Conv2DInputGrad] and
// [Conv2DFilterGrad] are built the same way; the three ops are each
// other's gradients. [AddChannels] adds a convolution's per-channel bias
// without materialising it; its adjoints [ChannelSum] and
// [ChannelBroadcast] are each other's gradients.
//
// Every op has a symbolic gradient (gorgonia's SDOp) built from the ops
// here, so graphs that use them are differentiated by gorgonia.Grad as
// usual, and every op works on float32 and float64. Shapes are checked
// when the graph is built and sizes again when the op runs; a mismatch is
// an error wrapping [ErrShape]. At run time only the number of entries
// must agree: gorgonia's Reshape can change, in place, the shape of a
// tensor that other nodes share, and the ops read the row-major data by
// the shapes they were built with.
//
// The rectifier's derivative at 0 is taken as its negative-side slope
// (0 for the ReLU), as in PyTorch; gorgonia's Rectify takes 1 there. The
// two agree everywhere else.
package fused
