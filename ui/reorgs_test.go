package ui

import (
	"context"
	"strings"
	"testing"
	"time"

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
	view := networkView(st, reorgNet{stale: b}, API{}, 3, 0, 100, testNow, nil, peerPick{})
	for _, want := range []string{
		"reorgs (1, newest first)",
		"3s ago  reorg at #1: 1 block replaced by the branch of http://127.0.0.1:5001/",
		"stale blocks (1 kept, newest first)",
		"#1 " + b.Hash()[:12] + "…  1 tx  reorg 1  first: alice: pay bob 5",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the overlay lacks %q:\n%s", want, view)
		}
	}
}
