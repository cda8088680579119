package gan

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"gorgonia.org/gorgonia"

	"github.com/symnet/symnet/internal/optim"
)

// A checkpoint file is the magic string, the payload length (uint64, big
// endian), a gob-encoded checkpoint, and the CRC-32 (IEEE) of the payload.
// The length and checksum make a truncated or damaged file an error rather
// than a silently different model.
const (
	checkpointMagic   = "SYMNET-GAN-CKPT\n"
	checkpointVersion = 1
)

type checkpoint struct {
	Version   int
	Method    string
	Dtype     string
	Widths    []int
	LatentDim int
	BatchSize int
	Iteration int
	RNG       []byte // the training source's state
	Gen, Disc netState
}

type netState struct {
	Names  []string
	Values [][]float64
	Step   int // Adam's step count
	M, V   [][]float64
}

// writeHook, when not nil, wraps the writer of Save; tests use it to fail a
// write half-way, as a crash would.
var writeHook func(io.Writer) io.Writer

// Save writes the generator and discriminator weights, both optimisers'
// state, the iteration count and the state of the random source to path.
// The file is written beside path under a temporary name, synced, and
// renamed over path, so that an interrupted Save leaves the previous file
// (if any) intact.
func (t *Trainer) Save(path string) error {
	rngState, err := t.src.MarshalBinary()
	if err != nil {
		return fmt.Errorf("gan: saving random state: %w", err)
	}
	ck := checkpoint{
		Version: checkpointVersion, Method: t.cfg.Method.String(), Dtype: t.cfg.Dtype.String(),
		Widths: t.cfg.Widths, LatentDim: t.cfg.LatentDim, BatchSize: t.cfg.BatchSize,
		Iteration: t.iter, RNG: rngState,
		Gen: stateOf(t.g.opt), Disc: stateOf(t.d.opt),
	}
	var payload bytes.Buffer
	if err := gob.NewEncoder(&payload).Encode(ck); err != nil {
		return fmt.Errorf("gan: encoding checkpoint: %w", err)
	}
	return writeAtomic(path, func(w io.Writer) error {
		var head [8]byte
		binary.BigEndian.PutUint64(head[:], uint64(payload.Len()))
		var tail [4]byte
		binary.BigEndian.PutUint32(tail[:], crc32.ChecksumIEEE(payload.Bytes()))
		for _, part := range [][]byte{[]byte(checkpointMagic), head[:], payload.Bytes(), tail[:]} {
			if _, err := w.Write(part); err != nil {
				return err
			}
		}
		return nil
	})
}

func stateOf(a *optim.Adam) netState {
	s := netState{}
	for _, p := range a.Params() {
		s.Names = append(s.Names, p.Name())
		s.Values = append(s.Values, floatsOf(p.Value()))
	}
	st := a.State()
	s.Step, s.M, s.V = st.Steps, st.M, st.V
	return s
}

// writeAtomic writes a temporary file in path's directory with write,
// syncs it, renames it to path and syncs the directory.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("gan: checkpoint: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	var w io.Writer = f
	if writeHook != nil {
		w = writeHook(f)
	}
	if err = write(w); err != nil {
		return fmt.Errorf("gan: writing checkpoint: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("gan: checkpoint: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("gan: checkpoint: %w", err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("gan: checkpoint: %w", err)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // best effort: makes the rename durable where supported
		d.Close()
	}
	return nil
}

// Load restores a checkpoint written by Save into t, which must have been
// built with the same method, widths, latent dimension, batch size and
// dtype. Training then continues exactly as if it had not stopped. The
// file is checked completely before anything in t changes.
func (t *Trainer) Load(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	ck, err := decodeCheckpoint(raw)
	if err != nil {
		return err
	}
	c := t.cfg
	if ck.Version != checkpointVersion || ck.Method != c.Method.String() || ck.Dtype != c.Dtype.String() ||
		!slices.Equal(ck.Widths, c.Widths) || ck.LatentDim != c.LatentDim || ck.BatchSize != c.BatchSize {
		return fmt.Errorf("%w: %s is version %d of %s/%s widths %v latent %d batch %d; trainer is %s/%s widths %v latent %d batch %d",
			ErrCheckpoint, path, ck.Version, ck.Method, ck.Dtype, ck.Widths, ck.LatentDim, ck.BatchSize,
			c.Method, c.Dtype, c.Widths, c.LatentDim, c.BatchSize)
	}
	if ck.Iteration < 0 {
		return fmt.Errorf("%w: iteration %d", ErrCheckpoint, ck.Iteration)
	}
	if err := checkState(ck.Gen, t.g.opt); err != nil {
		return err
	}
	if err := checkState(ck.Disc, t.d.opt); err != nil {
		return err
	}
	// Restore the source into a copy first: a bad state must not leave t
	// half-restored.
	var probe rand.PCG
	if err := probe.UnmarshalBinary(ck.RNG); err != nil {
		return fmt.Errorf("%w: random state: %v", ErrCheckpoint, err)
	}
	for _, s := range []struct {
		st  netState
		opt *optim.Adam
	}{{ck.Gen, t.g.opt}, {ck.Disc, t.d.opt}} {
		for i, p := range s.opt.Params() {
			setValues(p, s.st.Values[i])
		}
		if err := s.opt.SetState(optim.AdamState{Steps: s.st.Step, M: s.st.M, V: s.st.V}); err != nil {
			return fmt.Errorf("%w: %v", ErrCheckpoint, err) // checkState makes this unreachable
		}
	}
	if err := t.src.UnmarshalBinary(ck.RNG); err != nil {
		return fmt.Errorf("%w: random state: %v", ErrCheckpoint, err)
	}
	t.iter = ck.Iteration
	return nil
}

func decodeCheckpoint(raw []byte) (checkpoint, error) {
	var ck checkpoint
	n := len(checkpointMagic)
	if len(raw) < n+12 || string(raw[:n]) != checkpointMagic {
		return ck, fmt.Errorf("%w: not a symnet GAN checkpoint (%d bytes)", ErrCheckpoint, len(raw))
	}
	size := binary.BigEndian.Uint64(raw[n : n+8])
	if uint64(len(raw)-n-12) != size {
		return ck, fmt.Errorf("%w: payload of %d bytes, header says %d (truncated?)", ErrCheckpoint, len(raw)-n-12, size)
	}
	payload := raw[n+8 : len(raw)-4]
	if crc32.ChecksumIEEE(payload) != binary.BigEndian.Uint32(raw[len(raw)-4:]) {
		return ck, fmt.Errorf("%w: checksum mismatch", ErrCheckpoint)
	}
	if err := gob.NewDecoder(bytes.NewReader(payload)).Decode(&ck); err != nil {
		return ck, fmt.Errorf("%w: %v", ErrCheckpoint, err)
	}
	return ck, nil
}

// checkState verifies that st fits the optimiser's parameters: the same
// names and sizes, and moment buffers of the same sizes.
func checkState(st netState, a *optim.Adam) error {
	params := a.Params()
	n := len(params)
	if len(st.Names) != n || len(st.Values) != n || len(st.M) != n || len(st.V) != n || st.Step < 0 {
		return fmt.Errorf("%w: state for %d parameters, model has %d", ErrCheckpoint, len(st.Names), n)
	}
	for i, p := range params {
		size := p.Value().Shape().TotalSize()
		if st.Names[i] != p.Name() || len(st.Values[i]) != size || len(st.M[i]) != size || len(st.V[i]) != size {
			return fmt.Errorf("%w: parameter %d is %q of %d entries in the file, %q of %d in the model",
				ErrCheckpoint, i, st.Names[i], len(st.Values[i]), p.Name(), size)
		}
		for _, vals := range [][]float64{st.Values[i], st.M[i], st.V[i]} {
			for j, v := range vals {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return fmt.Errorf("%w: parameter %q holds %v at %d", ErrCheckpoint, p.Name(), v, j)
				}
			}
		}
	}
	return nil
}

func setValues(p *gorgonia.Node, vals []float64) {
	switch d := p.Value().Data().(type) {
	case []float64:
		copy(d, vals)
	case []float32:
		narrowTo(d, vals)
	}
}
