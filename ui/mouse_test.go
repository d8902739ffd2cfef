package ui

import (
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestMouseClicks: a click selects the row under the pointer, a second
// click on the same row soon after inspects it, and two clicks too far
// apart in time or rows do not. Time is the screen's clock, moved by hand.
func TestMouseClicks(t *testing.T) {
	var elapsed atomic.Int64
	clock := func() time.Time { return testNow.Add(time.Duration(elapsed.Load())) }
	h := newHarness(t, func(o *Options) { o.Now = clock })
	mineChain(t, h.chain, 40)
	h.addTx("alice", "pay bob 5")
	h.addTx("bob", "pay carol 2")
	h.until("shown", func(m Model) bool { return m.chainP.length == 41 && len(m.pending.txs) == 2 })
	start := h.m
	// At 100x30 the pending pane is x 0..39 and the chain pane x 40..99;
	// pending lists its first row on line 2, below the header and the
	// border, the chain on line 3, below its row of column names.
	type click struct {
		x, y  int
		after time.Duration // since the click before
	}
	tests := []struct {
		name    string
		clicks  []click
		mode    mode
		focus   int
		chain   int64 // the chain's selected block
		pending int   // the pending pane's selected row
	}{
		{"click selects a block", []click{{60, 6, 0}}, modeBrowse, paneChain, 37, 0},
		{"double click inspects it", []click{{60, 6, 0}, {60, 6, 300 * time.Millisecond}}, modeInspect, paneChain, 37, 0},
		{"slow second click only selects", []click{{60, 6, 0}, {60, 6, 500 * time.Millisecond}}, modeBrowse, paneChain, 37, 0},
		{"clicks on two rows only select", []click{{60, 6, 0}, {60, 7, 100 * time.Millisecond}}, modeBrowse, paneChain, 36, 0},
		{"click on a pending row", []click{{5, 3, 0}}, modeBrowse, panePending, 40, 1},
		{"double click on a pending row opens it", []click{{5, 3, 0}, {5, 3, 100 * time.Millisecond}}, modeTx, panePending, 40, 1},
		{"click below the pending rows", []click{{5, 10, 0}, {5, 10, 0}}, modeBrowse, panePending, 40, 0},
		{"click on the border", []click{{60, 1, 0}, {60, 1, 0}}, modeBrowse, paneChain, 40, 0},
		{"click on the column names", []click{{60, 2, 0}, {60, 2, 0}}, modeBrowse, paneChain, 40, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.m = start
			for _, c := range tt.clicks {
				elapsed.Add(int64(c.after))
				h.send(tea.MouseMsg{X: c.x, Y: c.y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
			}
			sel, _ := h.m.chainP.SelectedHeight()
			if h.m.modes.top() != tt.mode || h.m.focus != tt.focus || sel != tt.chain || h.m.pending.Cursor != tt.pending {
				t.Errorf("mode %d focus %d block #%d pending row %d; want mode %d focus %d block #%d pending row %d",
					h.m.modes.top(), h.m.focus, sel, h.m.pending.Cursor, tt.mode, tt.focus, tt.chain, tt.pending)
			}
		})
	}
}

// TestMouseWheel: the wheel scrolls the view under the pointer: a pane
// that did not have the keyboard, the inspector, the lab's chain.
func TestMouseWheel(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 40)
	for range 10 {
		h.addTx("alice", "pay bob 5")
	}
	h.until("shown", func(m Model) bool { return m.chainP.length == 41 && len(m.pending.txs) == 10 })
	wheel := func(x, y int, b tea.MouseButton) tea.MouseMsg {
		return tea.MouseMsg{X: x, Y: y, Button: b, Action: tea.MouseActionPress}
	}
	start := h.m
	h.send(wheel(5, 5, tea.MouseButtonWheelDown))
	if h.m.focus != panePending || h.m.pending.Cursor != 3 || h.m.chainP.Cursor != 0 {
		t.Errorf("wheel over pending: focus %d, pending row %d, chain row %d", h.m.focus, h.m.pending.Cursor, h.m.chainP.Cursor)
	}
	h.m = start
	h.keys("enter")
	h.send(wheel(50, 10, tea.MouseButtonWheelDown))
	h.send(wheel(50, 10, tea.MouseButtonWheelDown))
	h.send(wheel(50, 10, tea.MouseButtonWheelUp))
	if got := h.m.insp.vp.YOffset; got != 3 {
		t.Errorf("the inspector scrolled to line %d, want 3", got)
	}
	h.m = start
	h.keys("t") // the lab on #40
	h.send(wheel(50, 4, tea.MouseButtonWheelUp))
	h.keys("enter") // tamper: the editor names the block selected
	h.mustContain("Tampering with block #37")
}
