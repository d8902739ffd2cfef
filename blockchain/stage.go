package blockchain

import (
	"errors"
	"fmt"
	"slices"
)

// ErrStageBusy is returned by StageFork while another fork is staged: the
// store holds one staged chain at a time.
var ErrStageBusy = errors.New("another peer's fork is being staged")

// errStageStale is returned by ForkStage.Switch when our chain was replaced
// below the fork while the stage was filled: the staged blocks below the
// fork are no longer ours.
var errStageStale = errors.New("our chain was replaced below the fork while the peer's was staged")

// Bounds of a stage's work, variables so that tests can make them small.
var (
	// stageCopyBytes is how much of our chain one staging write copies.
	stageCopyBytes = 8 << 20
	// deepRestoreBytes bounds the transactions of the blocks a staged
	// fork drops that may go back to the pending pool, in canonical
	// bytes, taken from the newest dropped blocks down (see Switch).
	// Decoded in the pool, 4 MiB of the bench chain's transactions
	// (~45,000) take ~50 MB.
	deepRestoreBytes = 4 << 20
)

// ForkStage is a peer's chain that leaves ours at a height below our tip
// and is too long to hold in memory until it makes a chain longer than
// ours. It is staged in the store as a whole candidate chain: our blocks
// below the fork, copied in batches, then the peer's blocks as they come,
// each batch one durable write, so no write's memory grows with the chain.
// Switch makes it our chain in one small atomic step once it is strictly
// longer. A crash leaves our old chain or the new one, never a mix; the
// store deletes a staging left behind when it is opened.
//
// One stage exists at a time (StageFork returns ErrStageBusy meanwhile).
// A ForkStage is for one goroutine; it runs alongside the chain's other
// readers and writers, and ends with Switch or Discard.
type ForkStage struct {
	chain  *Chain
	fork   int64  // the first height where the staged chain differs from ours
	length int64  // blocks staged, ours below the fork included
	tip    *Block // the staged block length-1
	// stale is set (under chain.write) when our chain is replaced below
	// fork: the staged blocks below it are no longer ours.
	stale bool
	ended bool
}

// StageFork starts staging blocks, the start of a peer's chain from the
// height blocks[0] where it leaves ours (at least 1, below our tip) on:
// they are judged as Judge does against our block below and each other,
// our blocks below the fork are copied into the stage, then blocks. On an
// error nothing stays staged. Like Replace, it waits for the start-up check
// and refuses on a damaged store.
func (c *Chain) StageFork(blocks []*Block) (*ForkStage, error) {
	if len(blocks) == 0 {
		return nil, errors.New("stage a fork: no blocks")
	}
	s, err := c.beginStage(blocks[0])
	if err != nil {
		return nil, err
	}
	for lo := int64(0); lo < s.fork && err == nil; {
		lo, err = c.store.stageCopy(lo, s.fork, stageCopyBytes)
	}
	if err == nil {
		err = s.stagePut(blocks, false)
	}
	if err != nil {
		if derr := s.Discard(); derr != nil {
			err = errors.Join(err, derr)
		}
		return nil, err
	}
	return s, nil
}

// beginStage judges first against our block below it and starts an empty
// staging for the fork there.
func (c *Chain) beginStage(first *Block) (*ForkStage, error) {
	c.write.Lock()
	defer c.write.Unlock()
	n, err := c.replaceableLength()
	if err != nil {
		return nil, err
	}
	fork := first.index
	if fork < 1 || fork >= n {
		return nil, &IndexError{Index: fork, Want: n - 1}
	}
	if c.stage != nil {
		return nil, ErrStageBusy
	}
	parent := c.Block(fork - 1)
	if parent == nil {
		return nil, fmt.Errorf("read our block %d: it is gone", fork-1)
	}
	if err := Judge(parent, first, c.floor); err != nil {
		return nil, err
	}
	if err := c.store.stageBegin(); err != nil {
		return nil, err
	}
	s := &ForkStage{chain: c, fork: fork, length: fork, tip: parent}
	c.stage = s
	return s, nil
}

// Add stages blocks, which must follow the staged ones under the consensus
// rules (else the RuleError naming the first bad block, and nothing of
// them is staged), in one durable write.
func (s *ForkStage) Add(blocks []*Block) error {
	if s.ended {
		return errors.New("stage blocks: the stage has ended")
	}
	return s.stagePut(blocks, true)
}

func (s *ForkStage) stagePut(blocks []*Block, judgeFirst bool) error {
	if len(blocks) == 0 {
		return nil
	}
	for i, b := range blocks {
		if i == 0 && !judgeFirst {
			continue
		}
		parent := s.tip
		if i > 0 {
			parent = blocks[i-1]
		}
		if err := Judge(parent, b, s.chain.floor); err != nil {
			return err
		}
	}
	sealed := make([]*Block, len(blocks))
	for i, b := range blocks {
		sealed[i] = b.Sealed()
	}
	if err := s.chain.store.stagePut(s.length, sealed); err != nil {
		return err
	}
	s.length += int64(len(sealed))
	s.tip = sealed[len(sealed)-1]
	return nil
}

// Fork returns the height where the staged chain leaves ours.
func (s *ForkStage) Fork() int64 { return s.fork }

// Tip returns the newest staged block.
func (s *ForkStage) Tip() *Block { return s.tip }

// Len returns the staged chain's length, our blocks below the fork
// included.
func (s *ForkStage) Len() int64 { return s.length }

// Discard deletes the stage; our chain stays as it is. It does nothing
// after Switch.
func (s *ForkStage) Discard() error {
	c := s.chain
	c.write.Lock()
	defer c.write.Unlock()
	if s.ended {
		return nil
	}
	s.ended = true
	c.stage = nil
	return c.store.stageDiscard()
}

// staleStageBelow marks the stage stale when our chain is replaced from
// height fork on and the stage holds our blocks there. The caller holds
// c.write.
func (c *Chain) staleStageBelow(fork int64) {
	if c.stage != nil && fork < c.stage.fork {
		c.stage.stale = true
	}
}

// Switch makes the staged chain ours when it is strictly longer (else
// ErrNotLonger, and the stage stays for more blocks), in one atomic,
// durable step, and moves transactions between the chains and the pending
// pool with memory bounded whatever the fork's depth:
//
//   - every pending transaction that the staged blocks from the fork on
//     hold leaves the pool (read block by block from the store), exactly
//     as Replace does;
//   - the transactions of our dropped blocks go back to the pool unless
//     the new chain holds them, as Replace does, but only those of the
//     newest dropped blocks, up to deepRestoreBytes of them: the older
//     ones were mined long ago and are not restored.
//
// It returns what changed and the transactions restored to the pool. On
// an error other than ErrNotLonger the stage is discarded.
func (s *ForkStage) Switch() (ReplaceResult, []PendingTx, error) {
	c := s.chain
	c.write.Lock()
	defer c.write.Unlock()
	if s.ended {
		return ReplaceResult{}, nil, errors.New("switch to a staged chain: the stage has ended")
	}
	n, err := c.replaceableLength()
	switch {
	case err == nil && s.stale:
		err = errStageStale
	case err == nil && s.length <= n:
		return ReplaceResult{}, nil, fmt.Errorf("%w (%d blocks against our %d)", ErrNotLonger, s.length, n)
	}
	var drop []uint64
	var restore, restored []PendingTx
	if err == nil {
		drop, restore, err = c.deepForkTransactions(s.fork, n, s.length)
	}
	if err == nil {
		restored, err = c.store.stageSwitch(s.length, s.fork, drop, restore)
	}
	s.ended = true
	c.stage = nil
	if err != nil {
		if derr := c.store.stageDiscard(); derr != nil {
			err = errors.Join(err, derr)
		}
		return ReplaceResult{}, nil, err
	}
	c.mu.Lock()
	c.length = s.length
	c.tip = s.tip
	c.cache.dropFrom(s.fork)
	c.removePendingLocked(drop)
	for _, p := range restored {
		c.insertPendingLocked(p)
	}
	c.mu.Unlock()
	c.notify()
	return ReplaceResult{ForkHeight: s.fork, Dropped: int(n - s.fork), Restored: len(restored)}, restored, nil
}

// deepForkTransactions returns the pending transactions that the staged
// blocks fork..length-1 take out of the pool and the transactions of our
// newest dropped blocks (below n) that go back to it (see Switch). The
// caller holds c.write.
func (c *Chain) deepForkTransactions(fork, n, length int64) (drop []uint64, restore []PendingTx, err error) {
	candidates, err := c.newestTransactions(fork, n, deepRestoreBytes)
	if err != nil {
		return nil, nil, err
	}
	want := map[string]int{}
	c.mu.RLock()
	for _, p := range c.pending {
		want[string(p.Canonical)]++
	}
	c.mu.RUnlock()
	for _, p := range candidates {
		want[string(p.Canonical)]++
	}
	// The staged blocks' transactions are matched as the texts their
	// preimages hold, which are their canonical bytes when clean: decoding
	// every block made the switch take 13 s at a million blocks, 2 s now.
	inNew := map[string]int{}
	count := func(tx []byte) {
		if n := want[string(tx)]; n > 0 && inNew[string(tx)] < n {
			inNew[string(tx)]++
		}
	}
	for lo := fork; lo < length && len(want) > 0; lo += scanChunk {
		err := c.store.stageScan(lo, min(lo+scanChunk, length), func(sb *StoredBlock) error {
			return transactionTexts(sb.Preimage, count)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read the staged chain's transactions: %w", err)
		}
	}
	drop, restore = c.moveTransactions(inNew, candidates)
	return drop, restore, nil
}

// newestTransactions returns the transactions of our blocks fork..n-1 that
// may go back to the pending pool (see restorable), in block order, from
// the newest blocks down until they hold limit canonical bytes.
func (c *Chain) newestTransactions(fork, n int64, limit int) ([]PendingTx, error) {
	var chunks [][]PendingTx // newest chunk first
	size := 0
	for hi := n; hi > fork && size < limit; {
		lo := max(fork, hi-256)
		var blocks [][]PendingTx
		err := c.store.scan(lo, hi, func(sb *StoredBlock) error {
			b, err := sb.Block()
			if err != nil {
				return err
			}
			blocks = append(blocks, restorable(b, nil))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read our blocks %d to %d: %w", lo, hi-1, err)
		}
		first := len(blocks)
		for first > 0 && size < limit {
			first--
			for _, p := range blocks[first] {
				size += len(p.Canonical)
			}
		}
		chunks = append(chunks, slices.Concat(blocks[first:]...))
		hi = lo
	}
	slices.Reverse(chunks)
	return slices.Concat(chunks...), nil
}
