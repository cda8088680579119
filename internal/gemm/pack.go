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
		if trans {
			// Each column of the panel is a contiguous piece of a row
			// of a.
			for p := 0; p < kb; p++ {
				off := (p0+p)*lda + i0 + ir
				copy(panel[p*mr:p*mr+mm], a[off:off+mm])
			}
		} else {
			// Each row of the panel is a contiguous piece of a row of
			// a; scatter it with stride mr.
			for i := 0; i < mm; i++ {
				off := (i0+ir+i)*lda + p0
				row := a[off : off+kb]
				for p, v := range row {
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
		if trans {
			for j := 0; j < nn; j++ {
				off := (j0+jr+j)*ldb + p0
				col := b[off : off+kb]
				for p, v := range col {
					panel[p*nr+j] = v
				}
			}
		} else {
			for p := 0; p < kb; p++ {
				off := (p0+p)*ldb + j0 + jr
				copy(panel[p*nr:p*nr+nn], b[off:off+nn])
			}
		}
		if nn < nr {
			for p := 0; p < kb; p++ {
				clear(panel[p*nr+nn : p*nr+nr])
			}
		}
	}
}
