// Command digitsum trains set networks to add up a set of digits, the text
// task of Zaheer et al., "Deep Sets" (NeurIPS 2017, Sec. 4.1.1 and Fig. 2),
// and reports the accuracy on sets far longer than any seen in training.
//
// # Task and protocol
//
// A set holds 1 to 10 digits (the length uniform, each digit uniform on
// 1…9); the target is their sum. The training set is 100,000 such sets,
// drawn once from the seed. A digit enters the network one-hot, and the
// first layer acts as its embedding. Sets of different lengths share a
// batch of 128, padded to 10 rows and masked, so padded rows enter neither
// the layers' pooling ρ nor the final sum. Training minimises the L1 loss
// with Adam (learning rate 1e-3, cosine decay towards 0 over the run) for
// -epochs passes over the training set. The test sets are 10,000 fresh sets
// at each length 5, 10, …, 100; a prediction is correct when it rounds to
// the true sum.
//
// # Models
//
//   - eq-mean: two equivariant layers of Lucas et al. (ICML 2018, Eq. 12)
//     with ρ the mean, then the sum over the set and a linear output:
//     f(x) = w·Σ_b φ(x)_b + c. The sum, not the mean, is the readout, since
//     the target grows with the set.
//   - deepsets: the DeepSets model, per-element dense layers (no
//     interaction between elements), the sum, a linear output.
//
// Both use ReLU and -width units per layer.
//
// # Published figures
//
// Zaheer et al., Fig. 2 (left): DeepSets stays at about 100% accuracy at
// every test length up to 100, while LSTM and GRU models trained on the
// same sets fall to near 0 beyond length 20. The figure is a plot, not a
// table; "≈ 100%" is read off it.
//
// # Running
//
// The full configuration is the default:
//
//	go run ./examples/digitsum
//
// (2 models, 100,000 training sets, 10 epochs, 10,000 test sets at each of
// 20 lengths). -train, -epochs, -size (the longest training set), -test,
// -maxtest and -models make it smaller; the same -seed gives the same
// numbers.
//
// # Output
//
// Progress with an ETA goes to stderr; the accuracy table (one row per
// test length, one column per model, beside the trivial baseline of
// predicting the mean sum 5·n and the published figure) to stdout; the
// learning curve (training loss against step) to digitsum.png and the
// accuracy against test length to digitsum-accuracy.png, both in -out
// (default out/digitsum).
package main
