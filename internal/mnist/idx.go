package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// maxIDXBytes bounds the data an IDX header may announce, so that a corrupt
// header cannot make the reader allocate without limit: 2^28 bytes is
// five times MNIST's training images.
const maxIDXBytes = 1 << 28

// readIDX reads a gzipped IDX file (the format of LeCun et al.'s MNIST
// files) of unsigned bytes with the given number of dimensions.
func readIDX(path string, dims int) (shape []int, data []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrData, err)
	}
	defer f.Close()
	z, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrData, path, err)
	}
	shape, data, err = parseIDX(z, dims)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return shape, data, nil
}

// parseIDX reads an IDX stream of unsigned bytes: the magic number 0x0000
// 08 dd (type 0x08, unsigned byte; dd dimensions), dd big-endian 32-bit
// sizes, then the values in row-major order. It checks the magic, that
// every size is positive (the first, the item count, may be 0), that the
// total fits maxIDXBytes, and that the stream holds exactly that many
// values.
func parseIDX(r io.Reader, dims int) (shape []int, data []byte, err error) {
	head := make([]byte, 4*(1+dims))
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, nil, fmt.Errorf("%w: IDX header: %v", ErrData, err)
	}
	if want := uint32(0x0800 | dims); binary.BigEndian.Uint32(head) != want {
		return nil, nil, fmt.Errorf("%w: IDX magic %#08x, want %#08x", ErrData, binary.BigEndian.Uint32(head), want)
	}
	total := 1
	for i := range dims {
		n := int(int32(binary.BigEndian.Uint32(head[4*(i+1):])))
		if n < 0 || (n == 0 && i > 0) {
			return nil, nil, fmt.Errorf("%w: IDX size %d of dimension %d", ErrData, n, i)
		}
		shape = append(shape, n)
		if n > 0 && total > maxIDXBytes/n {
			return nil, nil, fmt.Errorf("%w: IDX sizes %v exceed %d bytes", ErrData, shape, maxIDXBytes)
		}
		total *= n
	}
	data = make([]byte, total)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("%w: IDX data of %d bytes: %v", ErrData, total, err)
	}
	var one [1]byte
	if n, _ := r.Read(one[:]); n != 0 {
		return nil, nil, fmt.Errorf("%w: IDX data longer than its header's %d bytes", ErrData, total)
	}
	return shape, data, nil
}
