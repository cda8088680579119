package gemm

import (
	"runtime"
	"sync"
)

// parMinWork is the smallest m·n·k that one goroutine is started for: below
// 64³ (about 10 µs of work for the AVX2 kernels) starting it and packing
// the shared operand once more cost more than they save.
const parMinWork = 1 << 18

// workers returns how many goroutines a product uses: at most GOMAXPROCS,
// at most one per parMinWork of work and at most one per tile along the
// side of C that is split. Small products get 1 and start no goroutine.
func workers[T float](m, n, k int, kern *kernel[T]) int {
	p := runtime.GOMAXPROCS(0)
	if p == 1 {
		return 1
	}
	// In float64, since m·n·k can overflow a 32-bit int.
	if work := float64(m) * float64(n) * float64(k); work < float64(p)*parMinWork {
		p = int(work / parMinWork)
	}
	tiles := ceilDiv(n, kern.nr)
	if splitRows(m, n) {
		tiles = ceilDiv(m, kern.mr)
	}
	return max(1, min(p, tiles))
}

// splitRows reports whether parallel cuts C into strips of rows (rather
// than of columns). Every strip packs the operand it shares with the
// others on its own: all of op(B) (k·n values) for strips of rows, all of
// op(A) (m·k) for strips of columns. Cutting along the longer side of C
// repeats the smaller of the two.
func splitRows(m, n int) bool { return m >= n }

// parallel splits C into p strips, in whole tiles, and computes each strip
// as an independent serial product: the strips share only read-only
// operands, so no locking is needed.
func parallel[T float](p int, kern *kernel[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	var wg sync.WaitGroup
	if splitRows(m, n) {
		step := ceilDiv(ceilDiv(m, kern.mr), p) * kern.mr
		for i0 := 0; i0 < m; i0 += step {
			mm := min(step, m-i0)
			// Row i0 of op(A) starts at row i0 of a, or at column i0
			// when A is transposed.
			aOff := i0 * lda
			if aTrans {
				aOff = i0
			}
			as, cs := a[aOff:], c[i0*ldc:]
			if i0+mm == m {
				// The last strip runs on the calling goroutine.
				serial(kern, aTrans, bTrans, mm, n, k, alpha, as, lda, b, ldb, beta, cs, ldc)
				break
			}
			wg.Go(func() {
				serial(kern, aTrans, bTrans, mm, n, k, alpha, as, lda, b, ldb, beta, cs, ldc)
			})
		}
	} else {
		step := ceilDiv(ceilDiv(n, kern.nr), p) * kern.nr
		for j0 := 0; j0 < n; j0 += step {
			nn := min(step, n-j0)
			bOff := j0
			if bTrans {
				bOff = j0 * ldb
			}
			bs, cs := b[bOff:], c[j0:]
			if j0+nn == n {
				serial(kern, aTrans, bTrans, m, nn, k, alpha, a, lda, bs, ldb, beta, cs, ldc)
				break
			}
			wg.Go(func() {
				serial(kern, aTrans, bTrans, m, nn, k, alpha, a, lda, bs, ldb, beta, cs, ldc)
			})
		}
	}
	wg.Wait()
}
