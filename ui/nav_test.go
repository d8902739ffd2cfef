package ui

import (
	"strings"
	"testing"

	"blockscope/blockchain"
)

// TestListNavigation: every list moves with the same keys: a row, half a
// page, a page, an end.
func TestListNavigation(t *testing.T) {
	// At 100x30 the chain pane lists 19 of its 41 blocks and the pending
	// pane 19 of its 30 transactions (one line says how many are off it).
	tests := []struct {
		name   string
		pane   string // the key that focuses the pane
		keys   []string
		row    int // the row selected
		offset int // the first row shown
	}{
		{"chain ctrl+d", "2", []string{"ctrl+d"}, 9, 9},
		{"chain ctrl+d twice", "2", []string{"ctrl+d", "ctrl+d"}, 18, 18},
		{"chain ctrl+d ctrl+u", "2", []string{"ctrl+d", "ctrl+d", "ctrl+u"}, 9, 9},
		{"chain pgdown", "2", []string{"pgdown"}, 18, 18},
		{"chain pgdown pgup", "2", []string{"pgdown", "pgup"}, 0, 0},
		{"chain end", "2", []string{"end"}, 40, 22},
		{"chain G", "2", []string{"G"}, 40, 22},
		{"chain end home", "2", []string{"end", "home"}, 0, 0},
		{"chain G g", "2", []string{"G", "g"}, 0, 0},
		{"chain ctrl+d at the bottom", "2", []string{"G", "ctrl+d"}, 40, 22},
		{"pending ctrl+d", "1", []string{"ctrl+d"}, 9, 9},
		{"pending pgdown", "1", []string{"pgdown"}, 18, 11},
		{"pending G", "1", []string{"G"}, 29, 11},
		{"pending end ctrl+u", "1", []string{"end", "ctrl+u"}, 20, 2},
		{"pending G home", "1", []string{"G", "home"}, 0, 0},
	}
	h := newHarness(t, nil)
	mineChain(t, h.chain, 40)
	for i := 0; i < 30; i++ {
		h.addTx("alice", "payment "+strings.Repeat("x", i))
	}
	h.until("chain and pool shown", func(m Model) bool { return m.chainP.length == 41 && len(m.pending.txs) == 30 })
	start := h.m
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.m = start
			h.keys(tt.pane)
			h.keys(tt.keys...)
			c := h.m.chainP.listCursor
			if tt.pane == "1" {
				c = h.m.pending.listCursor
			}
			if c.Cursor != tt.row || c.Offset != tt.offset {
				t.Errorf("row %d shown from %d, want row %d shown from %d", c.Cursor, c.Offset, tt.row, tt.offset)
			}
		})
	}
}

// mineTx appends a block holding one transaction with content to c.
func mineTx(t *testing.T, c *blockchain.Chain, content string) {
	t.Helper()
	mineTxBlock(t, c, map[string]any{"author": "alice", "content": content, "timestamp": 1.7639e9})
}

// TestScrollingViewNavigation: the inspector and the transaction view
// scroll with the keys the lists use.
func TestScrollingViewNavigation(t *testing.T) {
	long := strings.Repeat("a long line of words ", 200)
	h := newHarness(t, nil)
	mineTx(t, h.chain, long)
	h.addTx("bob", long)
	h.until("shown", func(m Model) bool { return m.chainP.length == 2 && len(m.pending.txs) == 1 })
	start := h.m
	views := []struct {
		name string
		open []string
		vp   func(Model) (offset, height, total int)
	}{
		{"inspector", []string{"2", "enter"}, func(m Model) (int, int, int) {
			return m.insp.vp.YOffset, m.insp.vp.Height, m.insp.vp.TotalLineCount()
		}},
		{"transaction", []string{"1", "enter"}, func(m Model) (int, int, int) {
			return m.txv.vp.YOffset, m.txv.vp.Height, m.txv.vp.TotalLineCount()
		}},
	}
	keys := []struct {
		keys []string
		want func(height, bottom int) int
	}{
		{[]string{"ctrl+d"}, func(h, _ int) int { return h / 2 }},
		{[]string{"ctrl+d", "ctrl+d", "ctrl+u"}, func(h, _ int) int { return h / 2 }},
		{[]string{"pgdown"}, func(h, _ int) int { return h - 1 }},
		{[]string{"pgdown", "pgup"}, func(int, int) int { return 0 }},
		{[]string{"G"}, func(_, b int) int { return b }},
		{[]string{"end"}, func(_, b int) int { return b }},
		{[]string{"end", "home"}, func(int, int) int { return 0 }},
		{[]string{"G", "g"}, func(int, int) int { return 0 }},
		{[]string{"j", "j", "k"}, func(int, int) int { return 1 }},
	}
	for _, v := range views {
		for _, k := range keys {
			t.Run(v.name+" "+strings.Join(k.keys, " "), func(t *testing.T) {
				h.m = start
				h.keys(v.open...)
				h.keys(k.keys...)
				offset, height, total := v.vp(h.m)
				if total < 3*height {
					t.Fatalf("%d lines in a view of %d: too short to test scrolling", total, height)
				}
				if want := k.want(height, total-height); offset != want {
					t.Errorf("scrolled to line %d, want %d (view %d of %d lines)", offset, want, height, total)
				}
			})
		}
	}
}
