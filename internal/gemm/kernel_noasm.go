//go:build !amd64 || purego

package gemm

// Without the amd64 assembly there is no fast kernel.
var (
	fast32 *kernel[float32]
	fast64 *kernel[float64]
)
