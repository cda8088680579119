// Package gemm computes general matrix products for float32 and float64,
//
//	C = alpha·op(A)·op(B) + beta·C,
//
// with the row-major semantics of gonum's [blas.Float32.Sgemm] and
// [blas.Float64.Dgemm], faster than gonum's pure-Go implementation.
//
// # Algorithm
//
// The product is blocked in the way of Goto and van de Geijn ("Anatomy of
// high-performance matrix multiplication", ACM TOMS 34(3), 2008) and of BLIS:
// op(B) is cut into kc×nc blocks and op(A) into mc×kc blocks, each copied
// ("packed") into contiguous micro-panels of mr rows of A and nr columns of B
// so that a micro-kernel can keep an mr×nr tile of C in registers while it
// streams both panels along k. The A block stays in the L2 cache and a B
// micro-panel in L1 while the kernel sweeps over the A micro-panels. Edge
// tiles, where m or n is not a multiple of the tile, are computed into a
// scratch tile from zero-padded panels and then merged, so C outside the m×n
// window is never written.
//
// On amd64 CPUs with AVX2 and FMA the micro-kernels are written in assembly
// (6×16 for float32, 6×8 for float64: twelve 256-bit accumulators, two
// vectors of B and one broadcast of A in flight). Elsewhere, and on amd64
// when the purego build tag is set, a pure-Go 2×4 micro-kernel is used with
// the same packing and blocking. Features are detected at run time with
// golang.org/x/sys/cpu.
//
// Products with m = 1 or n = 1 are matrix–vector products, in which each
// entry of the matrix is used once: packing would double their cost, so
// they go to gonum's gemv, which streams the matrix once.
//
// Products large enough to amortise a goroutine (m·n·k ≥ 2·64³ for two) run
// on up to GOMAXPROCS goroutines, as in BLIS: they pack each block of op(B)
// together and then take blocks of rows of C from a shared counter, so
// that a core slowed down by other work leaves its share to the others.
// Products with few rows are cut into strips of columns instead. Smaller
// products run on the calling goroutine and start none.
//
// # Semantics
//
// The arguments are checked as gonum checks them, in the same order, and bad
// arguments (an unknown transpose, a negative size, a leading dimension
// smaller than the row length, a slice too short) panic with gonum's
// messages: like gonum, this package treats them as programmer errors. As
// in the reference BLAS, beta = 0 sets C to alpha·op(A)·op(B) without
// reading C (so NaNs in C do not propagate), and alpha = 0 or k = 0 only
// scales C by beta, without reading A or B.
//
// Results differ from gonum's in rounding only: the sums run in another
// order and use fused multiply-adds, so each entry is within the usual
// bound (k+2)·u·(|alpha|·Σ|a||b| + |beta|·|c|) of the exact value, u being
// the unit roundoff.
package gemm
