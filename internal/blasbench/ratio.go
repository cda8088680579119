package blasbench

import (
	"testing"
	"time"
)

// Ratio times num and den in turn, once each per iteration of b, and
// reports the ratio of their total times as the metric unit (such as
// "equi/dense"). Alternating the two makes both see the same load, which
// separate benchmarks on a shared machine do not: their medians drift by
// ±15% from one run to the next. An error from either stops the benchmark.
func Ratio(b *testing.B, unit string, num, den func() error) {
	b.Helper()
	var tn, td time.Duration
	timed := func(f func() error, total *time.Duration) {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*total += time.Since(start)
	}
	for b.Loop() {
		timed(num, &tn)
		timed(den, &td)
	}
	b.ReportMetric(float64(tn)/float64(td), unit)
}
