package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"blockscope/blockchain"
)

// verifyDumps caches the dumps BenchmarkVerify checks: mining 100,000 blocks
// takes a few seconds, once per test binary.
var verifyDumps struct {
	sync.Mutex
	byLen map[int][]byte
}

// benchDump returns the /chain answer of a valid n-block chain whose blocks
// carry three transactions each, like the seed's usual blocks.
func benchDump(b *testing.B, n int) []byte {
	b.Helper()
	verifyDumps.Lock()
	defer verifyDumps.Unlock()
	if d, ok := verifyDumps.byLen[n]; ok {
		return d
	}
	blocks := []*blockchain.Block{blockchain.Genesis()}
	for h := int64(1); h < int64(n); h++ {
		txs := make([]any, 3)
		for i := range txs {
			txs[i] = map[string]any{
				"author":    fmt.Sprintf("author-%d", i),
				"content":   fmt.Sprintf("transaction %d of block %d", i, h),
				"timestamp": 1764000000.0 + float64(h) + float64(i)*0.125,
			}
		}
		tmpl, err := blockchain.NewBlock(h, txs, 1764000000.5+float64(h), blocks[h-1].Hash(), 0)
		if err != nil {
			b.Fatal(err)
		}
		mined, err := blockchain.Mine(context.Background(), tmpl, blockchain.SeedDifficulty)
		if err != nil {
			b.Fatal(err)
		}
		blocks = append(blocks, mined)
	}
	out := fmt.Appendf(nil, `{"length": %d, "chain": [`, n)
	for i, blk := range blocks {
		if i > 0 {
			out = append(out, ", "...)
		}
		out = append(out, blk.WireJSON()...)
	}
	out = append(out, `], "peers": []}`...)
	if verifyDumps.byLen == nil {
		verifyDumps.byLen = map[int][]byte{}
	}
	verifyDumps.byLen[n] = out
	return out
}

// BenchmarkVerify is blockscope verify's work on a dump already read: decode,
// judge every block, report. blocks/s is the figure the README quotes.
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("blocks=%d", n), func(b *testing.B) {
			dump := benchDump(b, n)
			var elapsed time.Duration
			rounds := 0
			for b.Loop() {
				start := time.Now()
				r := verifyDump(dump, blockchain.SeedDifficulty)
				elapsed += time.Since(start)
				if len(r.Problems) > 0 || r.Blocks != n {
					b.Fatalf("%d blocks, problems %q", r.Blocks, r.Problems)
				}
				rounds++
			}
			b.ReportMetric(float64(rounds*n)/elapsed.Seconds(), "blocks/s")
			b.ReportMetric(float64(len(dump))*float64(rounds)/elapsed.Seconds()/(1<<20), "MiB/s")
		})
	}
}
