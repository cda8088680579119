//go:build !openblas

package accel_test

import "github.com/symnet/symnet/internal/gemm"

// wantAfterUse is Backend after Use without the openblas tag: accel's
// Implementation where its assembly kernels run, gonum elsewhere.
func wantAfterUse() string {
	if gemm.Fast() {
		return "accel/" + gemm.Kernel()
	}
	return "gonum"
}
