package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

func TestShareRows(t *testing.T) {
	tests := []struct {
		a, b, room   int
		wantA, wantB int
	}{
		{5, 5, 10, 5, 5},    // all fit
		{5, 5, 8, 3, 3},     // both cut: each keeps a row for "N more"
		{1, 5, 4, 1, 2},     // the short list whole, the long one takes the rest
		{5, 1, 4, 2, 1},     // the other way round
		{5, 5, 0, 0, 0},     // no room: only the "N more" lines
		{5, 5, -2, 0, 0},    // less than none
		{0, 12, 7, 0, 6},    // no reorg listed... (never drawn so, but shared right)
		{3, 0, 2, 1, 0},     // a cut list alone
		{2, 2, 20, 2, 2},    // spare rows stay spare
		{9, 9, 21, 9, 9},    // 18 fit in 21
		{10, 10, 19, 8, 10}, // a cut at one side only
	}
	for _, tt := range tests {
		a, b := shareRows(tt.a, tt.b, tt.room)
		if a != tt.wantA || b != tt.wantB {
			t.Errorf("shareRows(%d, %d, %d) = %d, %d; want %d, %d", tt.a, tt.b, tt.room, a, b, tt.wantA, tt.wantB)
		}
		if used := a + b + boolInt(a < tt.a) + boolInt(b < tt.b); tt.room >= 2 && used > tt.room {
			t.Errorf("shareRows(%d, %d, %d) takes %d rows", tt.a, tt.b, tt.room, used)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// manyReorgsNet is a Network that went through n reorgs, each dropping
// one block.
type manyReorgsNet struct {
	reorgs []node.Reorg
	stale  []node.StaleBlock
}

func newManyReorgsNet(t *testing.T, n int) manyReorgsNet {
	t.Helper()
	var net manyReorgsNet
	for i := 1; i <= n; i++ {
		tx := map[string]any{"author": "alice", "content": fmt.Sprintf("pay bob %d", i)}
		b, err := blockchain.NewBlock(int64(i), []any{tx}, 1.7639e9+float64(i), strings.Repeat("0", 64), int64(i))
		if err != nil {
			t.Fatal(err)
		}
		at := testNow.Add(-time.Duration(n-i+1) * time.Minute)
		net.reorgs = append(net.reorgs, node.Reorg{Seq: uint64(i), Time: at, Peer: "http://127.0.0.1:5001/", ForkHeight: int64(i), Depth: 1,
			Returned: []map[string]any{tx}})
		net.stale = append(net.stale, node.StaleBlock{Block: b, Reorg: uint64(i), Dropped: at})
	}
	return net
}

func (manyReorgsNet) Peers() []node.PeerStatus  { return nil }
func (manyReorgsNet) Events() <-chan node.Event { return nil }
func (manyReorgsNet) Announce(context.Context, *blockchain.Block) (node.AnnounceResult, error) {
	return node.AnnounceResult{}, nil
}
func (r manyReorgsNet) Reorgs() []node.Reorg           { return r.reorgs }
func (r manyReorgsNet) StaleBlocks() []node.StaleBlock { return r.stale }

// TestGoldenNetworkReorgs: the network view lists as many reorgs and stale
// blocks as its rows allow (all 5 at 110x34), says how many it leaves out
// at 80x24 (of 8), and a reorg line keeps the peer, as host:port, last.
func TestGoldenNetworkReorgs(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		reorgs        int
		want          []string
	}{
		{"80x24", 80, 24, 8, []string{"more: s shows all", "older not shown", "· by 127.0.0.1:5001"}},
		{"110x34", 110, 34, 5, []string{"stale blocks (5 kept, newest first)", "#1 ", "· by 127.0.0.1:5001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := newManyReorgsNet(t, tt.reorgs)
			g := startGolden(t, tt.width, tt.height, func(o *Options) { o.Network = net })
			g.waitScreen(t, "pay bob 5")
			g.keys("w")
			g.waitScreen(t, "stale blocks")
			view := g.finishView(t)
			for _, w := range tt.want {
				if !strings.Contains(view, w) {
					t.Errorf("the view lacks %q:\n%s", w, view)
				}
			}
			if tt.width == 110 && strings.Contains(view, "more: s shows all") {
				t.Errorf("at 110x34 every stale block fits, yet some are left out:\n%s", view)
			}
		})
	}
}
