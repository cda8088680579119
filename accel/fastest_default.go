//go:build !openblas

package accel

import "gorgonia.org/gorgonia"

// fastest is the BLAS that Use installs: this package's Implementation,
// pure Go and Go assembly, no cgo.
func fastest() gorgonia.BLAS { return Implementation{} }

// taggedBackend names the BLAS implementations that only some builds know;
// the default build knows none.
func taggedBackend(gorgonia.BLAS) (string, bool) { return "", false }
