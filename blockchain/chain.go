package blockchain

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"
)

// backend persists a chain's blocks and pending pool. Store keeps them on
// disk; memory mode keeps nothing. appendBlock and replace are called one at
// a time (under the chain's writer lock, not the lock readers wait on);
// addPending runs concurrently with them and with itself, so that concurrent
// writers can share one fsync; implementations must be safe for that.
type backend interface {
	// loadBlocks returns every stored block in height order.
	loadBlocks() ([]*Block, error)
	// loadPending returns the pending pool in Seq order.
	loadPending() ([]PendingTx, error)
	// addPending stores a transaction durably and returns its sequence
	// number, greater than every earlier one.
	addPending(tx map[string]any, canonical []byte) (uint64, error)
	// appendBlock stores b at its height and removes the pending
	// transactions drop, atomically.
	appendBlock(b *Block, drop []uint64) error
	// replace truncates the chain to the heights below from, stores blocks
	// from there, removes the pending transactions drop and adds restore
	// as new pending transactions, atomically; it returns restore's
	// entries with their new sequence numbers.
	replace(from int64, blocks []*Block, drop []uint64, restore []PendingTx) ([]PendingTx, error)
}

// ErrNotLonger is returned by Replace for a chain that is valid but not
// strictly longer than ours, which the longest-chain rule ignores.
var ErrNotLonger = errors.New("chain is not longer than ours")

// ChainOptions configure a Chain.
type ChainOptions struct {
	// Difficulty is the proof-of-work floor every block must meet;
	// zero means the seed's (SeedDifficulty).
	Difficulty int
	// Clock returns the time used to stamp transactions and templates;
	// nil means time.Now. It is called from concurrent AddTransaction calls,
	// so it must be safe for concurrent use.
	Clock func() time.Time
	// MaxPendingCount and MaxPendingBytes bound the pending pool in
	// transactions and in canonical bytes; AddTransaction refuses beyond
	// them with a *PoolFullError. Zero means DefaultMaxPendingCount and
	// DefaultMaxPendingBytes. Transactions that go back to the pool when
	// a chain is replaced are never refused.
	MaxPendingCount int
	MaxPendingBytes int64
}

// Chain is the node's chain and pending pool, kept in memory and written
// through to its backend. It is safe for concurrent use.
type Chain struct {
	// write serialises AddBlock and Replace, so that their disk writes run
	// without mu: readers (a screen redrawing, /chain) never wait for an
	// fsync. mu guards the fields below and is held only for memory work.
	write   sync.Mutex
	mu      sync.RWMutex
	blocks  []*Block
	pending []PendingTx
	// inPending maps a transaction's canonical bytes to the Seqs of the
	// pending copies, oldest first: concurrent submissions stamped within
	// the clock's resolution can be byte-identical, and each copy counts.
	inPending map[string][]uint64
	// budget bounds the pool: what it holds plus what AddTransaction
	// is storing.
	budget poolBudget
	store  backend
	floor  int
	clock  func() time.Time

	subMu   sync.Mutex
	subs    map[chan struct{}]struct{}
	version uint64
}

// NewMemoryChain returns a chain holding only the genesis block that keeps
// nothing on disk, for throwaway runs and tests.
func NewMemoryChain(opts ChainOptions) *Chain {
	c, err := newChain(&memoryBackend{}, opts)
	if err != nil {
		// The memory backend cannot fail and starts from the genesis.
		panic("blockchain: memory chain: " + err.Error())
	}
	return c
}

// OpenChain loads the chain and pending pool from store and checks every
// stored block (links and hashes). An empty store gets the genesis block.
// A damaged store is reported with the height and reason, never rewritten.
func OpenChain(store *Store, opts ChainOptions) (*Chain, error) {
	return newChain(store, opts)
}

func newChain(store backend, opts ChainOptions) (*Chain, error) {
	c := &Chain{store: store, floor: opts.Difficulty, clock: opts.Clock, inPending: map[string][]uint64{}, subs: map[chan struct{}]struct{}{}}
	if c.floor <= 0 {
		c.floor = SeedDifficulty
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	c.budget = newPoolBudget(opts.MaxPendingCount, opts.MaxPendingBytes)
	blocks, err := store.loadBlocks()
	if err != nil {
		return nil, err
	}
	if len(blocks) == 0 {
		g := Genesis()
		if err := store.appendBlock(g, nil); err != nil {
			return nil, fmt.Errorf("write genesis: %w", err)
		}
		blocks = []*Block{g}
	}
	if err := ValidateChain(blocks, c.floor); err != nil {
		return nil, &DamagedStoreError{Err: err}
	}
	c.blocks = blocks
	pending, err := store.loadPending()
	if err != nil {
		return nil, err
	}
	c.pending = pending
	for _, p := range pending {
		c.inPending[string(p.Canonical)] = append(c.inPending[string(p.Canonical)], p.Seq)
		c.budget.bytes += int64(len(p.Canonical))
	}
	return c, nil
}

// DamagedStoreError reports a stored chain that breaks the consensus rules:
// a damaged or tampered store. Err is the RuleError naming the block.
type DamagedStoreError struct {
	Err error
}

func (e *DamagedStoreError) Error() string {
	return "stored chain is damaged or was tampered with: " + e.Err.Error()
}

func (e *DamagedStoreError) Unwrap() error { return e.Err }

// Difficulty returns the proof-of-work floor every block must meet.
func (c *Chain) Difficulty() int { return c.floor }

// Len returns the number of blocks, the genesis included.
func (c *Chain) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.blocks)
}

// Tip returns the newest block.
func (c *Chain) Tip() *Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.blocks[len(c.blocks)-1]
}

// Block returns the block at height i, or nil when there is none.
func (c *Chain) Block(i int64) *Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i < 0 || i >= int64(len(c.blocks)) {
		return nil
	}
	return c.blocks[i]
}

// Blocks returns a snapshot of the whole chain, genesis first. The slice
// must not be modified; it stays valid after the chain changes.
func (c *Chain) Blocks() []*Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.blocks[:len(c.blocks):len(c.blocks)]
}

// Pending returns a snapshot of the pending pool in arrival order.
func (c *Chain) Pending() []PendingTx {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return append([]PendingTx(nil), c.pending...)
}

// Version returns a number that grows with every change to the chain or the
// pending pool, so a viewer can tell whether its snapshot is stale.
func (c *Chain) Version() uint64 {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	return c.version
}

// Subscribe returns a channel that receives a value after changes to the
// chain or the pending pool. Its one slot coalesces bursts: a receiver
// reads the current state, never a backlog. cancel ends the subscription.
func (c *Chain) Subscribe() (changes <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	c.subMu.Lock()
	c.subs[ch] = struct{}{}
	c.subMu.Unlock()
	return ch, func() {
		c.subMu.Lock()
		delete(c.subs, ch)
		c.subMu.Unlock()
	}
}

func (c *Chain) notify() {
	c.subMu.Lock()
	defer c.subMu.Unlock()
	c.version++
	for ch := range c.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// AddTransaction validates v as the seed does, stamps it with the current
// time and adds it to the pending pool. The transaction is durable before
// AddTransaction returns; concurrent callers share fsyncs.
func (c *Chain) AddTransaction(v any) (PendingTx, error) {
	tx, err := NewTransaction(v, c.clock())
	if err != nil {
		return PendingTx{}, err
	}
	canonical, err := Canonical(tx)
	if err != nil {
		return PendingTx{}, &TransactionError{Why: err.Error()}
	}
	// A place in the pool is reserved first, so that concurrent writers
	// cannot together pass its bound.
	c.mu.Lock()
	err = c.budget.reserve(len(c.pending), len(canonical))
	c.mu.Unlock()
	if err != nil {
		return PendingTx{}, err
	}
	// Stored without the chain lock, so concurrent writers batch their fsyncs.
	seq, err := c.store.addPending(tx, canonical)
	p := PendingTx{Seq: seq, Tx: tx, Canonical: canonical}
	c.mu.Lock()
	c.budget.release(len(canonical))
	if err == nil {
		c.insertPendingLocked(p)
	}
	c.mu.Unlock()
	if err != nil {
		return PendingTx{}, fmt.Errorf("store transaction: %w", err)
	}
	c.notify()
	return p, nil
}

// Template returns the next block to mine: every pending transaction in
// arrival order on top of the tip, stamped now, nonce 0. It returns nil
// when nothing is pending.
func (c *Chain) Template() (*Block, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if len(c.pending) == 0 {
		return nil, nil
	}
	txs := make([]any, len(c.pending))
	for i, p := range c.pending {
		txs[i] = p.Tx
	}
	tip := c.blocks[len(c.blocks)-1]
	// The preimage is the transactions' canonical bytes, their separators
	// and the other fields.
	size := int(c.budget.bytes) + 2*len(c.pending) + 256
	return newBlockSized(tip.index+1, txs, Now(c.clock()), tip.Hash(), 0, size)
}

// AddBlock appends b when it follows the tip under the consensus rules and
// removes its transactions from the pending pool, in one durable step. A
// rule violation comes back as a RuleError.
func (c *Chain) AddBlock(b *Block) error {
	c.write.Lock()
	defer c.write.Unlock()
	c.mu.RLock()
	tip := c.blocks[len(c.blocks)-1]
	if err := CheckLink(tip, b, c.floor); err != nil {
		c.mu.RUnlock()
		return err
	}
	b = b.Sealed()
	// Each transaction of the block takes one pending copy out of the pool.
	// A copy added meanwhile is not among them and simply stays pending.
	// Encoded into one reused buffer and counted by the first copy's Seq,
	// so that a block of a full pool costs no allocation per transaction.
	var drop []uint64
	taken := map[uint64]int{}
	var buf []byte
	for _, tx := range b.transactions {
		if len(c.inPending) == 0 {
			break
		}
		var err error
		if buf, err = AppendCanonical(buf[:0], tx); err != nil {
			continue
		}
		if seqs := c.inPending[string(buf)]; len(seqs) > 0 && taken[seqs[0]] < len(seqs) {
			drop = append(drop, seqs[taken[seqs[0]]])
			taken[seqs[0]]++
		}
	}
	c.mu.RUnlock()
	if err := c.store.appendBlock(b, drop); err != nil {
		return fmt.Errorf("store block %d: %w", b.index, err)
	}
	c.mu.Lock()
	c.blocks = append(c.blocks, b)
	c.removePendingLocked(drop)
	c.mu.Unlock()
	c.notify()
	return nil
}

// insertPendingLocked puts p in the pool in Seq order: transactions reach
// memory in any order once stored, and the pool is in arrival order.
func (c *Chain) insertPendingLocked(p PendingTx) {
	i := sort.Search(len(c.pending), func(i int) bool { return c.pending[i].Seq > p.Seq })
	c.pending = slices.Insert(c.pending, i, p)
	c.budget.bytes += int64(len(p.Canonical))
	c.inPending[string(p.Canonical)] = insertSeq(c.inPending[string(p.Canonical)], p.Seq)
}

// insertSeq adds seq to seqs, kept in increasing order.
func insertSeq(seqs []uint64, seq uint64) []uint64 {
	i := sort.Search(len(seqs), func(i int) bool { return seqs[i] > seq })
	return slices.Insert(seqs, i, seq)
}

func (c *Chain) removePendingLocked(drop []uint64) {
	if len(drop) == 0 {
		return
	}
	gone := make(map[uint64]bool, len(drop))
	for _, s := range drop {
		gone[s] = true
	}
	kept := c.pending[:0:0]
	for _, p := range c.pending {
		if gone[p.Seq] {
			c.budget.bytes -= int64(len(p.Canonical))
			key := string(p.Canonical)
			seqs := slices.DeleteFunc(c.inPending[key], func(s uint64) bool { return s == p.Seq })
			if len(seqs) == 0 {
				delete(c.inPending, key)
			} else {
				c.inPending[key] = seqs
			}
			continue
		}
		kept = append(kept, p)
	}
	c.pending = kept
}

// ReplaceResult says what adopting a longer chain changed.
type ReplaceResult struct {
	// ForkHeight is the first height where the chains differ.
	ForkHeight int64
	// Dropped is how many of our blocks were replaced.
	Dropped int
	// Restored is how many transactions of dropped blocks went back to
	// the pending pool because the new chain does not hold them.
	Restored int
}

// Replace adopts blocks under the longest-chain rule: they must form a valid
// chain from our genesis, strictly longer than ours (else ErrNotLonger or the
// RuleError naming the first bad block). Transactions of the blocks it drops
// go back to pending unless the new chain already holds them, and pending
// transactions the new chain holds leave the pool.
func (c *Chain) Replace(blocks []*Block) (ReplaceResult, error) {
	if err := ValidateChain(blocks, c.floor); err != nil {
		return ReplaceResult{}, err
	}
	c.write.Lock()
	defer c.write.Unlock()
	c.mu.RLock()
	if len(blocks) <= len(c.blocks) {
		n := len(c.blocks)
		c.mu.RUnlock()
		return ReplaceResult{}, fmt.Errorf("%w (%d blocks against our %d)", ErrNotLonger, len(blocks), n)
	}
	fork := 1
	for fork < len(c.blocks) && c.blocks[fork].hash == blocks[fork].hash {
		fork++
	}
	// Transactions are counted as a multiset: each copy the new chain holds
	// accounts for one pending copy or one copy in a dropped block.
	inNew := map[string]int{}
	for _, b := range blocks[fork:] {
		for _, tx := range b.transactions {
			if canonical, err := Canonical(tx); err == nil {
				inNew[string(canonical)]++
			}
		}
	}
	var drop []uint64
	for _, p := range c.pending {
		if key := string(p.Canonical); inNew[key] > 0 {
			inNew[key]--
			drop = append(drop, p.Seq)
		}
	}
	var restore []PendingTx
	for _, b := range c.blocks[fork:] {
		for _, tx := range b.transactions {
			obj, ok := tx.(map[string]any)
			if !ok {
				continue
			}
			// Only clean data goes back to pending, to be mined here: a
			// peer's block may hold NaN or a lone surrogate, which we
			// keep in its block but never put in one of ours.
			canonical, err := Canonical(obj)
			if err != nil || Depth(obj) > MaxTransactionDepth {
				continue
			}
			if key := string(canonical); inNew[key] > 0 {
				inNew[key]--
				continue
			}
			restore = append(restore, PendingTx{Tx: obj, Canonical: canonical})
		}
	}
	sealed := make([]*Block, len(blocks))
	// Our genesis stays: a peer's may be written otherwise ("timestamp":
	// 0.0) and still be the genesis, and the store keeps ours.
	sealed[0] = c.blocks[0]
	for i, b := range blocks[1:] {
		sealed[i+1] = b.Sealed()
	}
	dropped := len(c.blocks) - fork
	c.mu.RUnlock()
	restored, err := c.store.replace(int64(fork), sealed[fork:], drop, restore)
	if err != nil {
		return ReplaceResult{}, fmt.Errorf("store adopted chain: %w", err)
	}
	res := ReplaceResult{ForkHeight: int64(fork), Dropped: dropped, Restored: len(restored)}
	c.mu.Lock()
	c.blocks = sealed
	c.removePendingLocked(drop)
	for _, p := range restored {
		c.insertPendingLocked(p)
	}
	c.mu.Unlock()
	c.notify()
	return res, nil
}

// memoryBackend keeps nothing: the chain's own memory is the only copy.
type memoryBackend struct {
	mu  sync.Mutex
	seq uint64
}

func (m *memoryBackend) loadBlocks() ([]*Block, error)      { return nil, nil }
func (m *memoryBackend) loadPending() ([]PendingTx, error)  { return nil, nil }
func (m *memoryBackend) appendBlock(*Block, []uint64) error { return nil }

func (m *memoryBackend) addPending(map[string]any, []byte) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	return m.seq, nil
}

func (m *memoryBackend) replace(_ int64, _ []*Block, _ []uint64, restore []PendingTx) ([]PendingTx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]PendingTx, len(restore))
	for i, p := range restore {
		m.seq++
		p.Seq = m.seq
		out[i] = p
	}
	return out, nil
}
