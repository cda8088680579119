package fused

import "errors"

// Errors returned when building or running the ops; each is wrapped with
// details, test with errors.Is.
var (
	// ErrShape: the operands' shapes do not fit together.
	ErrShape = errors.New("fused: shape mismatch")
	// ErrDtype: an operand is not float32 or float64, or the operands'
	// dtypes differ.
	ErrDtype = errors.New("fused: unsupported or mixed dtypes")
	// ErrArg: a nil node, a slope outside [0, 1], a set count below 1, or
	// a kernel side that is not odd and positive.
	ErrArg = errors.New("fused: invalid argument")
)
