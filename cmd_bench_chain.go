package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"blockscope/blockchain"
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
		// costs about as much as the attempts themselves.
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
// emit in order. Blocks are mined as the seed mines (the first nonce from 0
// that meets the difficulty), the nonces of a block shared among workers.
func mineBenchChain(ctx context.Context, n int64, workers int, emit func(*blockchain.Block) error) error {
	pool := newNonceSearch(workers)
	defer pool.close()
	tip := blockchain.Genesis()
	for h := int64(1); h < n; h++ {
		if h&1023 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tmpl, err := blockchain.NewBlock(h, benchTransactions(h), 1764000000.5+float64(h), tip.Hash(), 0)
		if err != nil {
			return err
		}
		prefix, suffix := tmpl.NonceSplit()
		tip = tmpl.WithNonce(pool.first(prefix, suffix, blockchain.SeedDifficulty))
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

// nonceSearch finds the first nonce meeting a difficulty with workers that
// stay up between blocks: a block at the seed's difficulty takes ~256
// attempts, too few to start goroutines for.
type nonceSearch struct {
	workers int
	buf     []byte // the one worker's, when there is one
	jobs    []chan nonceJob
	wg      sync.WaitGroup
}

type nonceJob struct {
	prefix, suffix []byte
	difficulty     int
	best           *atomic.Int64
	done           *sync.WaitGroup
}

func newNonceSearch(workers int) *nonceSearch {
	s := &nonceSearch{workers: workers}
	if workers == 1 {
		return s // searched in the caller's goroutine
	}
	for w := range workers {
		jobs := make(chan nonceJob, 1)
		s.jobs = append(s.jobs, jobs)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			buf := make([]byte, 0, 1024)
			for job := range jobs {
				searchNonces(job, int64(w), int64(workers), buf)
				job.done.Done()
			}
		}()
	}
	return s
}

// first returns the least nonce from 0 whose preimage prefix+nonce+suffix
// meets difficulty. Worker w tries w, w+workers, ... and stops past the
// least nonce found so far, so the result is the seed's nonce.
func (s *nonceSearch) first(prefix, suffix []byte, difficulty int) int64 {
	var best atomic.Int64
	best.Store(math.MaxInt64)
	if s.workers == 1 {
		s.buf = searchNonces(nonceJob{prefix: prefix, suffix: suffix, difficulty: difficulty, best: &best}, 0, 1, s.buf)
		return best.Load()
	}
	var done sync.WaitGroup
	done.Add(s.workers)
	for _, jobs := range s.jobs {
		jobs <- nonceJob{prefix: prefix, suffix: suffix, difficulty: difficulty, best: &best, done: &done}
	}
	done.Wait()
	return best.Load()
}

func searchNonces(job nonceJob, start, step int64, buf []byte) []byte {
	buf = append(buf[:0], job.prefix...)
	for nonce := start; nonce < job.best.Load(); nonce += step {
		buf = strconv.AppendInt(buf[:len(job.prefix)], nonce, 10)
		buf = append(buf, job.suffix...)
		sum := sha256.Sum256(buf)
		if blockchain.MeetsDifficulty(&sum, job.difficulty) {
			for {
				cur := job.best.Load()
				if nonce >= cur || job.best.CompareAndSwap(cur, nonce) {
					return buf
				}
			}
		}
	}
	return buf
}

func (s *nonceSearch) close() {
	for _, jobs := range s.jobs {
		close(jobs)
	}
	s.wg.Wait()
}
