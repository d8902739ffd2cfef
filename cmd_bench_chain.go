package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"blockscope/blockchain"
	"blockscope/miner"
)

// benchChainBatch is how many blocks go to the store in one durable write.
const benchChainBatch = 8192

// benchChainTxs is how many transactions each generated block holds.
const benchChainTxs = 3

// runBenchChain is blockscope bench --chain N --out PATH: it mines a valid
// chain of n blocks (the genesis and n-1 blocks of three transactions at the
// seed's difficulty) and writes it as a dump ({"length", "chain", "peers"})
// when out ends in .json or is "-" (standard output), else as a store in
// directory out, which must not hold a chain yet.
func runBenchChain(ctx context.Context, n int64, out string, workers int, stdout, stderr io.Writer) int {
	if workers == 0 {
		// A block takes ~256 attempts: waking other workers for each
		// costs more than the attempts themselves.
		workers = 1
	}
	start := time.Now()
	var err error
	if out == "-" || strings.HasSuffix(out, ".json") {
		err = writeBenchDump(ctx, n, out, workers, stdout)
	} else {
		err = writeBenchStore(ctx, n, out, workers)
	}
	if err != nil {
		fmt.Fprintf(stderr, "blockscope bench: %v\n", err)
		return 1
	}
	took := time.Since(start)
	fmt.Fprintf(stderr, "blockscope bench: wrote %d blocks to %s in %.1f s (%.0f blocks/s, %d mining workers)\n",
		n, out, took.Seconds(), float64(n)/took.Seconds(), workers)
	return 0
}

// writeBenchStore mines the chain into a new store in dir.
func writeBenchStore(ctx context.Context, n int64, dir string, workers int) error {
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		return err
	}
	defer store.Close()
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil {
		return err
	}
	if chain.Len() != 1 {
		return fmt.Errorf("%s already holds a chain of %d blocks: give a new directory", filepath.Join(dir, blockchain.StoreFileName), chain.Len())
	}
	batch := make([]*blockchain.Block, 0, benchChainBatch)
	err = mineBenchChain(ctx, n, workers, func(b *blockchain.Block) error {
		if batch = append(batch, b); len(batch) == benchChainBatch {
			err := chain.Extend(batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return chain.Extend(batch)
}

// writeBenchDump mines the chain into a dump file (or stdout for "-").
func writeBenchDump(ctx context.Context, n int64, path string, workers int, stdout io.Writer) (err error) {
	w := stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, `{"length": %d, "chain": [`, n)
	bw.Write(blockchain.Genesis().WireJSON())
	err = mineBenchChain(ctx, n, workers, func(b *blockchain.Block) error {
		bw.WriteString(", ")
		_, err := bw.Write(b.WireJSON())
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString(`], "peers": []}`)
	return bw.Flush()
}

// mineBenchChain mines blocks 1 to n-1 on the genesis and gives each to
// emit in order. Each block is mined by the miner's kernels, as the seed
// mines (the smallest nonce from 0 that meets the difficulty).
func mineBenchChain(ctx context.Context, n int64, workers int, emit func(*blockchain.Block) error) error {
	cfg := miner.Config{Difficulty: blockchain.SeedDifficulty, Workers: workers}
	tip := blockchain.Genesis()
	for h := int64(1); h < n; h++ {
		tmpl, err := blockchain.NewBlock(h, benchTransactions(h), 1764000000.5+float64(h), tip.Hash(), 0)
		if err != nil {
			return err
		}
		if tip, err = miner.Mine(ctx, tmpl, cfg); err != nil {
			return err
		}
		if err := emit(tip); err != nil {
			return err
		}
	}
	return nil
}

// benchTransactions returns the transactions of generated block h.
func benchTransactions(h int64) []any {
	txs := make([]any, benchChainTxs)
	for i := range txs {
		txs[i] = map[string]any{
			"author":    "author-" + strconv.Itoa(i),
			"content":   "transaction " + strconv.Itoa(i) + " of block " + strconv.FormatInt(h, 10),
			"timestamp": 1764000000.0 + float64(h) + float64(i)*0.125,
		}
	}
	return txs
}
