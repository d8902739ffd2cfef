package ui

import (
	"fmt"
	"time"

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

// maxReorgLines bounds the reorgs and stale blocks the overlay lists.
const maxReorgLines = 4

// reorgLines lists the node's latest reorgs and stale blocks, newest
// first, for the network overlay; nothing when n keeps no such record.
func reorgLines(st common.Styles, n Network, width int, now time.Time) []string {
	src, ok := n.(reorgSource)
	if !ok {
		return nil
	}
	reorgs, stale := src.Reorgs(), src.StaleBlocks()
	if len(reorgs) == 0 {
		return []string{"", st.Dim.Render(" no reorg yet: no block of ours was ever replaced by a longer chain")}
	}
	lines := []string{"", " " + st.Label.Render(fmt.Sprintf("reorgs (%d, newest first)", len(reorgs)))}
	for k := len(reorgs) - 1; k >= 0 && k >= len(reorgs)-maxReorgLines; k-- {
		r := reorgs[k]
		lines = append(lines, " "+common.Clip(common.Age(now, r.Time)+" ago  "+common.OneLine(r.String()), width-1))
	}
	lines = append(lines, " "+st.Label.Render(fmt.Sprintf("stale blocks (%d kept, newest first)", len(stale))))
	for k := len(stale) - 1; k >= 0 && k >= len(stale)-maxReorgLines; k-- {
		lines = append(lines, " "+common.Clip(staleLine(stale[k]), width-1))
	}
	return lines
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
