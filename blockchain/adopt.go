package blockchain

import "fmt"

// ReplaceFrom adopts blocks, a piece of a longer chain, under the
// longest-chain rule without the part we share: blocks[0] follows our block
// at the height below it, each block follows the one before, and our chain
// with its heights from blocks[0]'s on replaced by blocks is strictly longer
// than ours (else ErrNotLonger, or the RuleError naming the first bad
// block). Leading blocks we hold already are skipped, so a piece that
// extends our tip appends, and one that forks below it replaces our
// heights from the fork on, in one durable step, with Replace's handling
// of transactions.
//
// It is how a chain streamed from a peer is adopted in batches: each call
// is atomic, so a crash between calls leaves a valid chain, our old one or
// a longer one.
func (c *Chain) ReplaceFrom(blocks []*Block) (ReplaceResult, error) {
	for i := 1; i < len(blocks); i++ {
		if err := CheckLink(blocks[i-1], blocks[i], c.floor); err != nil {
			return ReplaceResult{}, err
		}
	}
	c.write.Lock()
	defer c.write.Unlock()
	c.mu.RLock()
	for len(blocks) > 0 && blocks[0].index < int64(len(c.blocks)) && c.blocks[blocks[0].index].hash == blocks[0].hash {
		blocks = blocks[1:]
	}
	n := int64(len(c.blocks))
	if len(blocks) == 0 || blocks[0].index+int64(len(blocks)) <= n {
		c.mu.RUnlock()
		have := n
		if len(blocks) > 0 {
			have = blocks[0].index + int64(len(blocks))
		}
		return ReplaceResult{}, fmt.Errorf("%w (%d blocks against our %d)", ErrNotLonger, have, n)
	}
	fork := blocks[0].index
	if fork < 1 || fork > n {
		c.mu.RUnlock()
		return ReplaceResult{}, &IndexError{Index: fork, Want: n}
	}
	if err := CheckLink(c.blocks[fork-1], blocks[0], c.floor); err != nil {
		c.mu.RUnlock()
		return ReplaceResult{}, err
	}
	return c.adoptLocked(int(fork), blocks)
}
