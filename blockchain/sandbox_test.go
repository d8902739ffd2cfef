package blockchain

import (
	"context"
	"errors"
	"testing"
)

// threeBlockChain returns a memory chain with blocks 1..3, one transaction each.
func threeBlockChain(t *testing.T) *Chain {
	t.Helper()
	c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	for _, content := range []string{"one", "two", "three"} {
		addTx(t, c, "alice", content)
		mineNext(t, c)
	}
	return c
}

func TestSandboxTamperAndRemine(t *testing.T) {
	real := threeBlockChain(t)
	before := allBlocks(real)
	s := NewSandbox(allBlocks(real), real.Difficulty())
	if s.FirstInvalid() != -1 || s.Dirty() {
		t.Fatal("a fresh sandbox must be valid and clean")
	}
	if err := s.Edit(0, nil, Int("0"), 0); !errors.Is(err, ErrGenesisImmutable) {
		t.Fatalf("editing the genesis: %v", err)
	}
	b1 := s.Block(1)
	forged := []any{map[string]any{"author": "mallory", "content": "pay mallory 1000", "timestamp": 1764000000.5}}
	if err := s.Edit(1, forged, b1.Timestamp(), b1.Nonce()); err != nil {
		t.Fatal(err)
	}
	checks := s.Checks()
	if !checks[0].Valid() {
		t.Fatal("genesis turned invalid")
	}
	for i := 1; i <= 3; i++ {
		if checks[i].Valid() {
			t.Fatalf("block %d still valid after tampering with block 1: %+v", i, checks[i])
		}
	}
	if checks[2].Links {
		t.Fatal("block 2 still links to the edited block 1")
	}
	if !checks[3].Links || !checks[3].ParentInvalid {
		t.Fatalf("block 3 links to block 2 but sits on an invalid parent: %+v", checks[3])
	}
	if fc := s.Compare(allBlocks(real), s.FirstInvalid()); fc.Verdict != ForkInvalid || fc.Valid() {
		t.Fatalf("comparison of an invalid fork: %+v", fc)
	}
	for n := 0; s.FirstInvalid() >= 0; n++ {
		tmpl, err := s.TemplateAt(s.FirstInvalid())
		if err != nil {
			t.Fatal(err)
		}
		if n > 3 {
			t.Fatal("re-mining does not converge")
		}
		mined, err := Mine(context.Background(), tmpl, real.Difficulty())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Remined(mined, uint64(mined.Nonce()+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ValidateChain(s.Blocks(), 2); err != nil {
		t.Fatalf("re-mined sandbox invalid: %v", err)
	}
	if TxContent(s.Block(1).Transactions()[0]) != "pay mallory 1000" {
		t.Fatal("re-mining lost the forged transaction")
	}
	if fc := s.Compare(allBlocks(real), s.FirstInvalid()); fc.Verdict != ForkNotLonger || !fc.Valid() {
		t.Fatalf("valid fork of equal length must lose: %+v", fc)
	}
	tmpl, _ := NewBlock(4, nil, 1764000100.5, s.Block(3).Hash(), 0)
	extra, _ := Mine(context.Background(), tmpl, 2)
	if err := s.ExtendWith(extra, 1); err != nil {
		t.Fatal(err)
	}
	if fc := s.Compare(allBlocks(real), s.FirstInvalid()); fc.Verdict != ForkAdopted {
		t.Fatalf("valid longer fork must win: %+v", fc)
	}
	after := allBlocks(real)
	for i := range before {
		if before[i].Hash() != after[i].Hash() {
			t.Fatalf("the real chain changed at block %d", i)
		}
	}
	if blocks, _ := s.Work(); blocks != 4 || !s.Dirty() {
		t.Fatalf("work tally %d blocks", blocks)
	}
}
