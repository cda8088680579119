//go:build !openblas

package accel

import (
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/internal/gemm"
)

// fastest is the BLAS that Use installs: this package's Implementation
// (pure Go and Go assembly, no cgo) where its assembly kernels run, and nil
// (keep gonum's) elsewhere, where gonum's own code is faster than the
// portable kernel.
func fastest() gorgonia.BLAS {
	if !gemm.Fast() {
		return nil
	}
	return Implementation{}
}

// taggedBackend names the BLAS implementations that only some builds know;
// the default build knows none.
func taggedBackend(gorgonia.BLAS) (string, bool) { return "", false }
