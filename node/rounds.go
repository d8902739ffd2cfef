package node

import (
	"sync"
	"time"

	"blockscope/blockchain"
)

// roundTriggerGap is the least time between two consensus rounds one
// sender's blocks can start: a block "ahead" costs 56 hashes at the seed's
// difficulty, and a round costs every peer a chain read.
const roundTriggerGap = 2 * time.Second

// maxRoundGateEntries bounds the senders and block hashes a roundGate
// remembers.
const maxRoundGateEntries = 4096

// roundGate decides whether a block that shows we may be behind starts a
// consensus round: not when the same block already started one (a replay),
// and at most once per roundTriggerGap per sender. It is safe for
// concurrent use.
type roundGate struct {
	mu       sync.Mutex
	bySender map[string]time.Time
	byHash   map[string]struct{}
}

func newRoundGate() *roundGate {
	return &roundGate{bySender: map[string]time.Time{}, byHash: map[string]struct{}{}}
}

// allow reports whether a block with hash from sender may start a round at
// now, and records it when it may.
func (g *roundGate) allow(sender, hash string, now time.Time) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, replayed := g.byHash[hash]; replayed {
		return false
	}
	if last, ok := g.bySender[sender]; ok && now.Sub(last) < roundTriggerGap {
		return false
	}
	if len(g.byHash) >= maxRoundGateEntries {
		clear(g.byHash) // forgetting old hashes costs at most a round each
	}
	if len(g.bySender) >= maxRoundGateEntries {
		for s, t := range g.bySender {
			if now.Sub(t) >= roundTriggerGap {
				delete(g.bySender, s)
			}
		}
	}
	g.byHash[hash] = struct{}{}
	g.bySender[sender] = now
	return true
}

// requestRoundFor asks for a consensus round because sender sent block
// hash, unless the round gate holds it back. It reports whether a round
// was asked for.
func (n *Node) requestRoundFor(sender, hash string) bool {
	if !n.rounds.allow(sender, hash, time.Now()) {
		return false
	}
	n.requestSync()
	return true
}

// roundFor asks for a round for block b from sender (see requestRoundFor)
// and says what was done, for the answer to the sender.
func (n *Node) roundFor(sender string, b *blockchain.Block) string {
	if n.requestRoundFor(sender, b.Hash()) {
		return "fetching the peers' chains"
	}
	return "the peers' chains were fetched recently"
}
