package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/node"
)

// TestIdleHintNamesTheViewsKeys: with nothing to report, the status line
// gives a tip in the keys of the view on screen: n and m only on the panes,
// where they add and mine.
func TestIdleHintNamesTheViewsKeys(t *testing.T) {
	tests := []struct {
		view string
		open []string
		want string
	}{
		{"panes", nil, "n adds a transaction · m mines it"},
		{"inspector", []string{"2", "enter"}, "[ and ] step through the blocks"},
		{"transaction", []string{"1", "enter"}, "d drops it from this node's pool"},
		{"event log", []string{"e"}, "g/G go to the oldest/newest entry"},
		{"network", []string{"w"}, "? shows every key of the network view"},
		{"help over the inspector", []string{"2", "enter", "?"}, "[ and ] step through the blocks"},
	}
	for _, tt := range tests {
		t.Run(tt.view, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Network = &scriptNetwork{events: make(chan node.Event)} })
			mineChain(t, h.chain, 2)
			h.addTx("alice", "pay bob 5")
			h.until("shown", func(m Model) bool { return m.chainP.length == 3 && len(m.pending.txs) == 1 })
			h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
			h.keys(tt.open...)
			lines := strings.Split(h.view(), "\n")
			status := lines[len(lines)-2]
			if !strings.Contains(status, tt.want) {
				t.Errorf("status line %q lacks %q", status, tt.want)
			}
			if tt.view != "panes" && strings.Contains(status, "n adds") {
				t.Errorf("status line %q names the panes' keys in the %s", status, tt.view)
			}
		})
	}
}
