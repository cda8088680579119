package gemm

// A kernel is a micro-kernel with the block sizes that suit it.
type kernel[T float] struct {
	// name says which instructions the kernel uses.
	name string
	// mr×nr is the tile of C the micro-kernel keeps in registers.
	mr, nr int
	// mc, kc and nc bound the packed blocks: an mc×kc block of op(A)
	// (meant to stay in L2) and a kc×nc block of op(B). They are
	// multiples of mr and nr where it matters.
	mc, kc, nc int
	// fn sets the mr×nr tile c (rows ldc apart) to alpha·A·B + beta·c,
	// where A is an mr×k micro-panel stored column by column (mr values
	// for each step along k) and B a k×nr micro-panel stored row by row.
	// With beta = 0, c is not read.
	fn func(k int, a, b, c []T, ldc int, alpha, beta T)
}

// A kernelSet holds the kernels for one element type: the portable one and
// the fast one when the CPU has it.
type kernelSet[T float] struct {
	fast, generic *kernel[T]
}

// forceGeneric makes every product use the pure-Go kernel. Tests set it to
// check that path on CPUs that have the fast one; nothing else may.
var forceGeneric bool

// pick returns the kernel to use now.
func (s *kernelSet[T]) pick() *kernel[T] {
	if s.fast != nil && !forceGeneric {
		return s.fast
	}
	return s.generic
}

var (
	kernels32 = kernelSet[float32]{fast: fast32, generic: &kernel[float32]{
		name: "go", mr: 2, nr: 4, mc: 128, kc: 256, nc: 2048, fn: kernelGo[float32],
	}}
	kernels64 = kernelSet[float64]{fast: fast64, generic: &kernel[float64]{
		name: "go", mr: 2, nr: 4, mc: 64, kc: 256, nc: 2048, fn: kernelGo[float64],
	}}
)

// Kernel names the micro-kernel that products use on this CPU: "avx2-fma"
// for the amd64 assembly, "go" for the portable one.
func Kernel() string { return kernels64.pick().name }

// Fast reports whether products run on an assembly kernel. Without one,
// the portable kernel runs at 3–3.5 GFLOP/s on the amd64 machine where it
// was measured, below gonum's SSE2 code (5–8 GFLOP/s there).
func Fast() bool { return kernels64.pick() != kernels64.generic }
