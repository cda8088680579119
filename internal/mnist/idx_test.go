package mnist

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// idxBytes builds an IDX stream of unsigned bytes with the given sizes and
// data.
func idxBytes(sizes []int32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(0x0800|len(sizes)))
	for _, s := range sizes {
		binary.Write(&b, binary.BigEndian, s)
	}
	b.Write(data)
	return b.Bytes()
}

func TestParseIDX(t *testing.T) {
	shape, data, err := parseIDX(bytes.NewReader(idxBytes([]int32{2, 3}, []byte{1, 2, 3, 4, 5, 6})), 2)
	if err != nil || len(shape) != 2 || shape[0] != 2 || shape[1] != 3 || !bytes.Equal(data, []byte{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("parseIDX = %v, %v, %v; want [2 3], 1..6, nil", shape, data, err)
	}
	for name, c := range map[string]struct {
		in   []byte
		dims int
	}{
		"empty":     {nil, 1},
		"magic":     {idxBytes([]int32{1}, []byte{7}), 3},
		"short":     {idxBytes([]int32{4}, []byte{1, 2}), 1},
		"long":      {idxBytes([]int32{1}, []byte{1, 2}), 1},
		"negative":  {idxBytes([]int32{-5, 28, 28}, nil), 3},
		"zero rows": {idxBytes([]int32{3, 0, 28}, nil), 3},
		"huge":      {idxBytes([]int32{1 << 30, 1 << 30, 28}, nil), 3},
		"header":    {idxBytes([]int32{1, 2}, nil)[:9], 2},
	} {
		if _, _, err := parseIDX(bytes.NewReader(c.in), c.dims); !errors.Is(err, ErrData) {
			t.Errorf("%s: %v, want ErrData", name, err)
		}
	}
}

// FuzzParseIDX checks that any stream either parses into data of the size
// its shape announces or is refused with ErrData, never a panic.
func FuzzParseIDX(f *testing.F) {
	f.Add(idxBytes([]int32{2, 2, 2}, make([]byte, 8)), 3)
	f.Add(idxBytes([]int32{1}, []byte{9}), 1)
	f.Add(idxBytes([]int32{-1, 2, 2}, nil), 3)
	f.Fuzz(func(t *testing.T, in []byte, dims int) {
		if dims < 1 || dims > 4 {
			return
		}
		shape, data, err := parseIDX(bytes.NewReader(in), dims)
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v does not wrap ErrData", err)
			}
			return
		}
		n := 1
		for _, s := range shape {
			n *= s
		}
		if len(shape) != dims || len(data) != n || len(in) != 4*(1+dims)+n {
			t.Fatalf("shape %v, %d values from %d bytes", shape, len(data), len(in))
		}
	})
}
