package localnet

import (
	"context"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// NodeStatus is one member of the network as it stands.
type NodeStatus struct {
	Name    string
	URL     string
	Outside bool
	// Share is the node's share of the network's hash power; Paused says
	// its miner is stopped.
	Share  float64
	Paused bool
	// Height and Tip are its newest block's index and hash.
	Height int64
	Tip    string
	// Mined counts the blocks it found, OnMain those of them on the main
	// chain, Stale the others.
	Mined, OnMain, Stale int
	// Pending is its pending pool's size.
	Pending int
	// Peers and PeersUp count its peers and those whose last exchange
	// worked.
	Peers, PeersUp int
	// Trouble is why an outside peer's chain could not be read lately.
	Trouble string
}

// Snapshot is the network as it stands.
type Snapshot struct {
	Nodes []NodeStatus
	// MainHeight and MainTip are the main chain's: the longest held by a
	// local node (ties: held by most nodes, then the first node's).
	MainHeight int64
	MainTip    string
	// Main holds the main chain's hashes by height.
	Main []string
	// Blocks are every block the local nodes found, in the order found.
	Blocks []FoundBlock
	// Found and Stale count blocks found and found off the main chain.
	Found, Stale int
	Split        bool
	Latency      time.Duration
	Elapsed      time.Duration
}

// StaleRate is stale blocks over all blocks found, 0 before any.
func (s Snapshot) StaleRate() float64 {
	if s.Found == 0 {
		return 0
	}
	return float64(s.Stale) / float64(s.Found)
}

// Converged reports whether every local node has the main chain's tip.
func (s Snapshot) Converged() bool {
	for _, n := range s.Nodes {
		if !n.Outside && n.Tip != s.MainTip {
			return false
		}
	}
	return true
}

// OnMain reports whether hash is the main chain's block at height.
func (s Snapshot) OnMain(height int64, hash string) bool {
	return height >= 0 && height < int64(len(s.Main)) && s.Main[height] == hash
}

// Snapshot returns the network's state now.
func (nw *Network) Snapshot() Snapshot {
	s := Snapshot{Split: nw.IsSplit(), Latency: nw.Latency(), Elapsed: time.Since(nw.start)}
	mainAt := nw.mainHolder()
	s.Main = chainHashes(nw.locals[mainAt].chain)
	s.MainHeight = int64(len(s.Main) - 1)
	s.MainTip = s.Main[s.MainHeight]
	nw.mu.Lock()
	s.Blocks = make([]FoundBlock, len(nw.order))
	for k, h := range nw.order {
		s.Blocks[k] = nw.found[h]
	}
	shares := make([]float64, len(nw.locals))
	paused := make([]bool, len(nw.locals))
	for i, m := range nw.locals {
		shares[i], paused[i] = m.share, m.paused
	}
	seen := make([]outsideState, len(nw.all))
	for i, m := range nw.all[len(nw.locals):] {
		seen[len(nw.locals)+i] = m.seen
	}
	nw.mu.Unlock()
	s.Nodes = make([]NodeStatus, len(nw.all))
	for i, m := range nw.all {
		ns := NodeStatus{Name: m.name, URL: m.url, Outside: m.outside, Height: seen[i].height, Tip: seen[i].tip, Trouble: seen[i].err}
		if !m.outside {
			tip := m.chain.Tip()
			ns.Share, ns.Paused = shares[i], paused[i]
			ns.Height, ns.Tip, ns.Pending = tip.Index(), tip.Hash(), len(m.chain.Pending())
			for _, p := range m.node.Peers() {
				ns.Peers++
				if p.LastError == "" {
					ns.PeersUp++
				}
			}
		}
		s.Nodes[i] = ns
	}
	for _, b := range s.Blocks {
		s.Found++
		s.Nodes[b.Miner].Mined++
		if s.OnMain(b.Height, b.Hash) {
			s.Nodes[b.Miner].OnMain++
		} else {
			s.Stale++
			s.Nodes[b.Miner].Stale++
		}
	}
	return s
}

// mainHolder returns the local node holding the main chain: the longest,
// then the tip most nodes share, then the first.
func (nw *Network) mainHolder() int {
	best, bestLen, bestCount := 0, -1, 0
	count := map[string]int{}
	tips := make([]*blockchain.Block, len(nw.locals))
	for i, m := range nw.locals {
		tips[i] = m.chain.Tip()
		count[tips[i].Hash()]++
	}
	for i, t := range tips {
		l, c := int(t.Index()), count[t.Hash()]
		if l > bestLen || (l == bestLen && c > bestCount) {
			best, bestLen, bestCount = i, l, c
		}
	}
	return best
}

// chainHashes returns c's block hashes by height: the one place this
// package reads a chain's blocks.
func chainHashes(c *blockchain.Chain) []string {
	n := c.Len()
	out := make([]string, 0, n)
	for h := range int64(n) {
		b := c.Block(h)
		if b == nil {
			break // replaced meanwhile by a shorter read; the caller sees a prefix
		}
		out = append(out, b.Hash())
	}
	return out
}

// Confirmations says, for each local node, where transaction key stands:
// the number of blocks from the one holding it to the node's tip (1 when
// it is in the tip), 0 when it is pending there, -1 when the node has not
// heard of it.
func (nw *Network) Confirmations(key TxKey) []int {
	out := make([]int, len(nw.locals))
	for i, m := range nw.locals {
		out[i] = confirmations(m.chain, key)
	}
	return out
}

func confirmations(c *blockchain.Chain, key TxKey) int {
	tip := c.Tip().Index()
	for h := tip; h > 0; h-- {
		b := c.Block(h)
		if b == nil {
			continue
		}
		for _, tx := range b.Transactions() {
			if blockchain.TxAuthor(tx) == key.Author && blockchain.TxContent(tx) == key.Content {
				return int(tip-h) + 1
			}
		}
	}
	for _, p := range c.Pending() {
		if p.Author() == key.Author && p.Content() == key.Content {
			return 0
		}
	}
	return -1
}

// Reorgs returns every local node's reorg records, node by node.
func (nw *Network) Reorgs() map[string][]node.Reorg {
	out := map[string][]node.Reorg{}
	for _, m := range nw.locals {
		if rs := m.node.Reorgs(); len(rs) > 0 {
			out[m.name] = rs
		}
	}
	return out
}

// waitChange waits until some local node's chain changes or ctx ends.
func (nw *Network) waitChange(ctx context.Context, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	agg := make(chan struct{}, 1)
	for _, m := range nw.locals {
		ch, unsub := m.chain.Subscribe()
		defer unsub()
		go func() {
			select {
			case <-ch:
				select {
				case agg <- struct{}{}:
				default:
				}
			case <-ctx.Done():
			}
		}()
	}
	select {
	case <-agg:
	case <-ctx.Done():
	}
}
