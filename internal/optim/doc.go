// Package optim holds the optimiser shared by symnet's training loops: Adam
// (Kingma and Ba, 2015) applied in place to the values of gorgonia nodes.
//
// gorgonia's own AdamSolver clones several tensors per parameter per step;
// this one allocates its moment buffers once, in the parameters' dtype, so a
// training step allocates nothing here. It also refuses a step whose
// gradients are not finite before any parameter moves, which is what lets a
// training loop stop on a NaN with its last good state intact.
package optim
