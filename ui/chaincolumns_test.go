package ui

import (
	"fmt"
	"strings"
	"testing"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// columnsChain is a chain of n+1 blocks whose block #1 has a nonce of
// thirteen digits (as a peer's, or a search at a high difficulty, may
// have) and every other block a nonce below a thousand: the rows a list
// shows at its end differ from those at its top.
func columnsChain(t *testing.T, n int) *blockchain.Chain {
	t.Helper()
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	for i := 0; i < n; i++ {
		tip := c.Tip()
		tx := map[string]any{"author": "miner", "content": "block payload", "timestamp": 1.7639e9 + float64(tip.Index())}
		start := int64(0)
		if i == 0 {
			start = 9_876_543_210_000
		}
		b := mineFrom(t, tip, []any{tx}, start)
		if err := c.AddBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// mineFrom mines the block after tip at difficulty 2, trying nonces from start.
func mineFrom(t *testing.T, tip *blockchain.Block, txs []any, start int64) *blockchain.Block {
	t.Helper()
	tmpl, err := blockchain.NewBlock(tip.Index()+1, txs, 1.7639e9+float64(tip.Index()*60), tip.Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for n := start; n < start+1<<20; n++ {
		if b := tmpl.WithNonce(n); blockchain.LeadingZeros(b.Hash()) >= 2 {
			return b
		}
	}
	t.Fatal("no nonce found")
	return nil
}

// chainPaneLines draws a chain pane alone and returns its lines.
func chainPaneLines(p chainPane) []string {
	return strings.Split(p.View(*asciiStyles(), true, testNow), "\n")
}

// TestChainColumnsStayPut checks, at the widths a newcomer tried, that the
// chain list's columns do not move when the rows on screen change (top of
// the list against its end, where the long nonce is), that a header row
// names them, and that the whole hash shows when the pane has the room.
func TestChainColumnsStayPut(t *testing.T) {
	c := columnsChain(t, 40)
	tip := c.Tip().Hash()
	for _, tc := range []struct {
		name          string
		width, height int // the chain pane's box
		nonce, mined  bool
		fullHash      bool
	}{
		{"80x24", 48, 17, true, false, false},
		{"110x34", 64, 25, true, true, false},
		{"200x50", 118, 40, true, true, true},
		{"narrowest", 36, 12, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newChainPane(c).SetSize(tc.width, tc.height)
			top := chainPaneLines(p)
			p, _ = p.Update(keyMsgs("G")[0], newKeyMap())
			bottom := chainPaneLines(p)
			if top[1] != bottom[1] {
				t.Errorf("the header row changed at G:\n%s\n%s", top[1], bottom[1])
			}
			for _, name := range []string{"#", "hash", "txs"} {
				if !strings.Contains(top[1], name) {
					t.Errorf("header %q lacks %q", top[1], name)
				}
			}
			if got := strings.Contains(top[1], "nonce"); got != tc.nonce {
				t.Errorf("nonce column shown %v, want %v: %q", got, tc.nonce, top[1])
			}
			if got := strings.Contains(top[1], "mined"); got != tc.mined {
				t.Errorf("time column shown %v, want %v: %q", got, tc.mined, top[1])
			}
			// Every row, at the top and at the end, has its mark and its
			// hash in the same cells as the header says.
			hashAt := strings.Index(string([]rune(top[1])), "hash")
			hashCol := len([]rune(top[1][:hashAt]))
			for _, lines := range [][]string{top, bottom} {
				for _, ln := range lines[2 : len(lines)-1] {
					if strings.TrimSpace(strings.Trim(ln, "┃│")) == "" {
						continue
					}
					if w := common.Width(ln); w != tc.width {
						t.Errorf("row is %d cells, want %d: %q", w, tc.width, ln)
					}
					cells := []rune(ln)
					if mark := string(cells[tc.width-2]); mark != "✓" {
						t.Errorf("row's mark %q not in the last cell: %q", mark, ln)
					}
					if cells[hashCol-1] != ' ' || !strings.ContainsRune("0123456789abcdef", cells[hashCol]) {
						t.Errorf("hash not under its header: %q", ln)
					}
				}
			}
			if got := strings.Contains(strings.Join(top, "\n"), tip); got != tc.fullHash {
				t.Errorf("whole hash of the tip shown %v, want %v", got, tc.fullHash)
			}
		})
	}
}

// TestChainColumnsLongNonce checks that a nonce too long for its column is
// rounded to the column rather than widening it.
func TestChainColumnsLongNonce(t *testing.T) {
	c := columnsChain(t, 2)
	p := newChainPane(c).SetSize(64, 10)
	view := strings.Join(chainPaneLines(p), "\n")
	if !strings.Contains(view, "9.88 T") {
		t.Errorf("block #1's nonce not rounded to its column:\n%s", view)
	}
	for _, tc := range []struct {
		n     int64
		width int
		want  string
	}{
		{694, 10, "694"},
		{16_777_216, 10, "16,777,216"},
		{123_456_789, 10, "123456789"},
		{9_876_543_210_123, 10, "9.88 T"},
		{123_456, 5, "123 k"},
		{1_234_567, 5, "1.23M"},
	} {
		if got := common.CountCell(tc.n, tc.width); got != tc.want {
			t.Errorf("CountCell(%d, %d) = %q, want %q", tc.n, tc.width, got, tc.want)
		}
	}
}

// TestGoldenChainColumns draws the whole screen at the end of the chain
// (G), where the long nonce is, at the sizes a newcomer tried.
func TestGoldenChainColumns(t *testing.T) {
	c := columnsChain(t, 40)
	for _, size := range []struct{ w, h int }{{80, 24}, {110, 34}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			g := startGolden(t, size.w, size.h, func(o *Options) { o.Chain = c })
			g.waitScreen(t, "newest first")
			g.keys("G")
			g.waitScreen(t, "#0 ")
			g.finish(t)
		})
	}
}
