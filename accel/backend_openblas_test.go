//go:build openblas

package accel_test

// With the openblas tag, Use installs OpenBLAS.
const wantBackendPrefix = "openblas"
