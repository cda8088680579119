package gemm

import "sync"

// gemm computes C = alpha·op(A)·op(B) + beta·C for arguments already
// checked, with m, n ≥ 1.
func gemm[T float](ks *kernelSet[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if alpha == 0 || k == 0 {
		// As in the reference BLAS, A and B are not read.
		scale(m, n, beta, c, ldc)
		return
	}
	if m == 1 || n == 1 {
		thin(aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	kern := ks.pick()
	if p := workers(m, n, k, kern); p > 1 {
		parallel(p, kern, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	serial(kern, aTrans, bTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// scale sets the m×n window of C to beta·C, to zero when beta is 0 (so NaNs
// in C do not survive), and leaves it alone when beta is 1.
func scale[T float](m, n int, beta T, c []T, ldc int) {
	switch beta {
	case 1:
	case 0:
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	default:
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// serial computes the product on the calling goroutine, block by block:
// for each kc×nc block of op(B), packed once, it packs each mc×kc block of
// op(A) and runs the micro-kernel over every tile of the pair. Only the
// first block along k applies beta; the later ones add to C.
func serial[T float](kern *kernel[T], aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	mr, nr := kern.mr, kern.nr
	// Blocks of equal size, rather than full ones and a thin remainder:
	// a thin last block along k would cost a full pass over C for little
	// work.
	kc := ceilDiv(k, ceilDiv(k, kern.kc))
	mc := roundUp(ceilDiv(m, ceilDiv(m, kern.mc)), mr)
	nc := roundUp(ceilDiv(n, ceilDiv(n, kern.nc)), nr)

	buf := getBuf[T](kc*nc + mc*kc + mr*nr)
	bp := (*buf)[:kc*nc]
	ap := (*buf)[kc*nc : kc*nc+mc*kc]
	tile := (*buf)[kc*nc+mc*kc:]

	for jc := 0; jc < n; jc += nc {
		nb := min(nc, n-jc)
		for pc := 0; pc < k; pc += kc {
			kb := min(kc, k-pc)
			packB(bTrans, b, ldb, pc, jc, kb, nb, nr, bp)
			bet := beta
			if pc > 0 {
				bet = 1
			}
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				packA(aTrans, a, lda, ic, pc, mb, kb, mr, ap)
				macro(kern, mb, nb, kb, alpha, ap, bp, bet, c[ic*ldc+jc:], ldc, tile)
			}
		}
	}
	putBuf(buf)
}

// macro runs the micro-kernel over the mb×nb block of C at c, from the
// packed blocks ap (mb×kb) and bp (kb×nb). The B micro-panel of the outer
// loop stays in L1 while the inner loop streams the A micro-panels from L2.
// Partial tiles at the right and bottom edges go through tile, so the
// kernel never writes outside the block.
func macro[T float](kern *kernel[T], mb, nb, kb int, alpha T, ap, bp []T, beta T, c []T, ldc int, tile []T) {
	mr, nr := kern.mr, kern.nr
	for jr := 0; jr < nb; jr += nr {
		nn := min(nr, nb-jr)
		bpanel := bp[jr*kb : jr*kb+nr*kb]
		for ir := 0; ir < mb; ir += mr {
			mm := min(mr, mb-ir)
			apanel := ap[ir*kb : ir*kb+mr*kb]
			if mm == mr && nn == nr {
				kern.fn(kb, apanel, bpanel, c[ir*ldc+jr:], ldc, alpha, beta)
				continue
			}
			kern.fn(kb, apanel, bpanel, tile, nr, 1, 0)
			merge(mm, nn, alpha, tile, nr, beta, c[ir*ldc+jr:], ldc)
		}
	}
}

// merge sets the mm×nn window of C to alpha·t + beta·C, not reading C when
// beta is 0.
func merge[T float](mm, nn int, alpha T, t []T, ldt int, beta T, c []T, ldc int) {
	for i := 0; i < mm; i++ {
		src := t[i*ldt : i*ldt+nn]
		dst := c[i*ldc : i*ldc+nn]
		if beta == 0 {
			for j, v := range src {
				dst[j] = alpha * v
			}
			continue
		}
		for j, v := range src {
			dst[j] = alpha*v + beta*dst[j]
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func roundUp(a, b int) int { return ceilDiv(a, b) * b }

// Packing buffers are reused across calls, one pool per element type; a
// buffer too small for the current product is dropped for a new one.
var pool32, pool64 sync.Pool

func poolFor[T float]() *sync.Pool {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return &pool32
	}
	return &pool64
}

func getBuf[T float](n int) *[]T {
	if v, ok := poolFor[T]().Get().(*[]T); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]T, n)
	return &s
}

func putBuf[T float](buf *[]T) { poolFor[T]().Put(buf) }
