package invariant_test

import (
	"errors"
	"testing"

	"gorgonia.org/tensor"

	"github.com/symnet/symnet/invariant"
)

// FuzzCheckMask feeds arbitrary float64 masks to CheckMask: it must never
// panic, and it must accept exactly the masks whose entries are all 0 or 1
// with a 1 in every set.
func FuzzCheckMask(f *testing.F) {
	f.Add(2, 1.0, 0.0, 1.0, 1.0)
	f.Add(1, 0.0, 0.0, 0.0, 0.0)
	f.Add(4, 1.0, 0.5, -1.0, 2.0)
	f.Fuzz(func(t *testing.T, b int, v0, v1, v2, v3 float64) {
		vals := []float64{v0, v1, v2, v3}
		if b < 1 || b > 4 || len(vals)%b != 0 {
			return
		}
		m := tensor.New(tensor.WithShape(len(vals)/b, b), tensor.WithBacking(vals))
		err := invariant.CheckMask(m)
		valid := true
		for s := 0; s < len(vals)/b; s++ {
			real := 0
			for _, v := range vals[s*b : (s+1)*b] {
				if v != 0 && v != 1 {
					valid = false
				}
				if v == 1 {
					real++
				}
			}
			if real == 0 {
				valid = false
			}
		}
		if valid != (err == nil) {
			t.Fatalf("CheckMask(%v, b=%d) = %v, valid = %v", vals, b, err, valid)
		}
		if err != nil && !errors.Is(err, invariant.ErrMaskValue) && !errors.Is(err, invariant.ErrNoRealRows) {
			t.Fatalf("CheckMask(%v): unexpected error kind %v", vals, err)
		}
	})
}

// FuzzMaskFromLengths checks that a mask built from lengths either is
// rejected or passes CheckMask with exactly lengths[i] ones in row i.
func FuzzMaskFromLengths(f *testing.F) {
	f.Add(3, 1, 2, 3)
	f.Add(0, 0, 0, 0)
	f.Fuzz(func(t *testing.T, b, l0, l1, l2 int) {
		if b > 64 {
			return
		}
		lengths := []int{l0, l1, l2}
		m, err := invariant.MaskFromLengths(lengths, b, tensor.Float64)
		if err != nil {
			return
		}
		if err := invariant.CheckMask(m); err != nil {
			t.Fatalf("mask from %v, b=%d fails CheckMask: %v", lengths, b, err)
		}
		data := m.Data().([]float64)
		for i, l := range lengths {
			n := 0
			for _, v := range data[i*b : (i+1)*b] {
				n += int(v)
			}
			if n != l {
				t.Fatalf("row %d has %d ones, want %d", i, n, l)
			}
		}
	})
}
