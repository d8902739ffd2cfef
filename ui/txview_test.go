package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestPendingTransactionView: enter on a pending transaction shows it
// whole, a 4,997-character content wrapped to its last character, with
// its JSON; esc returns to the panes with the selection kept.
func TestPendingTransactionView(t *testing.T) {
	h := newHarness(t, nil)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	long := strings.Repeat("abcdefghij", 499) + "THE-END"
	h.addTx("alice", "short one")
	h.addTx("bob", long)
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 2 })
	h.keys("1", "j", "enter")
	h.mustContain("Pending transaction", "bob", "4,997 characters")
	h.keys("G")
	h.mustContain("THE-END", `THE-END", "time`)
	h.keys("esc")
	if h.m.modes.has(modeTx) || h.m.pending.Cursor != 1 {
		t.Fatalf("esc left mode %v, cursor %d", h.m.modes.top(), h.m.pending.Cursor)
	}
}
