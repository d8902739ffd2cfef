package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blockscope/blockchain"
)

func TestBenchChainWritesAValidDumpAndStore(t *testing.T) {
	const n = 300
	dir := t.TempDir()
	dump := filepath.Join(dir, "chain.json")
	store := filepath.Join(dir, "store")
	for _, args := range [][]string{
		{"--chain", "300", "--out", dump},
		{"--chain", "300", "--workers", "2", "--out", store},
	} {
		var out, errOut bytes.Buffer
		if code := runBench(args, &out, &errOut); code != 0 {
			t.Fatalf("bench %v: exit %d: %s", args, code, errOut.String())
		}
	}
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	d, err := blockchain.ParseChainDump(data, blockchain.SeedDifficulty)
	if err != nil || d.Err() != nil || len(d.Blocks) != n || !d.LengthAgrees() {
		t.Fatalf("the dump: %v, %v, %d blocks", err, d.Err(), len(d.Blocks))
	}
	s, err := blockchain.OpenStore(store, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := blockchain.OpenChain(s, blockchain.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WaitCheck(context.Background()); err != nil || c.Len() != n {
		t.Fatalf("the store: %d blocks, check %v", c.Len(), err)
	}
	// Two workers find the seed's nonces too: the store is the dump.
	for h, want := range d.Blocks {
		got := c.Block(int64(h))
		if got == nil || !bytes.Equal(got.WireJSON(), want.WireJSON()) {
			t.Fatalf("block %d of the store differs from the dump's", h)
		}
		if h > 0 && len(got.Transactions()) != 3 {
			t.Fatalf("block %d has %d transactions, want 3", h, len(got.Transactions()))
		}
	}
	s.Close()
	var out, errOut bytes.Buffer
	if code := runBench([]string{"--chain", "10", "--out", store}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "already holds") {
		t.Fatalf("bench into a used store: exit %d, %s", code, errOut.String())
	}
}

func TestBenchChainUsage(t *testing.T) {
	for _, args := range [][]string{{"--chain", "10"}, {"--out", "x.json"}, {"--chain", "-1", "--out", "x.json"}} {
		var out, errOut bytes.Buffer
		if code := runBench(args, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "--chain") {
			t.Errorf("bench %v: exit %d, %s", args, code, errOut.String())
		}
	}
}
