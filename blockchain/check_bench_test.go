package blockchain

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"blockscope/internal/cputime"
	"blockscope/internal/sha256x4"
)

// benchStoreEnv points the store benchmarks at a store made by
// `blockscope bench --chain N --out DIR` instead of one mined here: how the
// figures at a million blocks are taken.
const benchStoreEnv = "BLOCKSCOPE_BENCH_STORE"

// checkBenchStores returns the stores the check benchmarks run on, by name.
func checkBenchStores(b *testing.B) map[string]string {
	if dir := os.Getenv(benchStoreEnv); dir != "" {
		return map[string]string{"store": dir}
	}
	return map[string]string{"10k": benchStore(b, 10_000)}
}

// storedPreimages reads every stored preimage of the store in dir.
func storedPreimages(b *testing.B, dir string) [][]byte {
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n, err := s.blockCount()
	if err != nil {
		b.Fatal(err)
	}
	out := make([][]byte, 0, n)
	err = s.scan(0, n, func(sb *StoredBlock) error {
		out = append(out, append([]byte(nil), sb.Preimage...))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// parallelSHA256 hashes every preimage once on every core and returns the
// time it took: the speed the check is held to.
func parallelSHA256(preimages [][]byte) time.Duration {
	workers := runtime.GOMAXPROCS(0)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(preimages); i += workers {
				sha256.Sum256(preimages[i])
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// parallelSums is parallelSHA256 with the check's own four-message
// hashing: how much of the check's time is hashing at all.
func parallelSums(preimages [][]byte) time.Duration {
	workers := runtime.GOMAXPROCS(0)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sums [4][32]byte
			for lo := 4 * w; lo < len(preimages); lo += 4 * workers {
				sha256x4.Sums(preimages[lo:min(lo+4, len(preimages))], sums[:])
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkCheckStored opens a stored chain and waits for the background
// check of every block, on every core, and compares its speed with
// SHA-256 over the same stored preimages on every core, timed in the same
// run: the ratio of wall times is the figure, and the ratio of CPU times
// says the same where the machine is shared and loaded. The check hashes
// four preimages at once (blockscope/internal/sha256x4) where
// crypto/sha256 hashes one: cpu-ratio-to-sha256x4 compares it with that
// hashing alone over the same preimages, which is the cost of everything
// else the check does (the store's cursor, reading through the memory map,
// the links).
func BenchmarkCheckStored(b *testing.B) {
	for name, dir := range checkBenchStores(b) {
		b.Run(name, func(b *testing.B) {
			preimages := storedPreimages(b, dir)
			folios, foliosKnown := largeFolioShare(filepath.Join(dir, StoreFileName))
			var bytes int64
			for _, p := range preimages {
				bytes += int64(len(p))
			}
			old := SyncCheckLimit
			SyncCheckLimit = 0
			defer func() { SyncCheckLimit = old }()
			var check, sha, checkCPU, shaCPU, x4CPU time.Duration
			for b.Loop() {
				start, cpu := time.Now(), processCPU()
				s, err := OpenStore(dir, StoreOptions{})
				if err != nil {
					b.Fatal(err)
				}
				c, err := OpenChain(s, ChainOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if err := c.WaitCheck(context.Background()); err != nil {
					b.Fatal(err)
				}
				check += time.Since(start)
				checkCPU += processCPU() - cpu
				s.Close()
				b.StopTimer()
				cpu = processCPU()
				sha += parallelSHA256(preimages)
				shaCPU += processCPU() - cpu
				cpu = processCPU()
				parallelSums(preimages)
				x4CPU += processCPU() - cpu
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(len(preimages))*n/check.Seconds(), "blocks/s")
			b.ReportMetric(float64(bytes)*n/check.Seconds()/1e6, "MB/s")
			b.ReportMetric(float64(bytes)*n/sha.Seconds()/1e6, "sha256-MB/s")
			b.ReportMetric(sha.Seconds()/check.Seconds(), "ratio-to-sha256")
			if checkCPU > 0 {
				// The same ratio in CPU time, which the machine's load
				// does not skew.
				b.ReportMetric(shaCPU.Seconds()/checkCPU.Seconds(), "cpu-ratio-to-sha256")
				b.ReportMetric(x4CPU.Seconds()/checkCPU.Seconds(), "cpu-ratio-to-sha256x4")
			}
			if foliosKnown {
				// How the store's file sat in the page cache, which the
				// figure depends on (see largeFolioShare).
				b.ReportMetric(100*folios, "large-folio-%")
			}
		})
	}
}

// BenchmarkOpenStoredChain opens a stored chain as a restart does, up to
// the point where it answers (the check goes on in the background), and
// reports the heap the open chain holds once its check is done.
func BenchmarkOpenStoredChain(b *testing.B) {
	for name, dir := range checkBenchStores(b) {
		b.Run(name, func(b *testing.B) {
			var heap uint64
			var length int
			for b.Loop() {
				s, err := OpenStore(dir, StoreOptions{})
				if err != nil {
					b.Fatal(err)
				}
				c, err := OpenChain(s, ChainOptions{})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := c.WaitCheck(context.Background()); err != nil {
					b.Fatal(err)
				}
				for h := int64(c.Len()) - 1; h >= max(int64(c.Len())-100, 0); h-- {
					c.Block(h) // a screenful, cached
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap, length = ms.HeapInuse, c.Len()
				runtime.KeepAlive(c)
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/open")
			b.ReportMetric(float64(heap)/1e6, "heap-MB")
			b.ReportMetric(float64(length), "blocks")
		})
	}
}

// processCPU is the CPU time this process has used (cputime.Process), zero
// where the platform does not report it.
func processCPU() time.Duration {
	d, _ := cputime.Process()
	return d
}
