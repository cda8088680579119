package gan

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/symnet/symnet/internal/gradcheck"
	"github.com/symnet/symnet/internal/settest"
)

// failingWriter passes through the first n bytes, then fails, as a crash or
// a full disk would.
type failingWriter struct {
	w io.Writer
	n int
}

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k, _ := f.w.Write(p[:f.n])
		f.n = 0
		return k, errDiskFull
	}
	f.n -= len(p)
	return f.w.Write(p)
}

// TestSaveIsAtomic saves a good checkpoint, then fails a second Save at
// several points of the write. Each time the error is returned, the good
// file is byte-for-byte intact and still loads, and no temporary file is
// left in the directory.
func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.ckpt")
	ring, _ := Ring(4, 1, 0.1)
	tr, err := New(Config{Method: BGAN, Data: ring, Widths: []int{8}, BatchSize: 8, DiscSteps: 1, Iterations: 2, Gamma: 0.2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	if err := tr.Train(nil); err != nil { // the next Save would write other weights
		t.Fatal(err)
	}
	defer func() { writeHook = nil }()
	for _, cut := range []int{0, 5, len(checkpointMagic) + 8, len(good) / 2, len(good) - 1} {
		writeHook = func(w io.Writer) io.Writer { return &failingWriter{w: w, n: cut} }
		if err := tr.Save(path); !errors.Is(err, errDiskFull) {
			t.Fatalf("cut at %d: Save returned %v, want the write error", cut, err)
		}
		now, _ := os.ReadFile(path)
		if string(now) != string(good) {
			t.Fatalf("cut at %d: the good checkpoint was changed", cut)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("cut at %d: %d files in the directory, want only the checkpoint", cut, len(entries))
		}
	}
	writeHook = nil
	fresh, _ := New(tr.Config())
	defer fresh.Close()
	if err := fresh.Load(path); err != nil || fresh.Iteration() != 0 {
		t.Fatalf("good checkpoint after failed saves: %v, iteration %d", err, fresh.Iteration())
	}
}

// TestMixRowsGradient checks the mixing node's gradients with respect to
// the real and fake batches and to β by central differences (tolerance as
// in the layers' gradient tests: 1e-6 against O(1) errors for a wrong
// gradient).
func TestMixRowsGradient(t *testing.T) {
	rep, err := gradcheck.Check(func(g *gorgonia.ExprGraph) (*gorgonia.Node, gorgonia.Nodes, error) {
		rng := settest.Rand(4)
		real := settest.Input(g, "real", settest.Normal(rng, 5, 2))
		fake := settest.Input(g, "fake", settest.Normal(rng, 5, 2))
		beta := settest.Input(g, "beta", tensor.New(tensor.WithShape(5, 1), tensor.WithBacking([]float64{1, 0, 0.3, 1, 0.8})))
		mixed, err := mixRows(beta, real, fake)
		if err != nil {
			return nil, nil, err
		}
		w := settest.Input(g, "w", settest.Normal(rng, 5, 2))
		p, err := gorgonia.HadamardProd(mixed, w)
		if err != nil {
			return nil, nil, err
		}
		cost, err := gorgonia.Sum(p)
		return cost, gorgonia.Nodes{real, fake, beta}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.MaxErr > 1e-6 || rep.Checked != 25 {
		t.Errorf("mixRows gradient error %.3g at %s (%d entries)", rep.MaxErr, rep.Worst, rep.Checked)
	}
}
