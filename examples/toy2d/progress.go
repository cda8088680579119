package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints how much of the experiment is done and an estimate of
// the time left, on one rewritten line when stderr is a terminal and on a
// new line every half minute otherwise (a log file).
type progress struct {
	w        io.Writer
	tty      bool
	total    float64
	every    time.Duration
	mu       sync.Mutex
	done     float64
	runs     int
	begin    time.Time
	quit     chan struct{}
	finished chan struct{}
}

func newProgress(w io.Writer, total float64) *progress {
	p := &progress{w: w, total: total, every: 30 * time.Second}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty, p.every = true, time.Second
		}
	}
	return p
}

// add records work done (network passes).
func (p *progress) add(work float64) {
	p.mu.Lock()
	p.done += work
	p.mu.Unlock()
}

// finish records a finished run.
func (p *progress) finish() {
	p.mu.Lock()
	p.runs++
	p.mu.Unlock()
}

func (p *progress) start() {
	p.begin = time.Now()
	p.quit, p.finished = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.finished)
		tick := time.NewTicker(p.every)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				p.print(false)
			case <-p.quit:
				p.print(true)
				return
			}
		}
	}()
}

func (p *progress) stop() {
	close(p.quit)
	<-p.finished
}

func (p *progress) print(last bool) {
	p.mu.Lock()
	done, runs := p.done, p.runs
	p.mu.Unlock()
	elapsed := time.Since(p.begin)
	frac := 0.0
	if p.total > 0 {
		frac = done / p.total
	}
	eta := "?"
	if frac > 0 {
		eta = (time.Duration(float64(elapsed)*(1-frac)/frac) / time.Second * time.Second).String()
	}
	line := fmt.Sprintf("toy2d: %5.1f%% done, %d runs finished, elapsed %v, ETA %s", 100*frac, runs, elapsed/time.Second*time.Second, eta)
	switch {
	case p.tty && last:
		fmt.Fprintf(p.w, "\r%-78s\n", line)
	case p.tty:
		fmt.Fprintf(p.w, "\r%-78s", line)
	default:
		fmt.Fprintln(p.w, line)
	}
}
