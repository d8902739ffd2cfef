package blockchain

import "fmt"

// ReplaceFrom adopts blocks, a piece of a longer chain, under the
// longest-chain rule without the part we share: blocks[0] follows our block
// at the height below it, each block follows the one before (both judged
// as Judge does), and our chain with its heights from blocks[0]'s on
// replaced by blocks is strictly longer than ours (else ErrNotLonger, or the
// RuleError naming the first bad block). Leading blocks we hold already are
// skipped, so a piece that extends our tip appends, and one that forks
// below it replaces our heights from the fork on, in one durable step, with
// Replace's handling of transactions. Like Replace, it waits for the
// start-up check and refuses on a damaged store.
//
// It is how a chain streamed from a peer is adopted in batches: each call
// is atomic, so a crash between calls leaves a valid chain, our old one or
// a longer one.
func (c *Chain) ReplaceFrom(blocks []*Block) (ReplaceResult, error) {
	for i := 1; i < len(blocks); i++ {
		if err := Judge(blocks[i-1], blocks[i], c.floor); err != nil {
			return ReplaceResult{}, err
		}
	}
	c.write.Lock()
	defer c.write.Unlock()
	n, err := c.replaceableLength()
	if err != nil {
		return ReplaceResult{}, err
	}
	for len(blocks) > 0 && blocks[0].index >= 1 {
		if h, ok := c.HashAt(blocks[0].index); !ok || h != blocks[0].hash {
			break
		}
		blocks = blocks[1:]
	}
	if len(blocks) == 0 || blocks[0].index+int64(len(blocks)) <= n {
		have := n
		if len(blocks) > 0 {
			have = blocks[0].index + int64(len(blocks))
		}
		return ReplaceResult{}, fmt.Errorf("%w (%d blocks against our %d)", ErrNotLonger, have, n)
	}
	fork := blocks[0].index
	if fork < 1 || fork > n {
		return ReplaceResult{}, &IndexError{Index: fork, Want: n}
	}
	parent := c.Block(fork - 1)
	if parent == nil {
		return ReplaceResult{}, fmt.Errorf("read our block %d: it is gone", fork-1)
	}
	if err := Judge(parent, blocks[0], c.floor); err != nil {
		return ReplaceResult{}, err
	}
	return c.adoptLocked(fork, n, blocks)
}

// adoptLocked stores blocks in place of our heights fork..n-1 (none when
// fork is n), which the caller checked make a valid, longer chain, and
// moves transactions between the dropped blocks, the new ones and the
// pending pool: as Replace does, except that only the transactions of the
// newest dropped blocks, up to deepRestoreBytes of them, may go back to
// the pool, as for a staged fork (ForkStage.Switch), so that memory does
// not grow with the depth of the fork. The caller holds c.write.
func (c *Chain) adoptLocked(fork, n int64, blocks []*Block) (ReplaceResult, error) {
	var drop []uint64
	var restore []PendingTx
	c.mu.RLock()
	busy := len(c.pending) > 0
	c.mu.RUnlock()
	if busy || fork < n {
		candidates, err := c.newestTransactions(fork, n, deepRestoreBytes)
		if err != nil {
			return ReplaceResult{}, err
		}
		inNew := map[string]int{}
		for _, b := range blocks {
			for _, tx := range b.transactions {
				if canonical, err := Canonical(tx); err == nil {
					inNew[string(canonical)]++
				}
			}
		}
		drop, restore = c.moveTransactions(inNew, candidates)
	}
	sealed := make([]*Block, len(blocks))
	for i, b := range blocks {
		sealed[i] = b.Sealed()
	}
	restored, err := c.store.replace(fork, sealed, drop, restore)
	if err != nil {
		return ReplaceResult{}, fmt.Errorf("store adopted blocks: %w", err)
	}
	c.staleStageBelow(fork)
	res := ReplaceResult{ForkHeight: fork, Dropped: int(n - fork), Restored: len(restored)}
	c.mu.Lock()
	c.length = fork + int64(len(sealed))
	c.tip = sealed[len(sealed)-1]
	c.cache.dropFrom(fork)
	c.removePendingLocked(drop)
	for _, p := range restored {
		c.insertPendingLocked(p)
	}
	c.mu.Unlock()
	c.notify()
	return res, nil
}
