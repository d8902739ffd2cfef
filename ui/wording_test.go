package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestHeaderKeepsTheStart checks that where the chain lives is cut at its
// end (a description) or in its middle (a path), never from its start, and
// left out when too little of it would show.
func TestHeaderKeepsTheStart(t *testing.T) {
	for _, tc := range []struct {
		where string
		width int
		want  []string
		not   string
	}{
		{"tamper lab demo chain, in memory", 120, []string{"tamper lab demo chain, in memory "}, "…"},
		{"tamper lab demo chain, in memory", 100, []string{"  tamper lab demo chain, i", "… "}, "…o chain"},
		{"/home/alice/.local/share/blockscope/chain.db", 100, []string{"  /home/al", "…", "scope/chain.db "}, "…l/share"},
		{"/home/alice/.local/share/blockscope/chain.db", 200, []string{"/home/alice/.local/share/blockscope/chain.db"}, "…"},
		{"/home/alice/.local/share/blockscope/chain.db", 80, []string{"api 127.0.0.1:8000"}, "chain.db"},
	} {
		t.Run(tc.where, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Where = tc.where })
			h.send(tea.WindowSizeMsg{Width: tc.width, Height: 30})
			header := strings.SplitN(h.view(), "\n", 2)[0]
			for _, want := range tc.want {
				if !strings.Contains(header, want) {
					t.Errorf("at %d columns the header %q lacks %q", tc.width, header, want)
				}
			}
			if strings.Contains(header, tc.not) {
				t.Errorf("at %d columns the header %q has %q", tc.width, header, tc.not)
			}
		})
	}
}

// TestOneWordForDifficulty checks that the screen, its help, the status
// line and the lab call the number of leading zeros the difficulty, as
// the reference node does, at the sizes a newcomer tried: never "target",
// "harder" or "easier".
func TestOneWordForDifficulty(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {110, 34}, {200, 50}} {
		h := newHarness(t, nil)
		mineChain(t, h.chain, 2)
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
		views := map[string]string{"panes": h.view()}
		h.keys("+")
		views["after +"] = h.view()
		h.keys("-", "-")
		views["at the floor"] = h.view()
		h.keys("?")
		views["help"] = h.view()
		h.keys("esc", "t")
		views["lab"] = h.view()
		h.keys("+")
		views["lab after +"] = h.view()
		for name, v := range views {
			low := strings.ToLower(v)
			for _, bad := range []string{"target", "harder", "easier"} {
				if strings.Contains(low, bad) {
					t.Errorf("%dx%d %s says %q:\n%s", size[0], size[1], name, bad, v)
				}
			}
			if !strings.Contains(low, "difficulty") {
				t.Errorf("%dx%d %s never says difficulty:\n%s", size[0], size[1], name, v)
			}
		}
	}
}

// TestListsSayTheirOrder checks that, at the sizes a newcomer tried, the
// chain pane says it lists newest first while Pending and the lab's chain
// say oldest first.
func TestListsSayTheirOrder(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {110, 34}, {200, 50}} {
		h := newHarness(t, nil)
		mineChain(t, h.chain, 2)
		h.addTx("alice", "pay bob 5")
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.until("chain and pool show", func(m Model) bool { return m.chainP.length == 3 && len(m.pending.txs) == 1 })
		lines := strings.Split(h.view(), "\n")
		if !strings.Contains(lines[1], "Chain (3) · newest first") {
			t.Errorf("%dx%d: the chain's title does not say its order: %q", size[0], size[1], lines[1])
		}
		if n := strings.Count(h.view(), "oldest first"); n != 1 {
			t.Errorf("%dx%d: Pending says its order %d times, want once:\n%s", size[0], size[1], n, h.view())
		}
		h.keys("t")
		if !strings.Contains(h.view(), "Chain (sandbox) · 3 blocks · ✓ valid · oldest first") {
			t.Errorf("%dx%d: the lab's chain does not say its order:\n%s", size[0], size[1], h.view())
		}
	}
}

// TestInspectorTitleAndGenesisTime checks the inspector's title names the
// chain's heights (not a count one short) and the genesis's timestamp is
// called fixed rather than some thousands of days ago, and its nonce fixed
// too rather than varied by a miner.
func TestInspectorTitleAndGenesisTime(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 4)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 5 })
	h.keys("j", "j", "enter")
	h.mustContain("Block #2 of #0–#4")
	h.keys("esc", "G", "enter")
	h.mustContain("Block #0 of #0–#4", "fixed: the genesis is written into every node, not mined", "(fixed too: no miner varied it)")
	if strings.Contains(h.view(), "d ago") {
		t.Errorf("the genesis's time reads as days ago:\n%s", h.view())
	}
	if strings.Contains(h.view(), "the number the miner varied") {
		t.Errorf("the genesis's nonce reads as mined:\n%s", h.view())
	}
	h.keys("esc", "g", "enter")
	h.mustContain("Block #4 of #0–#4", "(the number the miner varied)")
}
