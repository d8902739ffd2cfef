package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"blockscope/blockchain"
)

// BenchmarkSyncRoundInSync measures a consensus round between two nodes
// that hold the same chain, on stores, over loopback: the CPU both sides
// spend (cpu-ms/round, the process's user and system time) and the bytes
// the answer carries.
func BenchmarkSyncRoundInSync(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("blocks=%d", n), func(b *testing.B) {
			storeA, chainA := openStoreChain(b, b.TempDir())
			defer storeA.Close()
			src := blockchain.NewMemoryChain(blockchain.ChainOptions{})
			growChain(b, src, "bench", n-1)
			if _, err := chainA.ReplaceFrom(chainBlocks(src)[1:]); err != nil {
				b.Fatal(err)
			}
			storeB, chainB := openStoreChain(b, b.TempDir())
			defer storeB.Close()
			a := startNode(b, chainA, storeA, Options{})
			nb := startNode(b, chainB, storeB, Options{})
			if _, err := nb.addPeer(a.url, "bench"); err != nil {
				b.Fatal(err)
			}
			if res, err := nb.Sync(context.Background()); err != nil || res.Length != n {
				b.Fatalf("first round: %+v, %v", res, err)
			}
			cpu := cpuTime(b)
			for b.Loop() {
				res, err := nb.Sync(context.Background())
				if err != nil || res.Adopted || res.Length != n {
					b.Fatalf("round in sync: %+v, %v", res, err)
				}
			}
			b.ReportMetric(float64(cpuTime(b)-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/round")
		})
	}
}
