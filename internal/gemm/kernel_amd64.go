//go:build !purego

package gemm

import "golang.org/x/sys/cpu"

// sgemmKernel6x16 is the AVX2+FMA micro-kernel for float32: it sets the 6×16
// tile c (rows ldc elements apart) to alpha·A·B + beta·c, where a holds 6·k
// and b 16·k packed values (see kernel.fn). With beta = 0, c is not read.
//
//go:noescape
func sgemmKernel6x16(k int, a, b, c *float32, ldc int, alpha, beta float32)

// dgemmKernel6x8 is sgemmKernel6x16 for float64, on a 6×8 tile.
//
//go:noescape
func dgemmKernel6x8(k int, a, b, c *float64, ldc int, alpha, beta float64)

// hasAVX2FMA reports whether the CPU and OS support AVX2 and FMA (x/sys/cpu
// checks that the OS saves the YMM registers).
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// The block sizes assume a 32 KiB L1 data cache and at least 512 KiB of L2
// per core: a 256-deep B micro-panel is 16 KiB in either type, and the
// packed A block 144 KiB (float32) or 192 KiB (float64).
var (
	fast32 = avx2Kernel(&kernel[float32]{
		name: "avx2-fma", mr: 6, nr: 16, mc: 144, kc: 256, nc: 2048, fn: sgemmAVX2,
	})
	fast64 = avx2Kernel(&kernel[float64]{
		name: "avx2-fma", mr: 6, nr: 8, mc: 96, kc: 256, nc: 2048, fn: dgemmAVX2,
	})
)

// avx2Kernel returns k if the CPU can run it and nil otherwise.
func avx2Kernel[T float](k *kernel[T]) *kernel[T] {
	if !hasAVX2FMA {
		return nil
	}
	return k
}

// sgemmAVX2 checks the extent of the panels and of the tile, so that a bug
// in the blocking panics instead of touching memory outside the slices, and
// calls the assembly.
func sgemmAVX2(k int, a, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[6*k-1]
	_ = b[16*k-1]
	_ = c[5*ldc+15]
	sgemmKernel6x16(k, &a[0], &b[0], &c[0], ldc, alpha, beta)
}

// dgemmAVX2 is sgemmAVX2 for float64.
func dgemmAVX2(k int, a, b, c []float64, ldc int, alpha, beta float64) {
	_ = a[6*k-1]
	_ = b[8*k-1]
	_ = c[5*ldc+7]
	dgemmKernel6x8(k, &a[0], &b[0], &c[0], ldc, alpha, beta)
}
