package blockchain

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// seedPowBlock is the fixed block of ../shared/reference/seed_pow.py with
// nTx transactions, so figures here compare with the seed's on the same bytes.
func seedPowBlock(tb testing.TB, nTx int) *Block {
	tb.Helper()
	txs := make([]any, nTx)
	for i := range txs {
		txs[i] = map[string]any{
			"author":    fmt.Sprintf("author-%d", i),
			"content":   fmt.Sprintf("transaction number %d of the benchmark block", i),
			"timestamp": 1764000000.0 + float64(i) + 0.125,
		}
	}
	b, err := NewBlock(1, txs, 1764000100.5, GenesisHash, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func BenchmarkCanonicalBlock(b *testing.B) {
	blk := seedPowBlock(b, 3)
	fields := blk.Map()
	delete(fields, "hash")
	b.Run("preimage", func(b *testing.B) {
		buf := make([]byte, 0, 1024)
		b.SetBytes(int64(len(blk.Preimage())))
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if buf, err = AppendCanonical(buf[:0], fields); err != nil {
				b.Fatal(err)
			}
		}
		if string(buf) != string(blk.Preimage()) {
			b.Fatalf("map encoding differs from the block's preimage:\n%s\n%s", buf, blk.Preimage())
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
	})
	b.Run("NewBlock", func(b *testing.B) {
		b.SetBytes(int64(len(blk.Preimage())))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewBlock(1, blk.Transactions(), blk.Timestamp(), GenesisHash, 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
	})
	b.Run("WireJSON", func(b *testing.B) {
		b.SetBytes(int64(len(blk.WireJSON())))
		b.ReportAllocs()
		for b.Loop() {
			_ = blk.WireJSON()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "blocks/s")
	})
}

// benchData caches what the big benchmarks share across their b.N rounds:
// a chain mined at the seed's difficulty and stores written from it.
var benchData struct {
	mu     sync.Mutex
	blocks []*Block
	dir    string         // removed by removeBenchData
	stores map[int]string // chain length -> store directory
}

// benchChain returns a valid chain of n blocks (the genesis and n-1 mined at
// difficulty 2, three transactions each), built once: each block takes about
// 256 attempts with Mine.
func benchChain(b *testing.B, n int) []*Block {
	b.Helper()
	benchData.mu.Lock()
	defer benchData.mu.Unlock()
	if len(benchData.blocks) == 0 {
		benchData.blocks = []*Block{Genesis()}
	}
	start := time.Now()
	for len(benchData.blocks) < n {
		tip := benchData.blocks[len(benchData.blocks)-1]
		h := tip.Index() + 1
		txs := make([]any, 3)
		for i := range txs {
			txs[i] = map[string]any{
				"author":    fmt.Sprintf("author-%d", i),
				"content":   fmt.Sprintf("transaction %d of block %d", i, h),
				"timestamp": 1764000000.0 + float64(h) + float64(i)*0.125,
			}
		}
		tmpl, err := NewBlock(h, txs, 1764000000.5+float64(h), tip.Hash(), 0)
		if err != nil {
			b.Fatal(err)
		}
		mined, err := Mine(context.Background(), tmpl, SeedDifficulty)
		if err != nil {
			b.Fatal(err)
		}
		benchData.blocks = append(benchData.blocks, mined)
	}
	if d := time.Since(start); d > time.Second {
		b.Logf("mined %d blocks for the benchmark in %s", n, d.Round(time.Millisecond))
	}
	return benchData.blocks[:n]
}

// benchStore returns the directory of a store holding the first n blocks of
// benchChain, written once in a single bbolt transaction.
func benchStore(b *testing.B, n int) string {
	b.Helper()
	blocks := benchChain(b, n)
	benchData.mu.Lock()
	defer benchData.mu.Unlock()
	if dir, ok := benchData.stores[n]; ok {
		return dir
	}
	if benchData.dir == "" {
		dir, err := os.MkdirTemp("", "blockscope-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchData.dir = dir
		benchData.stores = map[int]string{}
	}
	dir := filepath.Join(benchData.dir, fmt.Sprint(n))
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	if _, err := s.replace(0, blocks, nil, nil); err != nil {
		b.Fatal(err)
	}
	info, err := os.Stat(s.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote a %d-block store (%.1f MiB) in %s", n, float64(info.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
	benchData.stores[n] = dir
	return dir
}

// removeBenchData deletes the stores the benchmarks wrote; TestMain calls it.
func removeBenchData() {
	benchData.mu.Lock()
	defer benchData.mu.Unlock()
	if benchData.dir != "" {
		os.RemoveAll(benchData.dir)
	}
}

// BenchmarkValidateChain validates a 100,000-block chain and compares the
// speed with raw sha256.Sum256 over the same preimages, timed in the same
// benchmark. "parsed" is ValidateChain over blocks in memory, which compute
// their hash once when built; "wire" includes building them from the JSON a
// peer or the store gives (ParseBlock: decode, canonical encode, hash).
func BenchmarkValidateChain(b *testing.B) {
	const n = 100_000
	blocks := benchChain(b, n)
	wire := make([][]byte, n)
	for i, blk := range blocks {
		wire[i] = blk.WireJSON()
	}
	var sink [32]byte
	// shaTime hashes every preimage, as a validator must at least do.
	shaTime := func() time.Duration {
		start := time.Now()
		for _, blk := range blocks {
			sink = sha256.Sum256(blk.Preimage())
		}
		return time.Since(start)
	}
	run := func(b *testing.B, validate func() error) {
		var val, sha time.Duration
		rounds := 0
		for b.Loop() {
			start := time.Now()
			if err := validate(); err != nil {
				b.Fatal(err)
			}
			val += time.Since(start)
			b.StopTimer()
			sha += shaTime()
			rounds++
			b.StartTimer()
		}
		blocksPerSec := float64(rounds*n) / val.Seconds()
		shaPerSec := float64(rounds*n) / sha.Seconds()
		b.ReportMetric(blocksPerSec, "blocks/s")
		b.ReportMetric(shaPerSec, "sha256-blocks/s")
		b.ReportMetric(blocksPerSec/shaPerSec, "ratio-to-sha256")
	}
	b.Run("parsed", func(b *testing.B) {
		run(b, func() error { return ValidateChain(blocks, SeedDifficulty) })
	})
	b.Run("wire", func(b *testing.B) {
		parsed := make([]*Block, n)
		run(b, func() error {
			for i, w := range wire {
				blk, err := ParseBlock(w)
				if err != nil {
					return err
				}
				parsed[i] = blk
			}
			return ValidateChain(parsed, SeedDifficulty)
		})
	})
	_ = sink
}

// BenchmarkAddTransaction measures durable AddTransaction on a store: one
// writer pays a full fsync per transaction; concurrent writers share them.
func BenchmarkAddTransaction(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			s, err := OpenStore(b.TempDir(), StoreOptions{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			c, err := OpenChain(s, ChainOptions{})
			if err != nil {
				b.Fatal(err)
			}
			tx := map[string]any{"author": "bench", "content": "pay bob 5"}
			start := time.Now()
			if writers == 1 {
				for b.Loop() {
					if _, err := c.AddTransaction(tx); err != nil {
						b.Fatal(err)
					}
				}
			} else {
				// RunParallel starts parallelism x GOMAXPROCS goroutines.
				b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := c.AddTransaction(tx); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tx/s")
		})
	}
}
