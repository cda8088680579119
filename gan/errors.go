package gan

import "errors"

// Errors returned by the package. Each is wrapped with details; test with
// errors.Is.
var (
	// ErrConfig: a setting is missing or out of range.
	ErrConfig = errors.New("gan: invalid configuration")
	// ErrNonFinite: a loss or gradient became NaN or ±Inf. Training stops
	// before the offending update is applied.
	ErrNonFinite = errors.New("gan: non-finite loss or gradient")
	// ErrCheckpoint: a checkpoint file is corrupt, truncated, or does not
	// match the model it is loaded into.
	ErrCheckpoint = errors.New("gan: bad checkpoint")
	// ErrSamples: samples passed to a metric are empty, ragged or not
	// finite.
	ErrSamples = errors.New("gan: bad samples")
	// ErrStop may be returned by a Callback to end training early; Train
	// then returns nil.
	ErrStop = errors.New("gan: stopped by callback")
)
