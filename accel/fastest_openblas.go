//go:build openblas

package accel

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/netlib/blas/netlib"
	"gorgonia.org/gorgonia"
)

// With the openblas build tag, Use installs OpenBLAS through gonum's netlib
// bindings (cgo). The cgo directive above links libopenblas, so no
// CGO_LDFLAGS is needed; Debian's libopenblas-dev provides it.
func fastest() gorgonia.BLAS { return netlib.Implementation{} }

// taggedBackend recognises netlib's Implementation.
func taggedBackend(b gorgonia.BLAS) (string, bool) {
	switch b.(type) {
	case netlib.Implementation, *netlib.Implementation:
		return "openblas", true
	}
	return "", false
}
