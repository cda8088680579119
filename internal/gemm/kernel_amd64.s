//go:build !purego

#include "textflag.h"

// The micro-kernels keep a 6-row tile of C in twelve YMM registers: row i in
// Y(2i) (left half) and Y(2i+1) (right half). Each step along k loads one
// row of the B micro-panel into Y12–Y13 and broadcasts the six values of
// the A micro-panel, alternating Y14 and Y15 so that a broadcast can issue
// while the previous one feeds its two FMAs. Twelve independent
// accumulators cover the FMA latency (4 cycles) times the two FMA pipes.
//
// Register use: AX walks A, BX walks B, DI walks the rows of C, DX is ldc
// in bytes, CX and R8 count steps.

// SROW multiplies the broadcast A value at off(AX) with the B row and adds
// it to one row of the tile (float32).
#define SROW(off, bc, acc0, acc1) \
	VBROADCASTSS off(AX), bc; \
	VFMADD231PS  Y12, bc, acc0; \
	VFMADD231PS  Y13, bc, acc1

// SSTEP is one step along k: 6 values of A at aoff(AX), 16 of B at boff(BX).
#define SSTEP(aoff, boff) \
	VMOVUPS boff(BX), Y12; \
	VMOVUPS (boff+32)(BX), Y13; \
	SROW(aoff, Y14, Y0, Y1); \
	SROW((aoff+4), Y15, Y2, Y3); \
	SROW((aoff+8), Y14, Y4, Y5); \
	SROW((aoff+12), Y15, Y6, Y7); \
	SROW((aoff+16), Y14, Y8, Y9); \
	SROW((aoff+20), Y15, Y10, Y11)

// SSET stores one row of the tile; SADD first adds beta (in Y13) times the
// row of C.
#define SSET(acc0, acc1) \
	VMOVUPS acc0, (DI); \
	VMOVUPS acc1, 32(DI); \
	ADDQ    DX, DI

#define SADD(acc0, acc1) \
	VFMADD231PS (DI), Y13, acc0; \
	VFMADD231PS 32(DI), Y13, acc1; \
	SSET(acc0, acc1)

// func sgemmKernel6x16(k int, a, b, c *float32, ldc int, alpha, beta float32)
TEXT ·sgemmKernel6x16(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), DX
	SHLQ $2, DX

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	// Four steps per iteration, then the k mod 4 left over.
	MOVQ CX, R8
	SHRQ $2, R8
	ANDQ $3, CX
	TESTQ R8, R8
	JZ   s_tail

s_loop4:
	SSTEP(0, 0)
	SSTEP(24, 64)
	SSTEP(48, 128)
	SSTEP(72, 192)
	ADDQ $96, AX
	ADDQ $256, BX
	DECQ R8
	JNZ  s_loop4

s_tail:
	TESTQ CX, CX
	JZ    s_scale

s_loop1:
	SSTEP(0, 0)
	ADDQ $24, AX
	ADDQ $64, BX
	DECQ CX
	JNZ  s_loop1

s_scale:
	VBROADCASTSS alpha+40(FP), Y12
	VMULPS       Y12, Y0, Y0
	VMULPS       Y12, Y1, Y1
	VMULPS       Y12, Y2, Y2
	VMULPS       Y12, Y3, Y3
	VMULPS       Y12, Y4, Y4
	VMULPS       Y12, Y5, Y5
	VMULPS       Y12, Y6, Y6
	VMULPS       Y12, Y7, Y7
	VMULPS       Y12, Y8, Y8
	VMULPS       Y12, Y9, Y9
	VMULPS       Y12, Y10, Y10
	VMULPS       Y12, Y11, Y11

	// beta = 0 (either sign) overwrites C without reading it; a NaN beta
	// (unordered: PF set) takes the reading path and propagates.
	VBROADCASTSS beta+44(FP), Y13
	VXORPS       X14, X14, X14
	VUCOMISS     X14, X13
	JNE          s_add
	JPS          s_add

	SSET(Y0, Y1)
	SSET(Y2, Y3)
	SSET(Y4, Y5)
	SSET(Y6, Y7)
	SSET(Y8, Y9)
	SSET(Y10, Y11)
	VZEROUPPER
	RET

s_add:
	SADD(Y0, Y1)
	SADD(Y2, Y3)
	SADD(Y4, Y5)
	SADD(Y6, Y7)
	SADD(Y8, Y9)
	SADD(Y10, Y11)
	VZEROUPPER
	RET

// DROW, DSTEP, DSET and DADD are the float64 versions: 4 lanes per
// register, so the tile is 6×8.
#define DROW(off, bc, acc0, acc1) \
	VBROADCASTSD off(AX), bc; \
	VFMADD231PD  Y12, bc, acc0; \
	VFMADD231PD  Y13, bc, acc1

#define DSTEP(aoff, boff) \
	VMOVUPD boff(BX), Y12; \
	VMOVUPD (boff+32)(BX), Y13; \
	DROW(aoff, Y14, Y0, Y1); \
	DROW((aoff+8), Y15, Y2, Y3); \
	DROW((aoff+16), Y14, Y4, Y5); \
	DROW((aoff+24), Y15, Y6, Y7); \
	DROW((aoff+32), Y14, Y8, Y9); \
	DROW((aoff+40), Y15, Y10, Y11)

#define DSET(acc0, acc1) \
	VMOVUPD acc0, (DI); \
	VMOVUPD acc1, 32(DI); \
	ADDQ    DX, DI

#define DADD(acc0, acc1) \
	VFMADD231PD (DI), Y13, acc0; \
	VFMADD231PD 32(DI), Y13, acc1; \
	DSET(acc0, acc1)

// func dgemmKernel6x8(k int, a, b, c *float64, ldc int, alpha, beta float64)
TEXT ·dgemmKernel6x8(SB), NOSPLIT, $0-56
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DI
	MOVQ ldc+32(FP), DX
	SHLQ $3, DX

	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	VXORPD Y8, Y8, Y8
	VXORPD Y9, Y9, Y9
	VXORPD Y10, Y10, Y10
	VXORPD Y11, Y11, Y11

	MOVQ CX, R8
	SHRQ $2, R8
	ANDQ $3, CX
	TESTQ R8, R8
	JZ   d_tail

d_loop4:
	DSTEP(0, 0)
	DSTEP(48, 64)
	DSTEP(96, 128)
	DSTEP(144, 192)
	ADDQ $192, AX
	ADDQ $256, BX
	DECQ R8
	JNZ  d_loop4

d_tail:
	TESTQ CX, CX
	JZ    d_scale

d_loop1:
	DSTEP(0, 0)
	ADDQ $48, AX
	ADDQ $64, BX
	DECQ CX
	JNZ  d_loop1

d_scale:
	VBROADCASTSD alpha+40(FP), Y12
	VMULPD       Y12, Y0, Y0
	VMULPD       Y12, Y1, Y1
	VMULPD       Y12, Y2, Y2
	VMULPD       Y12, Y3, Y3
	VMULPD       Y12, Y4, Y4
	VMULPD       Y12, Y5, Y5
	VMULPD       Y12, Y6, Y6
	VMULPD       Y12, Y7, Y7
	VMULPD       Y12, Y8, Y8
	VMULPD       Y12, Y9, Y9
	VMULPD       Y12, Y10, Y10
	VMULPD       Y12, Y11, Y11

	VBROADCASTSD beta+48(FP), Y13
	VXORPD       X14, X14, X14
	VUCOMISD     X14, X13
	JNE          d_add
	JPS          d_add

	DSET(Y0, Y1)
	DSET(Y2, Y3)
	DSET(Y4, Y5)
	DSET(Y6, Y7)
	DSET(Y8, Y9)
	DSET(Y10, Y11)
	VZEROUPPER
	RET

d_add:
	DADD(Y0, Y1)
	DADD(Y2, Y3)
	DADD(Y4, Y5)
	DADD(Y6, Y7)
	DADD(Y8, Y9)
	DADD(Y10, Y11)
	VZEROUPPER
	RET
