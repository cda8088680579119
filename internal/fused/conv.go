package fused

import (
	"fmt"
	"hash"
	"sync"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/blas"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Conv2D returns the 2-D convolution of images x (B, C, H, W) with
// kernels w (L, C, k, k), stride 1 and zero padding (k−1)/2, which keeps
// H×W: the result y is (B, L, H, W) with
//
//	y[b,l,i,j] = Σ_{c,p,q} w[l,c,p,q] · x[b,c,i+p−(k−1)/2,j+q−(k−1)/2],
//
// x read as 0 outside the image. This is a cross-correlation, as in
// gorgonia.Conv2d(x, w, (k, k), ((k−1)/2, (k−1)/2), (1, 1), nil) and
// PyTorch's conv2d, whose results it reproduces up to rounding. The
// kernel side k must be odd.
//
// Each image is unfolded ("im2col") into a buffer col_b of C·k² rows
// and H·W columns, row (c, p, q) holding x[b,c] shifted by (p, q), and
// y_b = w · col_b is one matrix product (L × C·k²)·(C·k² × H·W) through
// gorgonia's BLAS (gorgonia.WhichBLAS), written straight into y in NCHW
// order: gorgonia.Conv2d instead unfolds to (B, H, W, C·k²), multiplies by
// wᵀ and transposes the (B, H, W, L) product. The buffer belongs to the op
// and is reused from run to run. The gradients are [Conv2DInputGrad] and
// [Conv2DFilterGrad].
func Conv2D(x, w *gorgonia.Node) (*gorgonia.Node, error) {
	const name = "Conv2D"
	if err := checkPair(name, x, w); err != nil {
		return nil, err
	}
	geom, err := convFromInput(name, x.Shape(), w.Shape())
	if err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(newConvOp(convForward, geom), x, w)
}

// Conv2DInputGrad is the adjoint of [Conv2D] with respect to the images:
// for kernels w (L, C, k, k) and a gradient g (B, L, H, W) of the
// convolution's output it returns dx (B, C, H, W), dx_b = col2im(wᵀ·g_b),
// where col2im adds each row (c, p, q) of the C·k² × H·W product back
// into channel c at the shift (p, q) from which im2col read it.
func Conv2DInputGrad(w, g *gorgonia.Node) (*gorgonia.Node, error) {
	const name = "Conv2DInputGrad"
	if err := checkPair(name, w, g); err != nil {
		return nil, err
	}
	geom, err := convFromKernel(name, w.Shape(), g.Shape())
	if err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(newConvOp(convInputGrad, geom), w, g)
}

// Conv2DFilterGrad is the adjoint of [Conv2D] with respect to the
// kernels: for images x (B, C, H, W) and a gradient g (B, L, H, W) of the
// convolution's output it returns dw (L, C, k, k), dw = Σ_b g_b·col_bᵀ with
// col_b the unfolded image of [Conv2D]. The kernel side k must be odd.
func Conv2DFilterGrad(x, g *gorgonia.Node, k int) (*gorgonia.Node, error) {
	const name = "Conv2DFilterGrad"
	if err := checkPair(name, x, g); err != nil {
		return nil, err
	}
	if k < 1 || k%2 == 0 {
		return nil, fmt.Errorf("%w: %s with kernel side %d (want odd ≥ 1, so that padding keeps H×W)", ErrArg, name, k)
	}
	geom, err := convFromOutput(name, x.Shape(), g.Shape(), k)
	if err != nil {
		return nil, err
	}
	return gorgonia.ApplyOp(newConvOp(convFilterGrad, geom), x, g)
}

// checkPair checks the two operands of a convolution op: non-nil, float32
// or float64, one dtype.
func checkPair(name string, a, b *gorgonia.Node) error {
	if err := checkNode(name, a); err != nil {
		return err
	}
	if err := checkNode(name, b); err != nil {
		return err
	}
	if a.Dtype() != b.Dtype() {
		return fmt.Errorf("%w: %s of %v and %v", ErrDtype, name, a.Dtype(), b.Dtype())
	}
	return nil
}

// convGeom holds the sizes of a convolution: images x (b, c, h, w),
// kernels (l, c, k, k), output (b, l, h, w).
type convGeom struct{ b, c, l, h, w, k int }

func (g convGeom) xShape() tensor.Shape { return tensor.Shape{g.b, g.c, g.h, g.w} }
func (g convGeom) wShape() tensor.Shape { return tensor.Shape{g.l, g.c, g.k, g.k} }
func (g convGeom) yShape() tensor.Shape { return tensor.Shape{g.b, g.l, g.h, g.w} }

// colLen is the size of one image's unfolded buffer, C·k² × H·W.
func (g convGeom) colLen() int { return g.c * g.k * g.k * g.h * g.w }

// rank4 checks that s is a shape of rank 4 with no empty axis.
func rank4(name, what string, s tensor.Shape) error {
	if s.Dims() != 4 {
		return fmt.Errorf("%w: %s needs %s of rank 4, got shape %v", ErrShape, name, what, s)
	}
	for _, d := range s {
		if d < 1 {
			return fmt.Errorf("%w: %s of an empty %s, shape %v", ErrShape, name, what, s)
		}
	}
	return nil
}

// convFromInput reads the geometry from images x and kernels w.
func convFromInput(name string, x, w tensor.Shape) (convGeom, error) {
	if err := rank4(name, "images (B, C, H, W)", x); err != nil {
		return convGeom{}, err
	}
	if err := rank4(name, "kernels (L, C, k, k)", w); err != nil {
		return convGeom{}, err
	}
	g := convGeom{b: x[0], c: x[1], l: w[0], h: x[2], w: x[3], k: w[2]}
	if err := g.check(name, w); err != nil {
		return convGeom{}, err
	}
	if w[1] != x[1] {
		return convGeom{}, fmt.Errorf("%w: %s of images %v with %d channels and kernels %v for %d", ErrShape, name, x, x[1], w, w[1])
	}
	return g, nil
}

// convFromKernel reads the geometry from kernels w and an output
// gradient y.
func convFromKernel(name string, w, y tensor.Shape) (convGeom, error) {
	if err := rank4(name, "kernels (L, C, k, k)", w); err != nil {
		return convGeom{}, err
	}
	if err := rank4(name, "an output gradient (B, L, H, W)", y); err != nil {
		return convGeom{}, err
	}
	g := convGeom{b: y[0], c: w[1], l: w[0], h: y[2], w: y[3], k: w[2]}
	if err := g.check(name, w); err != nil {
		return convGeom{}, err
	}
	if y[1] != w[0] {
		return convGeom{}, fmt.Errorf("%w: %s of kernels %v for %d channels and a gradient %v of %d", ErrShape, name, w, w[0], y, y[1])
	}
	return g, nil
}

// convFromOutput reads the geometry from images x, an output gradient y
// and the kernel side k.
func convFromOutput(name string, x, y tensor.Shape, k int) (convGeom, error) {
	if err := rank4(name, "images (B, C, H, W)", x); err != nil {
		return convGeom{}, err
	}
	if err := rank4(name, "an output gradient (B, L, H, W)", y); err != nil {
		return convGeom{}, err
	}
	if x[0] != y[0] || x[2] != y[2] || x[3] != y[3] {
		return convGeom{}, fmt.Errorf("%w: %s of images %v and a gradient %v (want the same B, H and W)", ErrShape, name, x, y)
	}
	return convGeom{b: x[0], c: x[1], l: y[1], h: x[2], w: x[3], k: k}, nil
}

// check refuses kernels w that are not square with an odd side.
func (g convGeom) check(name string, w tensor.Shape) error {
	if w[2] != w[3] || w[2]%2 == 0 {
		return fmt.Errorf("%w: %s needs square kernels of odd side (padding (k−1)/2 keeps H×W), got %v", ErrShape, name, w)
	}
	return nil
}

// convKind says which of the three products a convOp computes.
type convKind uint8

const (
	convForward    convKind = iota // (x, w) ↦ y
	convInputGrad                  // (w, g) ↦ dx
	convFilterGrad                 // (x, g) ↦ dw
)

// convOp is [Conv2D] or one of its adjoints. The three are each other's
// gradients: with G the gradient of the op's output,
//
//	y  = conv(x, w):       dx = inputGrad(w, G),  dw = filterGrad(x, G)
//	dx = inputGrad(w, g):  dw = filterGrad(G, g), dg = conv(G, w)
//	dw = filterGrad(x, g): dx = inputGrad(G, g),  dg = conv(x, G)
//
// since each is the bilinear form Σ_b ⟨g_b, w·col(x_b)⟩ differentiated
// with respect to one of its three arguments.
type convOp struct {
	kind convKind
	geom convGeom
	// scratch holds the unfolded image of one run; it is not part of the
	// op's identity (WriteHash).
	scratch *convScratch
}

func newConvOp(kind convKind, geom convGeom) convOp {
	return convOp{kind: kind, geom: geom, scratch: new(convScratch)}
}

// convScratch is an op's C·k² × H·W buffer. Gorgonia's tape machine runs
// one op at a time, so the lock is normally free; a run that finds it
// taken (two machines running one graph at once) uses a buffer of its own.
type convScratch struct {
	mu  sync.Mutex
	f32 []float32
	f64 []float64
}

// shapes returns the shapes of the op's two operands and of its result.
func (op convOp) shapes() (a, b, out tensor.Shape) {
	g := op.geom
	switch op.kind {
	case convInputGrad:
		return g.wShape(), g.yShape(), g.xShape()
	case convFilterGrad:
		return g.xShape(), g.yShape(), g.wShape()
	}
	return g.xShape(), g.wShape(), g.yShape()
}

func (op convOp) Arity() int { return 2 }

func (op convOp) Type() hm.Type {
	t := tensorType(4)
	return hm.NewFnType(t, t, t)
}

func (op convOp) InferShape(in ...gorgonia.DimSizer) (tensor.Shape, error) {
	s, err := shapesOf(op.String(), 2, in)
	if err != nil {
		return nil, err
	}
	a, b, out := op.shapes()
	if err := sameShape(op.String(), s[0], a); err != nil {
		return nil, err
	}
	if err := sameShape(op.String(), s[1], b); err != nil {
		return nil, err
	}
	return out, nil
}

func (op convOp) operands(vals []gorgonia.Value) ([]*tensor.Dense, error) {
	v, err := operands(op.String(), vals, 2)
	if err != nil {
		return nil, err
	}
	a, b, _ := op.shapes()
	if err := sizeFits(op.String(), v[0], a); err != nil {
		return nil, err
	}
	if err := sizeFits(op.String(), v[1], b); err != nil {
		return nil, err
	}
	return v, nil
}

func (op convOp) Do(vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	_, _, shape := op.shapes()
	out := newLike(v[0], shape)
	op.run(out, v[0], v[1])
	return out, nil
}

// UsePreallocDo writes the result into prealloc, which gorgonia's tape
// machine passes when the op's register already holds a value; one that
// does not fit falls back to Do. The result never aliases an operand: a
// prealloc that is one of them is not written.
func (op convOp) UsePreallocDo(prealloc gorgonia.Value, vals ...gorgonia.Value) (gorgonia.Value, error) {
	v, err := op.operands(vals)
	if err != nil {
		return nil, err
	}
	_, _, shape := op.shapes()
	dst, ok := destination(prealloc, v[0].Dtype(), shape)
	if !ok || dst == v[0] || dst == v[1] {
		return op.Do(vals...)
	}
	op.run(dst, v[0], v[1])
	return dst, nil
}

func (op convOp) run(dst, a, b *tensor.Dense) {
	impl := gorgonia.WhichBLAS()
	switch ad := a.Data().(type) {
	case []float32:
		col, release := scratchOf(op, &op.scratch.f32)
		defer release()
		convRun(op.kind, op.geom, impl.Sgemm, dst.Data().([]float32), ad, b.Data().([]float32), col)
	case []float64:
		col, release := scratchOf(op, &op.scratch.f64)
		defer release()
		convRun(op.kind, op.geom, impl.Dgemm, dst.Data().([]float64), ad, b.Data().([]float64), col)
	}
}

// scratchOf returns the op's buffer *buf, grown to one unfolded image,
// and the function that hands it back; nil for 1×1 kernels, where an
// image is its own unfolding. If another run holds the buffer, it returns
// a fresh one.
func scratchOf[T float32 | float64](op convOp, buf *[]T) (col []T, release func()) {
	n := op.geom.colLen()
	if op.geom.k == 1 {
		return nil, func() {}
	}
	if op.scratch == nil || !op.scratch.mu.TryLock() {
		return make([]T, n), func() {}
	}
	if len(*buf) != n {
		*buf = make([]T, n)
	}
	return *buf, op.scratch.mu.Unlock
}

func (op convOp) ReturnsPtr() bool     { return false }
func (op convOp) CallsExtern() bool    { return false }
func (op convOp) OverwritesInput() int { return -1 }

func (op convOp) WriteHash(h hash.Hash) {
	g := op.geom
	fmt.Fprintf(h, "fused.Conv2D(kind=%d,b=%d,c=%d,l=%d,h=%d,w=%d,k=%d)", op.kind, g.b, g.c, g.l, g.h, g.w, g.k)
}

func (op convOp) Hashcode() uint32 { return hashOf(op) }

func (op convOp) String() string {
	switch op.kind {
	case convInputGrad:
		return fmt.Sprintf("Conv2DInputGrad(%d×%d)", op.geom.k, op.geom.k)
	case convFilterGrad:
		return fmt.Sprintf("Conv2DFilterGrad(%d×%d)", op.geom.k, op.geom.k)
	}
	return fmt.Sprintf("Conv2D(%d×%d)", op.geom.k, op.geom.k)
}

func (op convOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff follows the table of convOp.
func (op convOp) SymDiff(inputs gorgonia.Nodes, output, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%w: %s takes 2 operands, got %d", ErrArg, op, len(inputs))
	}
	a, b := inputs[0], inputs[1]
	var da, db *gorgonia.Node
	var err error
	switch op.kind {
	case convForward: // a = x, b = w
		if da, err = Conv2DInputGrad(b, grad); err != nil {
			return nil, err
		}
		db, err = Conv2DFilterGrad(a, grad, op.geom.k)
	case convInputGrad: // a = w, b = g
		if da, err = Conv2DFilterGrad(grad, b, op.geom.k); err != nil {
			return nil, err
		}
		db, err = Conv2D(grad, a)
	case convFilterGrad: // a = x, b = g
		if da, err = Conv2DInputGrad(grad, b); err != nil {
			return nil, err
		}
		db, err = Conv2D(a, grad)
	default:
		err = fmt.Errorf("%w: convolution op of kind %d", ErrArg, op.kind)
	}
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{da, db}, nil
}

// gemmFunc is the signature of BLAS's Sgemm and Dgemm.
type gemmFunc[T float32 | float64] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// convRun computes one of the three products into dst, which it
// overwrites, with col a C·k² × H·W scratch buffer (unused, and may be
// nil, when k = 1). The operands are (x, w), (w, g) or (x, g) by kind.
func convRun[T float32 | float64](kind convKind, g convGeom, gemm gemmFunc[T], dst, a, b, col []T) {
	hw := g.h * g.w
	ckk := g.c * g.k * g.k
	xLen, yLen := g.c*hw, g.l*hw
	for n := 0; n < g.b; n++ {
		switch kind {
		case convForward: // y_n = w · col(x_n)
			cb := unfold(col, a[n*xLen:][:xLen], g)
			gemm(blas.NoTrans, blas.NoTrans, g.l, hw, ckk, 1, b, ckk, cb, hw, 0, dst[n*yLen:][:yLen], hw)
		case convInputGrad: // dx_n = col2im(wᵀ · g_n)
			dx := dst[n*xLen:][:xLen]
			if g.k == 1 {
				gemm(blas.Trans, blas.NoTrans, ckk, hw, g.l, 1, a, ckk, b[n*yLen:][:yLen], hw, 0, dx, hw)
				continue
			}
			gemm(blas.Trans, blas.NoTrans, ckk, hw, g.l, 1, a, ckk, b[n*yLen:][:yLen], hw, 0, col, hw)
			fold(dx, col, g)
		case convFilterGrad: // dw = Σ_n g_n · col(x_n)ᵀ
			cb := unfold(col, a[n*xLen:][:xLen], g)
			beta := T(1)
			if n == 0 {
				beta = 0
			}
			gemm(blas.NoTrans, blas.Trans, g.l, ckk, hw, 1, b[n*yLen:][:yLen], hw, cb, hw, beta, dst, ckk)
		}
	}
}

// span returns the columns j0 ≤ j < j1 of an output row that read an
// input column j+d inside [0, w); j1 ≤ j0 when there are none.
func span(d, w int) (j0, j1 int) {
	return max(0, -d), min(w, w-d)
}

// unfold writes the C·k² × H·W unfolding of one image x (C, H, W) into
// col and returns it: row (c, p, q) holds x[c] shifted by (p−r, q−r),
// r = (k−1)/2, zero where the shift leaves the image. For k = 1 the
// unfolding is x itself, which is returned without a copy.
func unfold[T float32 | float64](col, x []T, g convGeom) []T {
	if g.k == 1 {
		return x
	}
	r := (g.k - 1) / 2
	hw := g.h * g.w
	for c := 0; c < g.c; c++ {
		xc := x[c*hw:][:hw]
		for p := 0; p < g.k; p++ {
			di := p - r
			for q := 0; q < g.k; q++ {
				dj := q - r
				row := col[((c*g.k+p)*g.k+q)*hw:][:hw]
				j0, j1 := span(dj, g.w)
				for i := 0; i < g.h; i++ {
					out := row[i*g.w:][:g.w]
					si := i + di
					if si < 0 || si >= g.h || j1 <= j0 {
						clear(out)
						continue
					}
					clear(out[:j0])
					copy(out[j0:j1], xc[si*g.w+j0+dj:si*g.w+j1+dj])
					clear(out[j1:])
				}
			}
		}
	}
	return col
}

// fold is the adjoint of unfold: it sets dx (C, H, W) to the sum of the
// rows of col, each added back at the shift from which unfold read it.
func fold[T float32 | float64](dx, col []T, g convGeom) {
	clear(dx)
	r := (g.k - 1) / 2
	hw := g.h * g.w
	for c := 0; c < g.c; c++ {
		xc := dx[c*hw:][:hw]
		for p := 0; p < g.k; p++ {
			di := p - r
			for q := 0; q < g.k; q++ {
				dj := q - r
				row := col[((c*g.k+p)*g.k+q)*hw:][:hw]
				j0, j1 := span(dj, g.w)
				if j1 <= j0 {
					continue
				}
				for i := max(0, -di); i < min(g.h, g.h-di); i++ {
					src := row[i*g.w+j0 : i*g.w+j1]
					dst := xc[(i+di)*g.w+j0+dj:][:len(src)]
					for j, v := range src {
						dst[j] += v
					}
				}
			}
		}
	}
}
