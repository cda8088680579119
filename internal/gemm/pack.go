package gemm

// packA copies the mb×kb block of op(A) that starts at row i0 and column p0
// into dst as micro-panels of mr rows: panel r holds rows r·mr … r·mr+mr-1,
// column by column (mr values per column), and starts at dst[r·mr·kb]. Rows
// past mb in the last panel are zero, so the kernel can run a full tile.
// op(A)[i][p] is a[i·lda+p], or a[p·lda+i] when trans.
func packA[T float](trans bool, a []T, lda, i0, p0, mb, kb, mr int, dst []T) {
	for ir := 0; ir < mb; ir += mr {
		mm := min(mr, mb-ir)
		panel := dst[ir*kb : ir*kb+mr*kb]
		switch {
		case trans:
			// Each column of the panel is a contiguous piece of a row
			// of a.
			for p := 0; p < kb; p++ {
				off := (p0+p)*lda + i0 + ir
				copy(panel[p*mr:p*mr+mm], a[off:off+mm])
			}
		case mm == 6:
			// Each row of the panel is a contiguous piece of a row of
			// a. Walking the six rows side by side, with one bounds
			// check per column, measured twice as fast as scattering
			// one row at a time with stride 6.
			gather6(panel, a, (i0+ir)*lda+p0, lda, kb)
		default:
			for i := 0; i < mm; i++ {
				off := (i0+ir+i)*lda + p0
				for p, v := range a[off : off+kb] {
					panel[p*mr+i] = v
				}
			}
		}
		if mm < mr {
			for p := 0; p < kb; p++ {
				clear(panel[p*mr+mm : p*mr+mr])
			}
		}
	}
}

// packB copies the kb×nb block of op(B) that starts at row p0 and column j0
// into dst as micro-panels of nr columns: panel r holds columns r·nr …
// r·nr+nr-1, row by row (nr values per row), and starts at dst[r·nr·kb].
// Columns past nb in the last panel are zero. op(B)[p][j] is b[p·ldb+j], or
// b[j·ldb+p] when trans.
func packB[T float](trans bool, b []T, ldb, p0, j0, kb, nb, nr int, dst []T) {
	for jr := 0; jr < nb; jr += nr {
		nn := min(nr, nb-jr)
		panel := dst[jr*kb : jr*kb+nr*kb]
		switch {
		case !trans:
			// Each row of the panel is a contiguous piece of a row of
			// b.
			for p := 0; p < kb; p++ {
				off := (p0+p)*ldb + j0 + jr
				copy(panel[p*nr:p*nr+nn], b[off:off+nn])
			}
		case nn == 16:
			// Columns of op(B) are rows of b; reading eight of them
			// side by side measured 30% faster than scattering one at
			// a time with stride 16 (float32). With stride 8 (float64)
			// it was slower, so that case scatters.
			gather8(panel, 16, b, (j0+jr)*ldb+p0, ldb, kb)
			gather8(panel[8:], 16, b, (j0+jr+8)*ldb+p0, ldb, kb)
		default:
			for j := 0; j < nn; j++ {
				off := (j0+jr+j)*ldb + p0
				for p, v := range b[off : off+kb] {
					panel[p*nr+j] = v
				}
			}
		}
		if nn < nr {
			for p := 0; p < kb; p++ {
				clear(panel[p*nr+nn : p*nr+nr])
			}
		}
	}
}

// gather6 sets dst[6p+i] = src[off+i·ld+p] for i < 6 and p < kb: it
// interleaves six rows of src, read side by side.
func gather6[T float](dst, src []T, off, ld, kb int) {
	r0 := src[off : off+kb]
	r1 := src[off+ld : off+ld+kb][:len(r0)]
	r2 := src[off+2*ld : off+2*ld+kb][:len(r0)]
	r3 := src[off+3*ld : off+3*ld+kb][:len(r0)]
	r4 := src[off+4*ld : off+4*ld+kb][:len(r0)]
	r5 := src[off+5*ld : off+5*ld+kb][:len(r0)]
	dst = dst[:6*len(r0)]
	for p := range r0 {
		d := (*[6]T)(dst[6*p:])
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
	}
}

// gather8 sets dst[stride·p+j] = src[off+j·ld+p] for j < 8 and p < kb: it
// interleaves eight rows of src into the first eight columns of rows of
// dst that are stride apart.
func gather8[T float](dst []T, stride int, src []T, off, ld, kb int) {
	r0 := src[off : off+kb]
	r1 := src[off+ld : off+ld+kb][:len(r0)]
	r2 := src[off+2*ld : off+2*ld+kb][:len(r0)]
	r3 := src[off+3*ld : off+3*ld+kb][:len(r0)]
	r4 := src[off+4*ld : off+4*ld+kb][:len(r0)]
	r5 := src[off+5*ld : off+5*ld+kb][:len(r0)]
	r6 := src[off+6*ld : off+6*ld+kb][:len(r0)]
	r7 := src[off+7*ld : off+7*ld+kb][:len(r0)]
	for p := range r0 {
		d := (*[8]T)(dst[stride*p:])
		d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
	}
}
