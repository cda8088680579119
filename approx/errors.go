package approx

import "errors"

// Errors returned for bad input. Each is wrapped with the details of the
// offending value; test with errors.Is.
var (
	// ErrEmptySet: a set, a list of sets or a list of terms is empty where
	// at least one element is needed.
	ErrEmptySet = errors.New("approx: empty set")
	// ErrNonFinite: an input holds NaN or ±Inf, or a result would
	// overflow float64.
	ErrNonFinite = errors.New("approx: non-finite value")
	// ErrSize: lengths, dimensions or indices do not fit together.
	ErrSize = errors.New("approx: mismatched sizes")
	// ErrDegree: a degree or power is out of the supported range.
	ErrDegree = errors.New("approx: degree out of range")
	// ErrInterval: an interval or box is empty, reversed or not finite.
	ErrInterval = errors.New("approx: bad interval")
	// ErrTolerance: a tolerance is not a finite positive number.
	ErrTolerance = errors.New("approx: tolerance out of range")
	// ErrWidth: a width is below 1 or above the package's limit.
	ErrWidth = errors.New("approx: width out of range")
	// ErrNotPositive: a product was asked of a network output whose range
	// is not bounded away from zero, so its logarithm is not defined.
	ErrNotPositive = errors.New("approx: output not positive")
	// ErrUnreachable: the requested tolerance needs more than the largest
	// width the package builds.
	ErrUnreachable = errors.New("approx: tolerance not reachable")
	// ErrConfig: a configuration field (set size, steps, target, random
	// source, function) is missing or out of range.
	ErrConfig = errors.New("approx: invalid configuration")
)
