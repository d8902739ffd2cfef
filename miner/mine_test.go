package miner

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/goleak"
)

func TestMine(t *testing.T) {
	defer goleak.VerifyNone(t)
	v := loadVectors(t)[2] // three transactions: first nonce 328 at difficulty 2
	b, err := Mine(context.Background(), v.block, Config{Difficulty: 2, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if b.Nonce() != 328 {
		t.Fatalf("nonce %d, want the seed's 328", b.Nonce())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Mine(ctx, v.block, Config{Difficulty: 64, Workers: 2}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled search: %v, want context.Canceled", err)
	}
	if _, err := Mine(context.Background(), v.block, Config{Difficulty: 64, Workers: 1, Limit: 1000}); err == nil {
		t.Fatal("a search that exhausts its limit returned no error")
	}
	if _, err := Mine(context.Background(), v.block, Config{Difficulty: 0}); err == nil {
		t.Fatal("a bad config returned no error")
	}
}
