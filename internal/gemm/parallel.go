package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parMinWork is the smallest m·n·k that one goroutine is started for: below
// 64³ (about 10 µs of work for the AVX2 kernels) starting it and the
// synchronisation cost more than they save.
const parMinWork = 1 << 18

// workers returns how many goroutines a product uses: at most GOMAXPROCS,
// at most one per parMinWork of work and at most one per tile along the
// longer side of C. Small products get 1 and start no goroutine.
func workers[T float](m, n, k int, kern *kernel[T]) int {
	p := runtime.GOMAXPROCS(0)
	if p == 1 {
		return 1
	}
	// In float64, since m·n·k can overflow a 32-bit int.
	if work := float64(m) * float64(n) * float64(k); work < float64(p)*parMinWork {
		p = int(work / parMinWork)
	}
	return max(1, min(p, max(ceilDiv(m, kern.mr), ceilDiv(n, kern.nr))))
}

// parallel computes the product with p goroutines. With enough rows it
// shares each packed block of op(B) among them and hands out blocks of rows
// of C; otherwise (a few rows and many columns) it cuts C into strips of
// columns.
func parallel[T float](p int, kern *kernel[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if ceilDiv(m, kern.mr) >= 2*p {
		sharedB(p, kern, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	columnStrips(p, kern, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sharedB is serial's blocking with the work of each block of op(B) split
// among p goroutines, in the manner of BLIS: they pack the kc×nc block of
// op(B) together, each a range of its micro-panels, then take blocks of
// rows of C from a counter, packing each block of op(A) into their own
// buffer and running the macro-kernel against the shared block of op(B).
// There are about two row blocks per goroutine: enough for one that starts
// late or is slowed down by other load on the machine to leave work to the
// others, few enough that the blocks of A stay tall (66 rows for m = 256),
// since each row block streams the whole packed block of B once. Every
// value of A and B is packed once. The row blocks write disjoint rows of C.
func sharedB[T float](p int, kern *kernel[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mr, nr := kern.mr, kern.nr
	kc := ceilDiv(k, ceilDiv(k, kern.kc))
	nc := roundUp(ceilDiv(n, ceilDiv(n, kern.nc)), nr)
	mc := min(kern.mc, roundUp(ceilDiv(m, 2*p), mr))
	units := ceilDiv(m, mc)

	shared := getBuf[T](kc * nc)
	bp := *shared
	own := make([]*[]T, p)
	for w := range own {
		own[w] = getBuf[T](mc*kc + mr*nr)
	}

	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		panels := ceilDiv(nb, nr)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			runAll(p, func(w int) {
				lo, hi := w*panels/p*nr, min((w+1)*panels/p*nr, nb)
				if lo < hi {
					packB(bTrans, b, ldb, pc, jc+lo, kb, hi-lo, nr, bp[lo*kb:])
				}
			})
			bet := beta
			if pc > 0 {
				bet = 1
			}
			var next atomic.Int64
			runAll(p, func(w int) {
				ap, tile := (*own[w])[:mc*kb], (*own[w])[mc*kc:]
				for {
					u := int(next.Add(1) - 1)
					if u >= units {
						return
					}
					ic := u * mc
					mb := min(mc, m-ic)
					packA(aTrans, a, lda, ic, pc, mb, kb, mr, ap)
					macro(kern, mb, nb, kb, alpha, ap, bp, bet, c[ic*ldc+jc:], ldc, tile)
				}
			})
		}
	}
	putBuf(shared)
	for _, buf := range own {
		putBuf(buf)
	}
}

// runAll runs f(0), …, f(p-1) at the same time, f(0) on the calling
// goroutine, and returns when all have.
func runAll(p int, f func(w int)) {
	var wg sync.WaitGroup
	for w := 1; w < p; w++ {
		wg.Go(func() { f(w) })
	}
	f(0)
	wg.Wait()
}

// columnStrips cuts C into p strips of whole column tiles and computes each
// as an independent serial product. Each strip packs all of op(A) on its
// own, which is cheap when m is small, the case this serves.
func columnStrips[T float](p int, kern *kernel[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	step := ceilDiv(ceilDiv(n, kern.nr), p) * kern.nr
	runAll(ceilDiv(n, step), func(w int) {
		j0 := w * step
		// Column j0 of op(B) starts at column j0 of b, or at row j0
		// when B is transposed.
		bOff := j0
		if bTrans {
			bOff = j0 * ldb
		}
		serial(kern, aTrans, bTrans, m, min(step, n-j0), k, alpha, a, lda, b[bOff:], ldb, beta, c[j0:], ldc)
	})
}
