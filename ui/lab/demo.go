package lab

import (
	"context"
	"fmt"
	"time"

	"blockscope/blockchain"
)

// labDemoBlocks are the transactions of the demo chain's blocks 1..3.
var labDemoBlocks = [][][2]string{
	{{"alice", "pay bob 5"}, {"bob", "hello from the terminal"}},
	{{"carol", "héllo wörld"}, {"alice", "pay carol 2"}},
	{{"bob", "pay alice 1"}},
}

// NewDemoChain returns a throwaway in-memory chain for `blockscope --lab`:
// the genesis and three blocks with a few transactions, mined at the seed's
// difficulty with the reference miner (a few hundred attempts each). The
// transactions are stamped by clock (nil means time.Now). Nothing is
// written anywhere.
func NewDemoChain(ctx context.Context, clock func() time.Time) (*blockchain.Chain, error) {
	if clock == nil {
		clock = time.Now
	}
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: clock})
	for _, txs := range labDemoBlocks {
		for _, tx := range txs {
			if _, err := c.AddTransaction(map[string]any{"author": tx[0], "content": tx[1]}); err != nil {
				return nil, fmt.Errorf("demo transaction %q: %w", tx[1], err)
			}
		}
		template, err := c.Template()
		if err != nil {
			return nil, fmt.Errorf("demo block %d: %w", c.Len(), err)
		}
		b, err := blockchain.Mine(ctx, template, c.Difficulty())
		if err != nil {
			return nil, fmt.Errorf("mine demo block %d: %w", template.Index(), err)
		}
		if err := c.AddBlock(b); err != nil {
			return nil, fmt.Errorf("add demo block %d: %w", b.Index(), err)
		}
	}
	return c, nil
}
