// Package setlearn holds what symnet's set-learning example programs
// (examples/maxregression, examples/digitsum, examples/mnistsets) share:
// the L1 and cross-entropy losses, a learning-rate schedule, a progress
// line with an ETA, summary statistics over seeds, learning-curve plots and
// flag checks. The optimiser is Adam from internal/optim.
//
// It is internal: the examples are its only users, and its API follows what
// they need rather than a general training framework.
package setlearn
