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
// disk; memoryBackend in memory. appendBlock and replace are called one at
// a time (under the chain's writer lock, not the lock readers wait on);
// addPending runs concurrently with them and with itself, so that concurrent
// writers can share one fsync; scan runs concurrently with everything.
// Implementations must be safe for that.
type backend interface {
	// blockCount returns the number of stored blocks.
	blockCount() (int64, error)
	// scan calls fn with the stored blocks of heights from to to-1, in
	// order, from one consistent snapshot; fn's argument is valid only
	// during the call.
	scan(from, to int64, fn func(sb *StoredBlock) error) error
	// scanLongRead is scan for one chunk of a longer read, which owed
	// carries from chunk to chunk, so that the read as a whole lets go of
	// what its chunks would keep (a Store's mapped pages).
	scanLongRead(from, to int64, owed *fileRange, fn func(sb *StoredBlock) error) error
	// scanValues is scan handing fn up to size stored values at a time,
	// as appendStored wrote them: values[i] is height first+i's.
	scanValues(from, to int64, size int, fn func(first int64, values [][]byte) error) error
	// loadPending returns the pending pool in Seq order.
	loadPending() ([]PendingTx, error)
	// addPending stores a transaction durably and returns its sequence
	// number, greater than every earlier one.
	addPending(tx map[string]any, canonical []byte) (uint64, error)
	// dropPending removes the pending transaction seq durably; it is
	// called one at a time, like appendBlock.
	dropPending(seq uint64) error
	// appendBlock stores b at its height and removes the pending
	// transactions drop, atomically.
	appendBlock(b *Block, drop []uint64) error
	// replace truncates the chain to the heights below from, stores blocks
	// from there, removes the pending transactions drop and adds restore
	// as new pending transactions, atomically; it returns restore's
	// entries with their new sequence numbers.
	replace(from int64, blocks []*Block, drop []uint64, restore []PendingTx) ([]PendingTx, error)

	// The staging of a candidate chain (see ForkStage), called under the
	// chain's writer lock or by the stage's one owner: stageBegin starts
	// an empty one, deleting any other; stageCopy copies our blocks of
	// heights from up to to-1, about maxBytes of them, and returns the
	// height after the last copied; stagePut stores blocks after the
	// staged ones; stageScan reads staged blocks as scan does; stageSwitch
	// atomically makes the staged chain, of length blocks, the chain, and
	// moves pending transactions as replace does, refusing unless the
	// staged block at keep-1 is still ours; stageDiscard deletes it.
	stageBegin() error
	stageCopy(from, to int64, maxBytes int) (int64, error)
	stagePut(from int64, blocks []*Block) error
	stageScan(from, to int64, fn func(sb *StoredBlock) error) error
	stageSwitch(length, keep int64, drop []uint64, restore []PendingTx) ([]PendingTx, error)
	stageDiscard() error
	// releaseMapped lets go of the backend's memory-mapped pages this
	// process holds (a Store's; nothing for memory).
	releaseMapped()
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

// Chain is the node's chain and pending pool. Blocks stay in the backend
// and are read on demand (a bbolt store is memory-mapped): memory holds the
// tip, a small cache of decoded blocks and the pending pool, whatever the
// chain's length. It is safe for concurrent use.
//
// Opening a long stored chain returns at once and checks every stored block
// in the background (see CheckProgress). When the check finds a damaged
// block, the chain ends below it from then on: Len, Block and readers stop
// there, and AddBlock and Replace refuse to change the store, until a person
// repairs or replaces it.
type Chain struct {
	// write serialises AddBlock and Replace, so that their disk writes run
	// without mu: readers (a screen redrawing, /chain) never wait for an
	// fsync. mu guards the fields below and is held only for memory work
	// and reads from the backend.
	write   sync.Mutex
	mu      sync.RWMutex
	length  int64  // blocks readers see: the stored ones, below any damage
	tip     *Block // block length-1
	damage  error  // the *DamagedStoreError the check found, or nil
	pending []PendingTx
	// inPending maps a transaction's canonical bytes to the Seqs of the
	// pending copies, oldest first: concurrent submissions stamped within
	// the clock's resolution can be byte-identical, and each copy counts.
	inPending map[string][]uint64
	// budget bounds the pool: what it holds plus what AddTransaction
	// is storing.
	budget poolBudget
	store  backend
	cache  blockCache
	check  *checker
	stage  *ForkStage // the fork being staged, or nil; guarded by write
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

// OpenChain opens the chain and pending pool of store; an empty store gets
// the genesis block. It reads the genesis, the tip and the pending pool, and
// checks every stored block (hashes, work and links): a chain shorter than
// SyncCheckLimit blocks before it returns, a longer one in the background
// on every core (see CheckProgress). A damaged store is reported with the
// height and reason as a *DamagedStoreError, never rewritten. Closing the
// store stops the check.
func OpenChain(store *Store, opts ChainOptions) (*Chain, error) {
	return newChain(store, opts)
}

// SyncCheckLimit is the length below which OpenChain checks the whole chain
// before returning: a few thousand blocks take milliseconds.
var SyncCheckLimit int64 = 4096

func newChain(store backend, opts ChainOptions) (*Chain, error) {
	c := &Chain{store: store, floor: opts.Difficulty, clock: opts.Clock, inPending: map[string][]uint64{}, subs: map[chan struct{}]struct{}{}}
	if c.floor <= 0 {
		c.floor = SeedDifficulty
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	c.budget = newPoolBudget(opts.MaxPendingCount, opts.MaxPendingBytes)
	n, err := store.blockCount()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		if err := store.appendBlock(Genesis(), nil); err != nil {
			return nil, fmt.Errorf("write genesis: %w", err)
		}
		n = 1
	}
	c.length = n
	c.check = newChecker(c, n)
	tip, err := c.readBlock(n - 1)
	if n < SyncCheckLimit || err != nil {
		// A tip that does not decode is damage too; the check names
		// the lowest damaged height, as the full validation always did.
		if cerr := c.check.run(); cerr != nil {
			return nil, cerr
		}
	}
	if err != nil {
		return nil, err
	}
	if err := c.checkGenesis(); err != nil {
		return nil, err
	}
	c.tip = tip
	pending, err := store.loadPending()
	if err != nil {
		return nil, err
	}
	c.pending = pending
	for _, p := range pending {
		c.inPending[string(p.Canonical)] = append(c.inPending[string(p.Canonical)], p.Seq)
		c.budget.bytes += int64(len(p.Canonical))
	}
	if !c.check.isFinished() {
		go c.check.run()
	}
	return c, nil
}

// checkGenesis checks block 0 before the chain is used: a chain from another
// genesis is not this network's chain at all.
func (c *Chain) checkGenesis() error {
	return c.store.scan(0, 1, func(sb *StoredBlock) error {
		if checkStored(sb, nil, c.floor) {
			return nil
		}
		if err := judgeStored(sb, nil, c.floor); err != nil {
			return &DamagedStoreError{Err: err}
		}
		return nil
	})
}

// readBlock reads and decodes the stored block at height h.
func (c *Chain) readBlock(h int64) (*Block, error) {
	var b *Block
	err := c.store.scan(h, h+1, func(sb *StoredBlock) error {
		var err error
		b, err = sb.Block()
		return err
	})
	if err != nil {
		var d *DamagedStoreError
		if !errors.As(err, &d) && IsRuleError(err) {
			err = &DamagedStoreError{Err: err}
		}
		return nil, err
	}
	return b, nil
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
	return int(c.length)
}

// Tip returns the newest block.
func (c *Chain) Tip() *Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.tip
}

// Block returns the block at height i, or nil when there is none or it
// cannot be read (an I/O error, or damage the check has not reached yet).
func (c *Chain) Block(i int64) *Block {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i < 0 || i >= c.length {
		return nil
	}
	if i == c.length-1 {
		return c.tip
	}
	if b := c.cache.get(i); b != nil {
		return b
	}
	// Read under mu so that Replace's cache invalidation, which takes mu
	// after its write, cannot be overtaken by a block read before it.
	b, err := c.readBlock(i)
	if err != nil {
		return nil
	}
	c.cache.put(b)
	return b
}

// Range returns the decoded blocks of heights from to to-1 (cut to the
// chain's length), read in one snapshot. Its memory grows with to-from:
// callers bound the range; Scan and ReadBlocks read any length.
func (c *Chain) Range(from, to int64) ([]*Block, error) {
	from, to = c.clamp(from, to)
	out := make([]*Block, 0, to-from)
	err := c.store.scan(from, to, func(sb *StoredBlock) error {
		b, err := sb.Block()
		if err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read blocks %d to %d: %w", from, to-1, err)
	}
	return out, nil
}

// Scan calls fn with the stored blocks of heights from to to-1 (cut to the
// chain's length) in order, reading them in bounded snapshots of
// scanChunk blocks: a long scan never holds a read transaction for long. A
// Replace between snapshots can make later blocks belong to the new chain;
// ReadBlocks detects that. fn's argument is valid only during the call.
func (c *Chain) Scan(from, to int64, fn func(sb *StoredBlock) error) error {
	from, to = c.clamp(from, to)
	for lo := from; lo < to; lo += scanChunk {
		if err := c.store.scan(lo, min(lo+scanChunk, to), fn); err != nil {
			return err
		}
	}
	return nil
}

// scanChunk is how many blocks one read snapshot of Scan covers.
const scanChunk = 4096

func (c *Chain) clamp(from, to int64) (int64, int64) {
	n := int64(c.Len())
	from = max(from, 0)
	to = min(to, n)
	if from > to {
		from = to
	}
	return from, to
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
	tip := c.tip
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
	if c.damage != nil {
		c.mu.RUnlock()
		return c.damage
	}
	tip := c.tip
	if err := CheckLink(tip, b, c.floor); err != nil {
		c.mu.RUnlock()
		return err
	}
	b = b.Sealed()
	drop := c.poolCopiesLocked([]*Block{b})
	c.mu.RUnlock()
	if err := c.store.appendBlock(b, drop); err != nil {
		return fmt.Errorf("store block %d: %w", b.index, err)
	}
	c.mu.Lock()
	c.length++
	c.tip = b
	c.removePendingLocked(drop)
	c.mu.Unlock()
	c.notify()
	return nil
}

// poolCopiesLocked returns the pending transactions that blocks take out
// of the pool: each transaction of a block takes one pending copy. A copy
// added meanwhile is not among them and simply stays pending. Transactions
// are encoded into one reused buffer and counted by the first copy's Seq,
// so that a block of a full pool costs no allocation per transaction.
func (c *Chain) poolCopiesLocked(blocks []*Block) []uint64 {
	var drop []uint64
	taken := map[uint64]int{}
	var buf []byte
	for _, b := range blocks {
		for _, tx := range b.transactions {
			if len(c.inPending) == 0 {
				return drop
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
	}
	return drop
}

// Extend appends blocks, which must follow the tip and each other under the
// consensus rules, and removes their transactions from the pending pool, in
// one durable step: many blocks cost one write. A rule violation comes back
// as the RuleError naming the first bad block, and nothing is stored.
func (c *Chain) Extend(blocks []*Block) error {
	if len(blocks) == 0 {
		return nil
	}
	c.write.Lock()
	defer c.write.Unlock()
	c.mu.RLock()
	tip, n, damage := c.tip, c.length, c.damage
	c.mu.RUnlock()
	if damage != nil {
		return damage
	}
	sealed := make([]*Block, len(blocks))
	for i, b := range blocks {
		if err := CheckLink(tip, b, c.floor); err != nil {
			return err
		}
		sealed[i] = b.Sealed()
		tip = sealed[i]
	}
	c.mu.RLock()
	drop := c.poolCopiesLocked(sealed)
	c.mu.RUnlock()
	if _, err := c.store.replace(n, sealed, drop, nil); err != nil {
		return fmt.Errorf("store blocks %d to %d: %w", n, tip.index, err)
	}
	c.mu.Lock()
	c.length += int64(len(sealed))
	c.tip = tip
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

// replaceableLength waits for the start-up check and returns the chain's
// length, or the damage it found: a damaged chain is never replaced. The
// caller holds c.write.
func (c *Chain) replaceableLength() (int64, error) {
	c.check.wait()
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.damage != nil {
		return 0, c.damage
	}
	return c.length, nil
}

// Replace adopts blocks under the longest-chain rule: they must form a valid
// chain from our genesis, strictly longer than ours (else ErrNotLonger or the
// RuleError naming the first bad block). Transactions of the blocks it drops
// go back to pending unless the new chain already holds them, and pending
// transactions the new chain holds leave the pool. While the start-up check
// runs, Replace waits for it; on a damaged store it refuses.
func (c *Chain) Replace(blocks []*Block) (ReplaceResult, error) {
	if err := ValidateChain(blocks, c.floor); err != nil {
		return ReplaceResult{}, err
	}
	c.write.Lock()
	defer c.write.Unlock()
	n, err := c.replaceableLength()
	if err != nil {
		return ReplaceResult{}, err
	}
	if int64(len(blocks)) <= n {
		return ReplaceResult{}, fmt.Errorf("%w (%d blocks against our %d)", ErrNotLonger, len(blocks), n)
	}
	fork, err := c.forkHeight(blocks, n)
	if err != nil {
		return ReplaceResult{}, err
	}
	dropped, err := c.Range(fork, n)
	if err != nil {
		return ReplaceResult{}, err
	}
	drop, restore := c.replacedTransactions(blocks[fork:], dropped)
	sealed := make([]*Block, len(blocks)-int(fork))
	for i, b := range blocks[fork:] {
		sealed[i] = b.Sealed()
	}
	restored, err := c.store.replace(fork, sealed, drop, restore)
	if err != nil {
		return ReplaceResult{}, fmt.Errorf("store adopted chain: %w", err)
	}
	c.staleStageBelow(fork)
	res := ReplaceResult{ForkHeight: fork, Dropped: len(dropped), Restored: len(restored)}
	c.mu.Lock()
	c.length = int64(len(blocks))
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

// errStopScan ends a scan early without an error.
var errStopScan = errors.New("stop scan")

// forkHeight returns the first height above the genesis where blocks and
// our n stored blocks differ.
func (c *Chain) forkHeight(blocks []*Block, n int64) (int64, error) {
	fork := int64(1)
	err := c.Scan(1, n, func(sb *StoredBlock) error {
		if sb.Hash != blocks[sb.Height].hash {
			return errStopScan
		}
		fork = sb.Height + 1
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		return 0, fmt.Errorf("find the fork point: %w", err)
	}
	return fork, nil
}

// replacedTransactions returns the pending transactions that adopting
// adopted (the new chain from the fork) takes out of the pool, and the
// transactions of dropped (ours from the fork) that go back to it.
// Transactions are counted as a multiset: each copy the new chain holds
// accounts for one pending copy or one copy in a dropped block.
func (c *Chain) replacedTransactions(adopted, dropped []*Block) (drop []uint64, restore []PendingTx) {
	inNew := map[string]int{}
	for _, b := range adopted {
		for _, tx := range b.transactions {
			if canonical, err := Canonical(tx); err == nil {
				inNew[string(canonical)]++
			}
		}
	}
	var candidates []PendingTx
	for _, b := range dropped {
		candidates = restorable(b, candidates)
	}
	return c.moveTransactions(inNew, candidates)
}

// moveTransactions returns the pending transactions that the new chain's
// transactions inNew (canonical bytes -> copies) take out of the pool, and
// those of candidates, the dropped blocks' in block order, that go back to
// it: each copy in inNew accounts for one pending copy first, then one
// candidate. It uses up inNew.
func (c *Chain) moveTransactions(inNew map[string]int, candidates []PendingTx) (drop []uint64, restore []PendingTx) {
	c.mu.RLock()
	for _, p := range c.pending {
		if key := string(p.Canonical); inNew[key] > 0 {
			inNew[key]--
			drop = append(drop, p.Seq)
		}
	}
	c.mu.RUnlock()
	for _, p := range candidates {
		if key := string(p.Canonical); inNew[key] > 0 {
			inNew[key]--
			continue
		}
		restore = append(restore, p)
	}
	return drop, restore
}

// restorable appends to out the transactions of b that may go back to the
// pending pool when b is dropped. Only clean data goes back to pending, to
// be mined here: a peer's block may hold NaN or a lone surrogate, which we
// keep in its block but never put in one of ours.
func restorable(b *Block, out []PendingTx) []PendingTx {
	for _, tx := range b.transactions {
		obj, ok := tx.(map[string]any)
		if !ok {
			continue
		}
		canonical, err := Canonical(obj)
		if err != nil || Depth(obj) > MaxTransactionDepth {
			continue
		}
		out = append(out, PendingTx{Tx: obj, Canonical: canonical})
	}
	return out
}
