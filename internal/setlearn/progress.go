package setlearn

import (
	"fmt"
	"io"
	"time"
)

// Progress writes a one-line status with an ETA to w (the programs pass
// os.Stderr), at most once per Every, and always for the last step. The ETA
// extrapolates the mean time per step so far.
type Progress struct {
	w      io.Writer
	label  string
	total  int
	start  time.Time
	last   time.Time
	Every  time.Duration
	now    func() time.Time
	closed bool
}

// NewProgress starts a progress line for total steps of the job label. A
// nil w writes nothing.
func NewProgress(w io.Writer, label string, total int) *Progress {
	p := &Progress{w: w, label: label, total: total, Every: 2 * time.Second, now: time.Now}
	p.start = p.now()
	return p
}

// Update reports that step done (1-based) of total has finished; extra is
// appended to the line (the current loss, say).
func (p *Progress) Update(done int, extra string) {
	if p == nil || p.w == nil || p.closed {
		return
	}
	t := p.now()
	if done < p.total && t.Sub(p.last) < p.Every {
		return
	}
	p.last = t
	fmt.Fprintln(p.w, p.line(done, t.Sub(p.start), extra))
	if done >= p.total {
		p.closed = true
	}
}

// line formats one status line for done steps after elapsed.
func (p *Progress) line(done int, elapsed time.Duration, extra string) string {
	pct := 0.0
	eta := "?"
	if p.total > 0 {
		pct = 100 * float64(done) / float64(p.total)
	}
	if done > 0 {
		left := time.Duration(float64(elapsed) / float64(done) * float64(p.total-done))
		eta = Round(left).String()
	}
	s := fmt.Sprintf("%s: %d/%d (%.0f%%) elapsed %v ETA %s", p.label, done, p.total, pct, Round(elapsed), eta)
	if extra != "" {
		s += " " + extra
	}
	return s
}

// Round rounds a duration to a precision fit for a human: tenths of a
// second below a minute, seconds above.
func Round(d time.Duration) time.Duration {
	if d < time.Minute {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
