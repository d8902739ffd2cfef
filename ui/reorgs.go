package ui

import (
	"fmt"
	"net/url"
	"time"

	"github.com/charmbracelet/bubbles/viewport"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui/common"
)

// reorgSource is what a Network may also tell: the reorgs it went through
// and the blocks they dropped (*node.Node does). The overlay lists them
// when it does.
type reorgSource interface {
	Reorgs() []node.Reorg
	StaleBlocks() []node.StaleBlock
}

// reorgLines lists the node's latest reorgs and stale blocks, newest
// first, for the network overlay, in at most rows lines (rows <= 0: no
// bound); nothing when n keeps no such record. A list cut short says how
// many it leaves out.
func reorgLines(st common.Styles, n Network, width, rows int, now time.Time) []string {
	src, ok := n.(reorgSource)
	if !ok {
		return nil
	}
	reorgs, stale := src.Reorgs(), src.StaleBlocks()
	if len(reorgs) == 0 {
		return []string{"", st.Dim.Render(" no reorg yet: no block of ours was ever replaced by a longer chain")}
	}
	rn, sn := len(reorgs), len(stale)
	if rows > 0 {
		rn, sn = shareRows(len(reorgs), len(stale), rows-3) // a blank and two titles
	}
	lines := []string{"", " " + st.Label.Render(fmt.Sprintf("reorgs (%d, newest first)", len(reorgs)))}
	for k := len(reorgs) - 1; k >= len(reorgs)-rn; k-- {
		lines = append(lines, " "+common.Clip(common.Age(now, reorgs[k].Time)+" ago  "+reorgText(reorgs[k]), width-1))
	}
	if left := len(reorgs) - rn; left > 0 {
		lines = append(lines, " "+st.Dim.Render(fmt.Sprintf("%d older not shown", left)))
	}
	lines = append(lines, " "+st.Label.Render(fmt.Sprintf("stale blocks (%d kept, newest first)", len(stale))))
	for k := len(stale) - 1; k >= len(stale)-sn; k-- {
		lines = append(lines, " "+common.Clip(staleLine(stale[k]), width-1))
	}
	if left := len(stale) - sn; left > 0 {
		lines = append(lines, " "+st.Dim.Render(fmt.Sprintf("%d more: s shows all", left)))
	}
	return lines
}

// shareRows splits room rows between a list of a items and one of b,
// each shown whole when it fits: a list cut short keeps a row to say how
// many it leaves out, and a list the other does not need gets the rest.
// It returns how many items of each to show.
func shareRows(a, b, room int) (int, int) {
	if a+b <= room {
		return a, b
	}
	fit := func(n, rows int) int {
		if n <= rows {
			return n
		}
		return max(0, rows-1) // one row says how many more
	}
	half := max(0, room) / 2
	switch {
	case a <= half:
		return a, fit(b, room-a)
	case b <= room-half:
		return fit(a, room-b), b
	}
	return fit(a, half), fit(b, room-half)
}

// reorgText says what a reorg did, the peer last and as host:port, so
// that a cut at the overlay's edge takes the least of its meaning.
func reorgText(r node.Reorg) string {
	peer := r.Peer
	if u, err := url.Parse(r.Peer); err == nil && u.Host != "" {
		peer = u.Host
	}
	return fmt.Sprintf("#%d: %s replaced, %s back to pending · by %s",
		r.ForkHeight, common.Plural(int64(r.Depth), "block"), common.Plural(int64(len(r.Returned)), "tx"), peer)
}

// staleLine describes a dropped block: where it was, its hash, what it held.
func staleLine(s node.StaleBlock) string {
	b := s.Block
	line := fmt.Sprintf("#%d %s  %s  reorg %d", b.Index(), short(b.Hash()), common.Plural(int64(len(b.Transactions())), "tx"), s.Reorg)
	if txs := b.Transactions(); len(txs) > 0 {
		line += fmt.Sprintf("  first: %s: %s", common.OneLine(blockchain.TxAuthor(txs[0])), common.OneLine(blockchain.TxContent(txs[0])))
	}
	return line
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

// openStale shows the stale block k places back from the newest (0 is the
// newest) in the inspector, over the network view. Its parent is the stale
// block it was mined on, or the chain's block where the fork began.
func (m Model) openStale(k int) Model {
	src, ok := m.opts.Network.(reorgSource)
	if !ok {
		return m
	}
	stale := src.StaleBlocks()
	if len(stale) == 0 {
		m.status = info("no stale blocks: no reorg has dropped a block of this node")
		return m
	}
	k = ((k % len(stale)) + len(stale)) % len(stale)
	s := stale[len(stale)-1-k]
	in := inspector{block: s.Block, floor: m.chain.Difficulty(), length: int64(m.chain.Len()), st: m.st, now: m.opts.Now,
		stale: fmt.Sprintf("dropped by reorg %d (%d of %d kept)", s.Reorg, k+1, len(stale))}
	in.parent = staleParent(m.chain, stale, s.Block)
	in.vp = viewport.New(1, 1)
	in.vp.KeyMap = viewport.KeyMap{}
	m.insp = in.SetSize(m.lay.middle.w, m.lay.middle.h)
	m.staleAt = k
	if m.modes.top() != modeInspect {
		m.modes = m.modes.push(modeInspect)
	}
	return m
}

// staleParent finds the block a stale block was mined on: another stale
// block with its previous_hash, or the chain's block below it when the
// hashes agree; nil when neither is kept.
func staleParent(c *blockchain.Chain, stale []node.StaleBlock, b *blockchain.Block) *blockchain.Block {
	for _, s := range stale {
		if h, _ := s.Block.ClaimedHash(); h == b.PreviousHash() && s.Block.Index() == b.Index()-1 {
			return s.Block
		}
	}
	if p := c.Block(b.Index() - 1); p != nil {
		if h, _ := p.ClaimedHash(); h == b.PreviousHash() {
			return p
		}
	}
	return nil
}
