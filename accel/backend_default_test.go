//go:build !openblas

package accel_test

// Without the openblas tag, Use installs accel's Implementation.
const wantBackendPrefix = "accel/"
