package invariant

import "errors"

// Errors returned by the reductions. Each is wrapped with the details of the
// offending input, so test with errors.Is.
var (
	// ErrNilNode: the input or the mask node is nil.
	ErrNilNode = errors.New("invariant: nil node")
	// ErrDtype: the input is not float32/float64, or the mask's dtype
	// differs from the input's.
	ErrDtype = errors.New("invariant: unsupported or mismatched dtype")
	// ErrRank: the input's rank does not allow the requested set axis.
	ErrRank = errors.New("invariant: bad rank or set axis")
	// ErrEmptySet: the set axis has size 0.
	ErrEmptySet = errors.New("invariant: empty set")
	// ErrMaskShape: the mask's shape is not the input's shape up to and
	// including the set axis.
	ErrMaskShape = errors.New("invariant: mask shape does not match input")
	// ErrMaskValue: a mask entry is not exactly 0 or 1.
	ErrMaskValue = errors.New("invariant: mask entries must be 0 or 1")
	// ErrNoRealRows: a set in the mask has no real (1) row, so its
	// reduction is undefined.
	ErrNoRealRows = errors.New("invariant: set with zero real rows")
	// ErrNonFinite: an input value holds NaN or ±Inf.
	ErrNonFinite = errors.New("invariant: non-finite input value")
)
