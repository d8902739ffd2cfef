package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLabHosted opens the lab on the selected block with t, checks that
// keys go to it (not to the screen's shortcuts) and that leaving it shows
// the screen again with the chain untouched.
func TestScreenHostsLab(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 2)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	tip := h.chain.Tip().Hash()
	h.keys("j", "t")
	if !h.m.modes.has(modeLab) {
		t.Fatal("t did not open the lab")
	}
	h.mustContain("Tamper lab")
	target := h.m.mining.target
	h.keys("n", "m", "+")
	if (h.m.modes.top() == modeForm) || h.m.mining.state != mineIdle {
		t.Error("keys in the lab reached the screen's shortcuts")
	}
	if h.m.mining.target != target {
		t.Error("+ in the lab changed the screen's target")
	}
	h.keys("esc")
	h.until("lab closed", func(m Model) bool { return !m.modes.has(modeLab) })
	h.mustContain("Pending", "Chain", "Mining", "left the tamper lab")
	if h.chain.Tip().Hash() != tip || h.chain.Len() != 3 {
		t.Error("the lab changed the real chain")
	}
	h.miner.none(t)
}

func TestScreenOpensLabAtStart(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Lab = true })
	if !h.m.modes.has(modeLab) {
		t.Fatal("Options.Lab did not open the lab")
	}
	h.mustContain("Tamper lab")
	h.keys("ctrl+c")
	h.until("ctrl+c quits from the lab", func(Model) bool { return h.quit })
}

// TestScreenSizesTheLab: the window size reaches the lab, opened before
// the first size is known, so that it fits the window.
func TestScreenSizesTheLab(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Lab = true })
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	lines := strings.Split(h.view(), "\n")
	if len(lines) > 24 {
		t.Errorf("the lab draws %d lines in a 24-line window", len(lines))
	}
	for i, l := range lines {
		if w := ansiWidth(l); w > 80 {
			t.Errorf("line %d is %d wide in an 80-column window", i, w)
		}
	}
}
