package equivariant

import "errors"

// Errors returned by the constructors and Forward methods. Each is wrapped
// with details of the offending value; test with errors.Is.
var (
	// ErrConfig: a size, set size, kernel, activation or random source in
	// a configuration is missing or out of range.
	ErrConfig = errors.New("equivariant: invalid configuration")
	// ErrName: a parameter name is already used in the graph. Gorgonia
	// merges nodes of the same name, type and shape, so two layers with one
	// name would silently share weights.
	ErrName = errors.New("equivariant: node name already in graph")
	// ErrShape: the input's rank or feature size does not fit the layer.
	ErrShape = errors.New("equivariant: input shape does not fit layer")
	// ErrDtype: the input's dtype differs from the layer's.
	ErrDtype = errors.New("equivariant: input dtype differs from layer")
	// ErrNilNode: the input node is nil.
	ErrNilNode = errors.New("equivariant: nil input node")
)
