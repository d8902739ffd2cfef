package node

import (
	"errors"
	"fmt"

	"blockscope/blockchain"
)

// Adoption batches: a streamed chain is written to the store this many
// blocks (or bytes) at a time, each batch one durable step. A variable so
// that the crash test's child process can cut a short chain into batches.
var (
	adoptBatchBlocks = 4096
	adoptBatchBytes  = 8 << 20
)

// maxStagedBytes bounds the blocks of a fork held in memory until they
// make a chain longer than ours; a deeper fork is refused.
const maxStagedBytes = 128 << 20

// adopter judges a peer's chain block by block as it arrives and adopts it
// in batches under the longest-chain rule: blocks we hold already are
// skipped, blocks that extend our chain are written every batch, and the
// blocks of a fork are kept until they make a chain longer than ours,
// which then replaces ours from the fork on. It stops at the first block
// that breaks the rules; the batches written before stay, as each made a
// valid chain longer than ours. Each batch is atomic, so a crash midway
// leaves our old chain or a longer valid one.
type adopter struct {
	chain *blockchain.Chain
	// replace adopts a piece of the peer's chain (Node.adopt).
	replace func([]*blockchain.Block) (blockchain.ReplaceResult, error)
	// parent is the block the next one must follow; nil until the first.
	parent *blockchain.Block
	// last is the peer's newest block seen.
	last       *blockchain.Block
	batch      []*blockchain.Block
	batchBytes int

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
	if len(a.batch) == 0 && a.holds(b) {
		return nil
	}
	a.batch = append(a.batch, b)
	a.batchBytes += len(b.Preimage())
	if len(a.batch) < adoptBatchBlocks && a.batchBytes < adoptBatchBytes {
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
	if len(a.batch) == 0 {
		return nil
	}
	rr, err := a.replace(a.batch)
	switch {
	case err == nil:
		if !a.adopted {
			a.adopted, a.result.ForkHeight = true, rr.ForkHeight
		}
		a.result.Dropped += rr.Dropped
		a.result.Restored += rr.Restored
		a.batch, a.batchBytes = nil, 0
		return nil
	case errors.Is(err, blockchain.ErrNotLonger):
		if final {
			a.batch, a.batchBytes = nil, 0
			return nil
		}
		// Another peer's answer may have brought these blocks meanwhile.
		for len(a.batch) > 0 && a.holds(a.batch[0]) {
			a.batchBytes -= len(a.batch[0].Preimage())
			a.batch = a.batch[1:]
		}
		if a.batchBytes > maxStagedBytes {
			return fmt.Errorf("the peer's chain forks from ours at height %d, deeper than the %d MiB we hold in memory to compare: not adopted", a.batch[0].Index(), maxStagedBytes>>20)
		}
		return nil
	}
	return fmt.Errorf("adopt blocks from #%d: %w", a.batch[0].Index(), err)
}

// length returns the length of the peer's chain as far as it was read.
func (a *adopter) length() int {
	if a.last == nil {
		return 0
	}
	return int(a.last.Index()) + 1
}
