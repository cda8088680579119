package accel_test

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/accel"
)

// Implementation must be usable wherever gorgonia takes a BLAS.
var _ gorgonia.BLAS = accel.Implementation{}

// otherBLAS is a BLAS that Backend does not know.
type otherBLAS struct{ gonum.Implementation }

// TestBackend checks that Backend follows what gorgonia has installed:
// gonum by default, this build's choice after Use (gonum still where accel
// has no assembly kernel), the type name of an unknown implementation.
func TestBackend(t *testing.T) {
	useGonum(t)
	if got := accel.Backend(); got != "gonum" {
		t.Errorf("Backend() by default = %q, want %q", got, "gonum")
	}
	accel.Use()
	if got, want := accel.Backend(), wantAfterUse(); got != want {
		t.Errorf("Backend() after Use = %q, want %q", got, want)
	}
	gorgonia.Use(accel.Implementation{})
	if got := accel.Backend(); got != "accel/avx2-fma" && got != "accel/go" {
		t.Errorf("Backend() with Implementation = %q, want accel/avx2-fma or accel/go", got)
	}
	gorgonia.Use(otherBLAS{})
	if got, want := accel.Backend(), "accel_test.otherBLAS"; got != want {
		t.Errorf("Backend() with another BLAS = %q, want %q", got, want)
	}
}

// TestImplementationPanics checks that bad arguments panic through
// Implementation with gonum's messages (gonum treats them as programmer
// errors, and so does accel).
func TestImplementationPanics(t *testing.T) {
	a := make([]float32, 6)
	catch := func(f func()) (r any) {
		defer func() { r = recover() }()
		f()
		return nil
	}
	for _, tc := range []struct {
		name string
		call func(gorgonia.BLAS)
	}{
		{"bad lda", func(b gorgonia.BLAS) { b.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"short c", func(b gorgonia.BLAS) { b.Sgemm(blas.NoTrans, blas.NoTrans, 2, 3, 1, 1, a, 1, a, 3, 0, a[:5], 3) }},
		{"bad transpose", func(b gorgonia.BLAS) {
			b.Dgemm('q', blas.NoTrans, 1, 1, 1, 1, []float64{1}, 1, []float64{1}, 1, 0, []float64{1}, 1)
		}},
	} {
		got, want := catch(func() { tc.call(accel.Implementation{}) }), catch(func() { tc.call(gonum.Implementation{}) })
		if got == nil || got != want {
			t.Errorf("%s: panic %v, gonum %v", tc.name, got, want)
		}
	}
}
