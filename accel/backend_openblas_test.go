//go:build openblas

package accel_test

// wantAfterUse is Backend after Use with the openblas tag: OpenBLAS.
func wantAfterUse() string { return "openblas" }
