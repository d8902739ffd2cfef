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
