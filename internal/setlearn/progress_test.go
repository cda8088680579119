package setlearn

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source advanced by the test.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestProgressETA(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t: time.Unix(0, 0)}
	p := NewProgress(&buf, "job", 100)
	p.now = c.now
	p.start = c.t
	p.Every = time.Second

	// 10 steps in 5 s: 0.5 s per step, 90 left, ETA 45 s.
	c.t = c.t.Add(5 * time.Second)
	p.Update(10, "loss 1.5")
	want := "job: 10/100 (10%) elapsed 5s ETA 45s loss 1.5\n"
	if buf.String() != want {
		t.Fatalf("line %q, want %q", buf.String(), want)
	}
	// Within Every of the last line nothing is written.
	buf.Reset()
	c.t = c.t.Add(500 * time.Millisecond)
	p.Update(11, "")
	if buf.Len() != 0 {
		t.Errorf("wrote %q within the rate limit", buf.String())
	}
	// The last step is always written, and nothing after it.
	p.Update(100, "")
	if !strings.HasPrefix(buf.String(), "job: 100/100 (100%) elapsed 5.5s ETA 0s") {
		t.Errorf("last line %q", buf.String())
	}
	buf.Reset()
	c.t = c.t.Add(time.Hour)
	p.Update(100, "")
	if buf.Len() != 0 {
		t.Errorf("wrote %q after the last step", buf.String())
	}
}

func TestProgressNil(t *testing.T) {
	// A nil writer or a nil *Progress writes nothing and does not panic.
	NewProgress(nil, "job", 10).Update(10, "")
	var p *Progress
	p.Update(1, "")
}

func TestRound(t *testing.T) {
	for _, c := range []struct{ in, want time.Duration }{
		{1234 * time.Millisecond, 1200 * time.Millisecond},
		{90*time.Second + 600*time.Millisecond, 91 * time.Second},
	} {
		if got := Round(c.in); got != c.want {
			t.Errorf("Round(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
