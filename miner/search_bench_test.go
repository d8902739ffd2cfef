package miner

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSearch mines the bench block (difficulty 64, so never found) for
// exactly b.N nonces through Start, on 1 worker and on every core. One op is
// one attempt; allocations are per search, so allocs/op rounds to 0.
func BenchmarkSearch(b *testing.B) {
	tmpl := BenchBlock()
	for _, workers := range []int{1, 0} {
		name := fmt.Sprintf("workers=%d", workers)
		if workers == 0 {
			name = "workers=all"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			s, err := Start(context.Background(), tmpl, Config{Difficulty: 64, Workers: workers, Limit: int64(b.N)})
			if err != nil {
				b.Fatal(err)
			}
			var done Done
			for ev := range s.Events() {
				if d, ok := ev.(Done); ok {
					done = d
				}
			}
			if done.Attempts != uint64(b.N) {
				b.Fatalf("%d attempts, want %d", done.Attempts, b.N)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/attempt")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "MH/s")
		})
	}
}

// BenchmarkWorkerScan runs one worker's scan loop directly (no goroutines,
// no reporter) over b.N nonces: the hot loop's cost and its allocations,
// which must be 0.
func BenchmarkWorkerScan(b *testing.B) {
	cfg, err := Config{Difficulty: 64, Workers: 1}.normalize()
	if err != nil {
		b.Fatal(err)
	}
	r := newRun(BenchBlock(), cfg, 0)
	w := newWorker(r, 0)
	// Build the layouts the run will use before timing.
	for d := 1; d <= 12; d++ {
		if _, err := r.layout(d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	w.scan(1e9, 1e9+int64(b.N))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/attempt")
}
