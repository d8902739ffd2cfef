package blockchain

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestPoolBounds(t *testing.T) {
	tx := func(i int) map[string]any {
		return map[string]any{"author": "a", "content": fmt.Sprintf("tx %04d %s", i, strings.Repeat("x", 100))}
	}
	size := func(i int) int64 {
		c, err := Canonical(stampedAt(tx(i)))
		if err != nil {
			t.Fatal(err)
		}
		return int64(len(c))
	}
	tests := []struct {
		name     string
		opts     ChainOptions
		accepted int
	}{
		{"count", ChainOptions{MaxPendingCount: 3}, 3},
		{"bytes", ChainOptions{MaxPendingBytes: 3*size(0) + size(0)/2}, 3},
		{"defaults", ChainOptions{}, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Clock = fixedClock()
			c := NewMemoryChain(tt.opts)
			for i := range tt.accepted {
				if _, err := c.AddTransaction(tx(i)); err != nil {
					t.Fatalf("tx %d: %v", i, err)
				}
			}
			if tt.accepted == 10 {
				return
			}
			_, err := c.AddTransaction(tx(99))
			var pf *PoolFullError
			if !errors.As(err, &pf) || !strings.Contains(err.Error(), "pending pool is full") {
				t.Fatalf("beyond the bound: %v, want a PoolFullError", err)
			}
			var te *TransactionError
			if errors.As(err, &te) {
				t.Fatal("a full pool is not the transaction's fault")
			}
			mineNext(t, c)
			if _, err := c.AddTransaction(tx(99)); err != nil {
				t.Fatalf("after mining the pool: %v", err)
			}
		})
	}
}

// stampedAt is tx with a timestamp of the width NewTransaction gives.
func stampedAt(tx map[string]any) map[string]any {
	out := map[string]any{"timestamp": 1764000001.123456}
	for k, v := range tx {
		out[k] = v
	}
	return out
}

func TestPoolBoundHoldsUnderConcurrency(t *testing.T) {
	const limit, writers = 10, 64
	c := NewMemoryChain(ChainOptions{MaxPendingCount: limit})
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted, full := 0, 0
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.AddTransaction(map[string]any{"author": "a", "content": fmt.Sprint(i)})
			var pf *PoolFullError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				accepted++
			case errors.As(err, &pf):
				full++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if accepted != limit || full != writers-limit || len(c.Pending()) != limit {
		t.Fatalf("accepted %d, refused %d, pending %d; want %d, %d, %d", accepted, full, len(c.Pending()), limit, writers-limit, limit)
	}
}

// TestFullPoolMiningMemory bounds what assembling, mining, appending and
// encoding a block of a full pool allocates, as a multiple of the block's
// wire size: a few copies of the block, not a copy per transaction.
func TestFullPoolMiningMemory(t *testing.T) {
	const count = 20_000
	c := NewMemoryChain(ChainOptions{MaxPendingCount: count, Clock: fixedClock()})
	for i := range count {
		if _, err := c.AddTransaction(map[string]any{"author": "load", "content": fmt.Sprintf("transaction %d of a full pool", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.AddTransaction(map[string]any{"author": "load", "content": "one more"}); err == nil {
		t.Fatal("the full pool took one more transaction")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tmpl, err := c.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Mine(context.Background(), tmpl, c.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	wire := b.WireJSON()
	runtime.ReadMemStats(&after)
	ratio := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(wire))
	t.Logf("block of %d transactions: %d bytes on the wire, %.1fx allocated", count, len(wire), ratio)
	if ratio > 8 {
		t.Fatalf("mining the block allocated %.1fx its wire size, want at most 8x", ratio)
	}
}
