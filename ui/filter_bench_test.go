//go:build unix

package ui

import (
	"context"
	"os"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/internal/cputime"
)

// BenchmarkFilterStored filters the store named by BLOCKSCOPE_BENCH_STORE
// (one made by `blockscope bench --chain N --out DIR`) for a text no block
// holds, the whole chain each time, and reports the CPU time a scan takes:
// the machine is shared, and its load stretches the wall time.
func BenchmarkFilterStored(b *testing.B) {
	dir := os.Getenv("BLOCKSCOPE_BENCH_STORE")
	if dir == "" {
		b.Skip("BLOCKSCOPE_BENCH_STORE names no store")
	}
	s, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c, err := blockchain.OpenChain(s, blockchain.ChainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if err := c.WaitCheck(context.Background()); err != nil {
		b.Fatal(err)
	}
	cpu := processCPU()
	for b.Loop() {
		var search filterSearch
		scanChain(context.Background(), 1, "zqzq", c, &search)()
		if search.searched.Load() != int64(c.Len()) {
			b.Fatalf("searched %d of %d blocks", search.searched.Load(), c.Len())
		}
	}
	b.ReportMetric((processCPU()-cpu).Seconds()*1000/float64(b.N), "cpu-ms/scan")
	b.ReportMetric(float64(c.Len()), "blocks")
}

// processCPU is the CPU time this process has used (cputime.Process), zero
// where the platform does not report it.
func processCPU() time.Duration {
	d, _ := cputime.Process()
	return d
}
