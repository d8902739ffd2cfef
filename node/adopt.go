package node

import (
	"errors"
	"fmt"

	"blockscope/blockchain"
)

// Adoption batches: a streamed chain is written to the store this many
// blocks (or bytes) at a time, each batch one durable step. Variables so
// that tests (and the crash test's child process) can make them small.
var (
	adoptBatchBlocks = 4096
	adoptBatchBytes  = 8 << 20
	// maxHeldForkBytes bounds the blocks of a fork held in memory until
	// they make a chain longer than ours (about 12,000 of the bench
	// chain's blocks); a deeper fork is staged in the store
	// (blockchain.ForkStage). Held decoded, 8 MiB of blocks measured up
	// to 186 MB of heap, 16 MiB up to 195 MB.
	maxHeldForkBytes = 4 << 20
)

// adopter judges a peer's chain block by block as it arrives and adopts it
// in batches under the longest-chain rule: blocks we hold already are
// skipped, blocks that extend our chain are written every batch, and the
// blocks of a fork are kept until they make a chain longer than ours,
// which then replaces ours from the fork on. A fork kept past
// maxHeldForkBytes goes on in the store, staged beside our chain in
// batches, and becomes our chain in one atomic step once it is longer. It
// stops at the first block that breaks the rules; the batches adopted
// before stay, as each made a valid chain longer than ours, and a staged
// fork that is not longer is discarded. Each step is atomic, so a crash
// midway leaves our old chain or a longer valid one.
type adopter struct {
	chain *blockchain.Chain
	// replace adopts a piece of the peer's chain (Node.adopt).
	replace func([]*blockchain.Block) (blockchain.ReplaceResult, error)
	// switchTo makes a staged fork our chain (Node.adoptStaged).
	switchTo func(*blockchain.ForkStage) (blockchain.ReplaceResult, error)
	// parent is the block the next one must follow; nil until the first.
	parent *blockchain.Block
	// last is the peer's newest block seen.
	last       *blockchain.Block
	batch      []*blockchain.Block
	batchBytes int
	// held is how much of the batch is a fork kept since the last flush:
	// the next flush comes a whole batch later.
	heldBlocks, heldBytes int
	// stage holds the fork in the store once it outgrew memory; staged
	// is told the fork's height then.
	stage  *blockchain.ForkStage
	staged func(fork int64)

	adopted bool
	result  blockchain.ReplaceResult
}

// feed judges the next block of the peer's chain and adopts it when a batch
// is full. A block that breaks the rules comes back as a RuleError; a
// failure to store as another error.
func (a *adopter) feed(b *blockchain.Block) error {
	if err := blockchain.Judge(a.parent, b, a.chain.Difficulty()); err != nil {
		return err
	}
	a.parent, a.last = b, b
	if len(a.batch) == 0 && a.stage == nil && a.holds(b) {
		return nil
	}
	a.batch = append(a.batch, b)
	a.batchBytes += len(b.Preimage())
	if len(a.batch)-a.heldBlocks < adoptBatchBlocks && a.batchBytes-a.heldBytes < adoptBatchBytes {
		return nil
	}
	return a.flush(false)
}

// holds reports whether our chain has b at its height.
func (a *adopter) holds(b *blockchain.Block) bool {
	ours := a.chain.Block(b.Index())
	return ours != nil && ours.HashBytes() == b.HashBytes()
}

// flush adopts the batch when it makes our chain longer. A fork that does
// not yet is kept for more blocks, unless final (the peer's chain ended).
func (a *adopter) flush(final bool) error {
	if a.stage != nil {
		return a.flushStaged(final)
	}
	if len(a.batch) == 0 {
		return nil
	}
	if !final && a.batch[0].Index()+int64(len(a.batch)) <= int64(a.chain.Len()) {
		// Not longer yet: asking would judge the whole batch again.
		return a.keep()
	}
	rr, err := a.replace(a.batch)
	switch {
	case err == nil:
		a.record(rr)
		return nil
	case errors.Is(err, blockchain.ErrNotLonger):
		if final {
			a.clearBatch()
			return nil
		}
		return a.keep()
	}
	return fmt.Errorf("adopt blocks from #%d: %w", a.batch[0].Index(), err)
}

// keep keeps the batch, a fork not longer than our chain yet, for more
// blocks: in memory up to maxHeldForkBytes, then staged in the store.
func (a *adopter) keep() error {
	// Another peer's answer may have brought these blocks meanwhile.
	for len(a.batch) > 0 && a.holds(a.batch[0]) {
		a.batchBytes -= len(a.batch[0].Preimage())
		a.batch = a.batch[1:]
	}
	a.heldBlocks, a.heldBytes = len(a.batch), a.batchBytes
	if a.batchBytes <= maxHeldForkBytes || len(a.batch) == 0 {
		return nil
	}
	st, err := a.chain.StageFork(a.batch)
	if err != nil {
		return fmt.Errorf("stage the peer's chain, which forks from ours at height %d: %w", a.batch[0].Index(), err)
	}
	a.stage = st
	a.clearBatch()
	if a.staged != nil {
		a.staged(st.Fork())
	}
	return nil
}

// flushStaged adds the batch to the staged fork and makes it our chain
// once it is longer; when final and it is not, it is discarded.
func (a *adopter) flushStaged(final bool) error {
	err := a.stage.Add(a.batch)
	a.clearBatch()
	if err == nil && (final || a.stage.Len() > int64(a.chain.Len())) {
		var rr blockchain.ReplaceResult
		rr, err = a.switchTo(a.stage)
		switch {
		case err == nil:
			a.stage = nil
			a.record(rr)
			return nil
		case errors.Is(err, blockchain.ErrNotLonger):
			err = nil
		}
	}
	if err == nil && !final {
		return nil
	}
	fork := a.stage.Fork()
	err = errors.Join(err, a.stage.Discard())
	a.stage = nil
	if err != nil {
		return fmt.Errorf("adopt the peer's chain, staged from height %d: %w", fork, err)
	}
	return nil
}

// clearBatch empties the batch.
func (a *adopter) clearBatch() {
	a.batch, a.batchBytes, a.heldBlocks, a.heldBytes = nil, 0, 0, 0
}

// record adds what one adoption changed to the result and empties the
// batch.
func (a *adopter) record(rr blockchain.ReplaceResult) {
	if !a.adopted {
		a.adopted, a.result.ForkHeight = true, rr.ForkHeight
	}
	a.result.Dropped += rr.Dropped
	a.result.Restored += rr.Restored
	a.clearBatch()
}

// length returns the length of the peer's chain as far as it was read.
func (a *adopter) length() int {
	if a.last == nil {
		return 0
	}
	return int(a.last.Index()) + 1
}
