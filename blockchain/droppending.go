package blockchain

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// dropSearchDepth is how many blocks back from the tip DropPending looks for
// a transaction that left the pool, to say which block took it: a block
// that took it while a person decided to drop it is among the newest.
const dropSearchDepth = 128

// NotPendingError is returned by DropPending for a transaction that is no
// longer in the pending pool. Block is the height of a block holding it
// (mined here, or received from a peer, while the drop was being decided),
// or -1 when no recent block does: it was dropped already, or the pool
// changed under it (a replaced chain puts its transactions back as new
// entries).
type NotPendingError struct {
	Seq   uint64 // the pool entry that was asked for
	Block int64
	// Copies is how many other entries of the pool hold the same bytes:
	// a copy put back by a replaced chain, or an identical transaction.
	// They are not dropped: ask again with the one meant.
	Copies int
}

func (e *NotPendingError) Error() string {
	if e.Block >= 0 {
		return fmt.Sprintf("transaction #%d is no longer pending: block %d holds it", e.Seq, e.Block)
	}
	return fmt.Sprintf("transaction #%d is no longer pending", e.Seq)
}

// DropPending removes the pending transaction p from the pool, in memory
// and in the store, in one durable write: it stays gone after a restart.
// Nothing else changes; peers that hold the same transaction keep it.
//
// p identifies one pool entry as Pending returned it: its Seq, checked
// against its canonical bytes. Identical transactions (the same content
// stamped within the clock's resolution) are separate entries, so dropping
// one keeps the others. When p is no longer pending, DropPending changes
// nothing and returns a *NotPendingError naming the block that took it, if
// a recent one did.
//
// DropPending is safe to call concurrently with every other method. It is
// serialised with AddBlock, Extend and Replace, so a block cannot take the
// transaction between the check and the write. A search already running on
// a template that holds the transaction may still find a block holding it;
// its caller should stop such a search first.
func (c *Chain) DropPending(p PendingTx) error {
	c.write.Lock()
	defer c.write.Unlock()
	c.mu.RLock()
	found, copies := c.pendingEntryLocked(p), len(c.inPending[string(p.Canonical)])
	c.mu.RUnlock()
	if !found {
		return &NotPendingError{Seq: p.Seq, Block: c.blockHolding(p.Canonical), Copies: copies}
	}
	// Blocks wait for c.write, and AddTransaction only adds entries, so
	// the entry is still there after the write.
	if err := c.store.dropPending(p.Seq); err != nil {
		return fmt.Errorf("drop pending transaction #%d: %w", p.Seq, err)
	}
	c.mu.Lock()
	c.removePendingLocked([]uint64{p.Seq})
	c.mu.Unlock()
	c.notify()
	return nil
}

// pendingEntryLocked reports whether the pool holds entry p.Seq with p's
// canonical bytes. The caller holds c.mu.
func (c *Chain) pendingEntryLocked(p PendingTx) bool {
	for _, seq := range c.inPending[string(p.Canonical)] {
		if seq == p.Seq {
			return true
		}
	}
	return false
}

// blockHolding returns the height of the newest of the last dropSearchDepth
// blocks that holds a transaction of canonical bytes, or -1.
func (c *Chain) blockHolding(canonical []byte) int64 {
	n := int64(c.Len())
	blocks, err := c.Range(max(1, n-dropSearchDepth), n)
	if err != nil {
		return -1
	}
	var buf []byte
	for i := len(blocks) - 1; i >= 0; i-- {
		for _, tx := range blocks[i].transactions {
			if buf, err = AppendCanonical(buf[:0], tx); err == nil && bytes.Equal(buf, canonical) {
				return blocks[i].index
			}
		}
	}
	return -1
}

// dropPending removes pending transaction seq in one durable transaction.
func (s *Store) dropPending(seq uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return deletePending(tx.Bucket(bucketPending), []uint64{seq})
	})
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return nil
}

// dropPending has nothing to do: the memory backend keeps no pool.
func (m *memoryBackend) dropPending(uint64) error { return nil }
