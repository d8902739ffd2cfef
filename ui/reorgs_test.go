package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui/common"
)

// reorgNet is a Network that went through one reorg.
type reorgNet struct{ stale *blockchain.Block }

func (reorgNet) Peers() []node.PeerStatus  { return nil }
func (reorgNet) Events() <-chan node.Event { return nil }
func (reorgNet) Announce(context.Context, *blockchain.Block) (node.AnnounceResult, error) {
	return node.AnnounceResult{}, nil
}
func (r reorgNet) Reorgs() []node.Reorg {
	return []node.Reorg{{Seq: 1, Time: testNow.Add(-3 * time.Second), Peer: "http://127.0.0.1:5001/", ForkHeight: 1, Depth: 1,
		Returned: []map[string]any{{"author": "alice", "content": "pay bob 5"}}}}
}
func (r reorgNet) StaleBlocks() []node.StaleBlock {
	return []node.StaleBlock{{Block: r.stale, Reorg: 1, Dropped: testNow.Add(-3 * time.Second)}}
}

func TestNetworkOverlayListsReorgsAndStaleBlocks(t *testing.T) {
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	if _, err := c.AddTransaction(map[string]any{"author": "alice", "content": "pay bob 5"}); err != nil {
		t.Fatal(err)
	}
	tmpl, err := c.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	st := common.NewStyles(asciiRenderer())
	view := networkView(st, reorgNet{stale: b}, netInfo{ourLen: 3, now: testNow}, 100, nil)
	for _, want := range []string{
		"reorgs (1, newest first)",
		"3s ago  #1: 1 block replaced, 1 tx back to pending · by 127.0.0.1:5001",
		"stale blocks (1 kept, newest first)",
		"#1 " + b.Hash()[:12] + "…  1 tx  reorg 1  first: alice: pay bob 5",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, view)
		}
	}
}

// TestStaleBlockInspectable: s in the network view opens the newest stale
// block in the inspector, marked as off the chain, with its checks against
// the chain block it was mined on; y copies that block, not the chain's
// block at its height; esc returns to the network view.
func TestStaleBlockInspectable(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := h.chain.AddTransaction(map[string]any{"author": "alice", "content": "pay bob 5"}); err != nil {
		t.Fatal(err)
	}
	tmpl, err := h.chain.Template()
	if err != nil {
		t.Fatal(err)
	}
	stale, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	clip := &fakeClipboard{}
	h = newHarness(t, func(o *Options) { o.Network = reorgNet{stale: stale}; o.Clipboard = clip.copy; o.Chain = h.chain })
	mineChain(t, h.chain, 2) // the chain moved on: its block #1 is another one
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	h.keys("w", "s")
	h.mustContain("Stale block #1 · dropped by reorg 1", "not on the chain", "pay bob 5", "previous_hash links to block #0", "hash matches the contents")
	h.keys("y", "1")
	h.until("copied", func(m Model) bool { return clip.last() != "" })
	if got := clip.last(); got != stale.Hash() {
		t.Fatalf("copied %q, want the stale block's hash %s", got, stale.Hash())
	}
	h.keys("esc")
	if h.m.modes.top() != modeNetwork {
		t.Fatalf("esc from the stale block went to mode %v, want the network view", h.m.modes.top())
	}
}
