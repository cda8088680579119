package mixbatch

import "errors"

// Errors returned by the package. Each is wrapped with the details of the
// offending value, so test with errors.Is. No function that returns one of
// them has changed its arguments or advanced its random source, except
// when a user-defined Prior samples a ratio outside [0, 1], which can only
// be seen after the draw.
var (
	// ErrPrior: a prior parameter is out of range (γ outside [0, 1/2],
	// a or b not a positive finite number, NaN), the prior is nil, or a
	// user-defined Prior returned unusable weights.
	ErrPrior = errors.New("mixbatch: invalid prior")
	// ErrEmpty: a batch or a list of sets is empty (B = 0 or N = 0).
	ErrEmpty = errors.New("mixbatch: empty batch")
	// ErrShape: two inputs that must match in shape or length do not, or
	// an input does not have the rank the function needs.
	ErrShape = errors.New("mixbatch: shape mismatch")
	// ErrDtype: a tensor or node is not float32/float64, or two inputs
	// have different dtypes.
	ErrDtype = errors.New("mixbatch: unsupported or mismatched dtype")
	// ErrNotFinite: an input that must be finite is NaN or infinite.
	ErrNotFinite = errors.New("mixbatch: non-finite input")
	// ErrTarget: a target ratio u is outside [0, 1].
	ErrTarget = errors.New("mixbatch: target outside [0, 1]")
	// ErrRatio: a mixing ratio p is outside [0, 1].
	ErrRatio = errors.New("mixbatch: ratio outside [0, 1]")
	// ErrReduction: the Reduction is neither BGAN nor MBGAN.
	ErrReduction = errors.New("mixbatch: unknown reduction")
	// ErrNil: a required argument (random source, tensor, node) is nil.
	ErrNil = errors.New("mixbatch: nil argument")
	// ErrTooLarge: the batch is larger than the function supports
	// (MaxBruteForce for OptimalBruteForce, MaxOptimalBatch for the
	// recurrence).
	ErrTooLarge = errors.New("mixbatch: batch too large")
	// ErrRange: a log-density gap |log p1 − log p2| exceeds MaxLogRatio.
	ErrRange = errors.New("mixbatch: log-density gap out of range")
	// ErrImpossible: the batch has probability zero under the model (every
	// mixing vector with positive prior weight has a zero density), so
	// the optimal discriminator is undefined.
	ErrImpossible = errors.New("mixbatch: batch has zero probability")
)
