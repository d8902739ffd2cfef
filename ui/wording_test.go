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
		where     string
		width     int
		want, not string
	}{
		{"tamper lab demo chain, in memory", 110, "tamper lab demo chain, in memory", "…"},
		{"tamper lab demo chain, in memory", 100, "tamper lab demo chain, in me…", "…o chain"},
		{"/home/alice/.local/share/blockscope/chain.db", 100, "/home/ali…blockscope/chain.db", "…l/share"},
		{"/home/alice/.local/share/blockscope/chain.db", 200, "/home/alice/.local/share/blockscope/chain.db", "…"},
		{"/home/alice/.local/share/blockscope/chain.db", 80, "api 127.0.0.1:8000", "chain.db"},
	} {
		t.Run(tc.where, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Where = tc.where })
			h.send(tea.WindowSizeMsg{Width: tc.width, Height: 30})
			header := strings.SplitN(h.view(), "\n", 2)[0]
			if !strings.Contains(header, tc.want) || strings.Contains(header, tc.not) {
				t.Errorf("at %d columns the header is %q: want %q, not %q", tc.width, header, tc.want, tc.not)
			}
		})
	}
}
