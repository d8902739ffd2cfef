package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestJumpToBlock: ":" and a number select that block in the chain pane,
// lifting a filter that hides it; a number past the tip says where the
// chain ends and keeps the line open.
func TestJumpToBlock(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 30)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 31 })
	h.keys("/", "#", "2", "9", "enter")
	h.until("filtered", func(m Model) bool { return m.chainP.filtered && len(m.chainP.matches) == 1 })
	h.keys(":", "4", "0", "enter")
	h.mustContain("the chain ends at #30")
	if !h.m.modes.has(modeJump) {
		t.Fatal("a number past the tip closed the jump line")
	}
	h.keys("backspace", "backspace", "3", "enter")
	if got, ok := h.m.chainP.SelectedHeight(); !ok || got != 3 {
		t.Fatalf("selected %d (%v), want block 3", got, ok)
	}
	if h.m.chainP.filtered {
		t.Fatal("the filter hiding block 3 is still on")
	}
	h.mustContain("block #3 selected")
	h.keys("enter")
	h.mustContain("Block #3 of")
}

// TestInspectorSteps: [ and ] show the previous and next block in the
// inspector, stop at the ends, and esc returns to the block last shown.
func TestInspectorSteps(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 3)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 4 })
	h.keys("enter")
	h.mustContain("Block #3 of")
	h.keys("]")
	h.mustContain("Block #3 of")
	h.keys("[", "[")
	h.mustContain("Block #1 of")
	h.keys("[", "[")
	h.mustContain("Block #0 of")
	h.keys("esc")
	if got, _ := h.m.chainP.SelectedHeight(); got != 0 {
		t.Fatalf("after esc block %d is selected, want the genesis", got)
	}
}

// TestCtrlZSuspends: ctrl+z hands the terminal to the shell through
// Bubble Tea's suspend, from any mode.
func TestCtrlZSuspends(t *testing.T) {
	h := newHarness(t, nil)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.keys("n")
	_, cmd := h.m.Update(tea.KeyMsg{Type: tea.KeyCtrlZ})
	if cmd == nil {
		t.Fatal("ctrl+z returned no command")
	}
	if _, ok := cmd().(tea.SuspendMsg); !ok {
		t.Fatal("ctrl+z did not suspend")
	}
}

// TestHelpFollowsTheView: ? over the inspector lists the inspector's keys,
// not the main screen's, and at 80x24 the notes wrap instead of being cut.
func TestHelpFollowsTheView(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 2)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	h.keys("?")
	h.mustContain("new tx", "q      quit")
	h.keys("esc", "enter", "?")
	h.mustContain("Keys of the inspector", "previous block", "next block", "copy", "tamper")
	if strings.Contains(h.view(), "new tx") {
		t.Fatalf("? in the inspector lists the main screen's keys:\n%s", h.view())
	}
}
