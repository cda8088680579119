package gemm

// kernelGo is the portable 2×4 micro-kernel. Go does not vectorise, so the
// tile is sized for scalar registers: eight accumulators, four values of B
// and one of A fit amd64's sixteen floating-point registers without
// spilling (a 4×4 tile spills and measured 30–40% slower there), and each
// step along k loads 6 values for 8 multiply-adds.
func kernelGo[T float](k int, a, b, c []T, ldc int, alpha, beta T) {
	a = a[:2*k]
	b = b[:4*k]
	var (
		c00, c01, c02, c03 T
		c10, c11, c12, c13 T
	)
	// Reslicing instead of indexing lets the compiler drop the bounds
	// checks inside the loop.
	for len(a) >= 2 && len(b) >= 4 {
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		a0, a1 := a[0], a[1]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a = a[2:]
		b = b[4:]
	}
	storeRow4(c[0:4], c00, c01, c02, c03, alpha, beta)
	storeRow4(c[ldc:ldc+4], c10, c11, c12, c13, alpha, beta)
}

// storeRow4 sets c[0:4] to alpha·(v0 … v3) + beta·c, not reading c when
// beta is 0.
func storeRow4[T float](c []T, v0, v1, v2, v3, alpha, beta T) {
	c = c[:4]
	if beta == 0 {
		c[0] = alpha * v0
		c[1] = alpha * v1
		c[2] = alpha * v2
		c[3] = alpha * v3
		return
	}
	c[0] = alpha*v0 + beta*c[0]
	c[1] = alpha*v1 + beta*c[1]
	c[2] = alpha*v2 + beta*c[2]
	c[3] = alpha*v3 + beta*c[3]
}
