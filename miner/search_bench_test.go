package miner

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"blockscope/internal/cputime"
)

// BenchmarkSearch mines the bench block (difficulty 64, so never found) for
// exactly b.N nonces through Start, on 1 worker and on every core. One op is
// one attempt; allocations are per search, so allocs/op rounds to 0. The
// process's CPU time per attempt (cpu-ns/attempt) compares runs on a shared
// machine: two workers that scale perfectly cost what one does.
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
			cpu0, cpuOK := cputime.Process()
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
			if cpu1, _ := cputime.Process(); cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/attempt")
			}
		})
	}
}

// BenchmarkWorkerScan runs one worker's scan loop directly (no goroutines,
// no reporter) over b.N nonces with each kernel: the hot loop's cost and its
// allocations, which must be 0. On Linux it also reports the thread's CPU
// time per attempt, which other processes on a shared machine do not
// inflate as they do the wall time.
func BenchmarkWorkerScan(b *testing.B) {
	for _, k := range kernels {
		b.Run(k.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			w := scanWorker(b, k)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, ok := threadCPUTime()
			w.scan(1e9, 1e9+int64(b.N))
			cpu1, _ := threadCPUTime()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/attempt")
			if ok {
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/attempt")
			}
		})
	}
}

// scanWorker returns a worker of a search of the bench block that never
// finds, using kernel k, with the layouts it will use already built.
func scanWorker(t testing.TB, k kernel) *worker {
	cfg, err := Config{Difficulty: 64, Workers: 1, Kernel: k.name}.normalize()
	if err != nil {
		t.Fatal(err)
	}
	r := newRun(BenchBlock(), cfg, 0)
	if err := r.chooseKernel(); err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 12; d++ {
		if _, err := r.layout(d); err != nil {
			t.Fatal(err)
		}
	}
	return newWorker(r, 0)
}

// TestScanDoesNotAllocate holds the hot loop to zero allocations with every
// kernel, across a digit-count boundary.
func TestScanDoesNotAllocate(t *testing.T) {
	for _, k := range kernels {
		w := scanWorker(t, k)
		w.scan(99990, 100010) // the crypto/sha256 kernel grows its buffer once
		n := int64(999000)
		if got := testing.AllocsPerRun(3, func() { w.scan(n, n+2000); n += 2000 }); got != 0 {
			t.Errorf("kernel %s: %v allocations per scan", k.name, got)
		}
	}
}
