package mnist

import "errors"

// Errors returned by the package. Each is wrapped with details; test with
// errors.Is.
var (
	// ErrData: the MNIST files are missing, unreadable or not laid out as
	// the IDX format of LeCun et al. says.
	ErrData = errors.New("mnist: bad data files")
	// ErrArg: an argument is out of range, or a set or slice does not have
	// the shape the call needs.
	ErrArg = errors.New("mnist: invalid argument")
)
