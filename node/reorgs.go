package node

import (
	"fmt"
	"sync"
	"time"

	"blockscope/blockchain"
)

// Bounds of what a node remembers of its reorganisations.
const (
	// MaxStaleBlocks is how many dropped blocks a node keeps, newest last.
	MaxStaleBlocks = 1000
	// MaxReorgs is how many reorg records a node keeps, newest last.
	MaxReorgs = 1000
)

// Reorg records one adoption of a longer chain that replaced blocks of
// ours: the moment the longest-chain rule undid part of our history.
type Reorg struct {
	// Seq numbers the node's reorgs from 1, in the order they happened.
	Seq uint64
	// Time is when the longer chain was adopted.
	Time time.Time
	// Peer is the URL of the peer whose chain replaced ours.
	Peer string
	// ForkHeight is the first height where the two chains differ.
	ForkHeight int64
	// Depth is how many of our blocks were replaced.
	Depth int
	// OldTip and NewTip are the hashes of our newest block before and
	// after; OldLength and NewLength the chain lengths.
	OldTip, NewTip       string
	OldLength, NewLength int
	// Returned holds the transactions of the dropped blocks that went back
	// to pending because the new chain does not hold them, in block order:
	// of a reorg dropping more than MaxStaleBlocks blocks, those of the
	// newest MaxStaleBlocks (as many as went back when it was staged, see
	// blockchain.ForkStage.Switch). They must not be modified.
	Returned []map[string]any
}

// StaleBlock is a block this node once had on its chain and dropped in a
// reorg.
type StaleBlock struct {
	Block *blockchain.Block
	// Reorg is the Seq of the reorg that dropped it.
	Reorg uint64
	// Dropped is when it left the chain.
	Dropped time.Time
}

// reorgLog keeps the latest reorgs and stale blocks. It is safe for
// concurrent use.
type reorgLog struct {
	mu     sync.Mutex
	seq    uint64
	reorgs []Reorg
	stale  []StaleBlock
}

// add records r (its Seq is set here) and the blocks it dropped, keeping
// at most MaxReorgs records and MaxStaleBlocks blocks. It returns r as
// recorded.
func (l *reorgLog) add(r Reorg, dropped []*blockchain.Block) Reorg {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	r.Seq = l.seq
	l.reorgs = appendBounded(l.reorgs, MaxReorgs, r)
	for _, b := range dropped {
		l.stale = appendBounded(l.stale, MaxStaleBlocks, StaleBlock{Block: b, Reorg: r.Seq, Dropped: r.Time})
	}
	return r
}

// appendBounded appends v and drops the oldest entries beyond limit,
// reusing the slice's storage.
func appendBounded[T any](s []T, limit int, v T) []T {
	if len(s) >= limit {
		n := copy(s, s[len(s)-limit+1:])
		s = s[:n]
	}
	return append(s, v)
}

// Reorgs returns the node's latest reorgs (at most MaxReorgs), oldest
// first. The slice is a copy; the transactions in it are shared.
func (n *Node) Reorgs() []Reorg {
	n.reorgs.mu.Lock()
	defer n.reorgs.mu.Unlock()
	return append([]Reorg(nil), n.reorgs.reorgs...)
}

// StaleBlocks returns the latest blocks the node dropped in reorgs (at most
// MaxStaleBlocks), oldest first. The slice is a copy.
func (n *Node) StaleBlocks() []StaleBlock {
	n.reorgs.mu.Lock()
	defer n.reorgs.mu.Unlock()
	return append([]StaleBlock(nil), n.reorgs.stale...)
}

// adopt adopts blocks, a piece of peer's longer chain that links to ours
// (blockchain.Chain.ReplaceFrom; a whole chain is such a piece too) and,
// when that drops blocks of ours, keeps them and records the reorg. The
// blocks to drop are read just before the replacement: a block appended in
// between (by our miner or a peer's /add_block) still counts in Depth but is
// not kept among the stale blocks.
func (n *Node) adopt(peer string, blocks []*blockchain.Block) (blockchain.ReplaceResult, error) {
	oldTip := n.chain.Tip()
	ours := n.blocksAfterFork(oldTip, blocks)
	rr, err := n.chain.ReplaceFrom(blocks)
	if err != nil || rr.Dropped == 0 {
		return rr, err
	}
	var dropped []*blockchain.Block
	for _, b := range ours {
		if b.Index() >= rr.ForkHeight {
			dropped = append(dropped, b)
		}
	}
	returned := returnedTransactions(dropped, blocks[rr.ForkHeight-blocks[0].Index():])
	n.recordReorg(peer, rr, oldTip, blocks[len(blocks)-1], returned, dropped)
	return rr, nil
}

// recordReorg records the reorg that replaced our chain from oldTip with a
// peer's up to newTip, keeping dropped as stale blocks, and announces it.
func (n *Node) recordReorg(peer string, rr blockchain.ReplaceResult, oldTip, newTip *blockchain.Block, returned []map[string]any, dropped []*blockchain.Block) {
	r := n.reorgs.add(Reorg{
		Time:       time.Now(),
		Peer:       peer,
		ForkHeight: rr.ForkHeight,
		Depth:      rr.Dropped,
		OldTip:     oldTip.Hash(),
		NewTip:     newTip.Hash(),
		OldLength:  int(oldTip.Index()) + 1,
		NewLength:  int(newTip.Index()) + 1,
		Returned:   returned,
	}, dropped)
	n.emit(Event{Kind: EventReorg, Peer: peer, Index: r.ForkHeight, Length: r.Depth, Message: r.String()})
}

// adoptStaged makes st, a peer's fork staged in the store, our chain
// (blockchain.ForkStage.Switch) and records the reorg. Of the blocks it
// drops, however many, the newest MaxStaleBlocks are kept as stale blocks,
// read just before the switch.
func (n *Node) adoptStaged(peer string, st *blockchain.ForkStage) (blockchain.ReplaceResult, error) {
	oldTip := n.chain.Tip()
	ours, err := n.chain.Range(max(st.Fork(), oldTip.Index()+1-MaxStaleBlocks), oldTip.Index()+1)
	if err != nil {
		return blockchain.ReplaceResult{}, err
	}
	began := time.Now()
	rr, restored, err := st.Switch()
	if err != nil {
		return rr, err
	}
	n.log.Info("switched to a peer's staged chain", "peer", peer, "fork", rr.ForkHeight, "length", st.Len(), "took", time.Since(began).Round(time.Millisecond))
	returned := make([]map[string]any, len(restored))
	for i, p := range restored {
		returned[i] = p.Tx
	}
	n.recordReorg(peer, rr, oldTip, st.Tip(), returned, ours)
	return rr, nil
}

// blocksAfterFork returns our blocks, up to tip, that blocks (a piece of a
// chain from blocks[0]'s height on, which shares our blocks below it) does
// not hold at the same height: the ones adopting blocks would drop, the
// newest MaxStaleBlocks of them at most, as many as the node keeps.
func (n *Node) blocksAfterFork(tip *blockchain.Block, blocks []*blockchain.Block) []*blockchain.Block {
	var ours []*blockchain.Block
	start := blocks[0].Index()
	for h := tip.Index(); h > 0 && h >= start && len(ours) < MaxStaleBlocks; h-- {
		b := n.chain.Block(h)
		if b == nil {
			continue // the chain changed under us; ReplaceFrom decides
		}
		if off := h - start; off < int64(len(blocks)) && blocks[off].Hash() == b.Hash() {
			break
		}
		ours = append(ours, b)
	}
	for i, j := 0, len(ours)-1; i < j; i, j = i+1, j-1 {
		ours[i], ours[j] = ours[j], ours[i]
	}
	return ours
}

// returnedTransactions lists the transactions of dropped that adopted does
// not hold, counting copies as Chain.Replace does: the ones that went back
// to pending.
func returnedTransactions(dropped, adopted []*blockchain.Block) []map[string]any {
	inNew := map[string]int{}
	for _, b := range adopted {
		for _, tx := range b.Transactions() {
			if c, err := blockchain.Canonical(tx); err == nil {
				inNew[string(c)]++
			}
		}
	}
	var out []map[string]any
	for _, b := range dropped {
		for _, tx := range b.Transactions() {
			obj, ok := tx.(map[string]any)
			if !ok {
				continue
			}
			c, err := blockchain.Canonical(obj)
			if err != nil {
				continue
			}
			if inNew[string(c)] > 0 {
				inNew[string(c)]--
				continue
			}
			out = append(out, obj)
		}
	}
	return out
}

// String describes the reorg in one sentence, e.g. "reorg at #12: 2 blocks
// replaced by the branch of http://127.0.0.1:5001/, 3 transactions back to
// pending".
func (r Reorg) String() string {
	return fmt.Sprintf("reorg at #%d: %s replaced by the branch of %s, %s back to pending",
		r.ForkHeight, plural(r.Depth, "block"), r.Peer, plural(len(r.Returned), "transaction"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
