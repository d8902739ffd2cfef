package ui

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// mapEnv is an environment for termenv.
type mapEnv map[string]string

func (e mapEnv) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

func (e mapEnv) Getenv(k string) string { return e[k] }

// TestNoColor draws the screen through a renderer that believes it writes
// to a colour terminal: with NO_COLOR set there must be no escape sequence
// at all, and without it there must be some (or the test proves nothing).
func TestNoColor(t *testing.T) {
	for _, tc := range []struct {
		name      string
		env       mapEnv
		wantColor bool
	}{
		{"colour terminal", mapEnv{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, true},
		{"NO_COLOR", mapEnv{"TERM": "xterm-256color", "COLORTERM": "truecolor", "NO_COLOR": "1"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true), termenv.WithEnvironment(tc.env))
			h := newHarness(t, func(o *Options) { o.Renderer = r })
			mineChain(t, h.chain, 2)
			h.addTx("alice", "pay bob 5")
			h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 && len(m.pending.txs) == 1 })
			screens := []string{h.view()}
			h.keys("enter")
			screens = append(screens, h.view())
			h.keys("esc", "n")
			screens = append(screens, h.view())
			for i, s := range screens {
				if got := strings.Contains(s, "\x1b["); got != tc.wantColor {
					t.Errorf("screen %d: escape sequences present = %v, want %v", i, got, tc.wantColor)
				}
			}
		})
	}
}

// TestStatesNotByColourAlone: with no colour at all, focus, selection,
// check results and errors still show, in glyphs and words.
func TestStatesNotByColourAlone(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 1)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 2 })
	h.mustContain("▶ 2 Chain", "┏━", "▸ #1", "✓")
	h.keys("enter")
	h.mustContain("✓ pass")
	h.keys("esc", "n", "enter")
	h.mustContain("✗ transaction invalid")
}

func TestHashCellMarksZeros(t *testing.T) {
	st := common.NewStyles(asciiRenderer())
	hash := "000a3f91c2" + strings.Repeat("e", 54)
	for _, tc := range []struct {
		width int
		want  string
	}{
		{12, "000a3f91c2e…"},
		{64, hash},
		{3, "00…"},
	} {
		if got := st.HashCell(hash, blockchain.LeadingZeros(hash), tc.width); got != tc.want {
			t.Errorf("hashCell(width %d) = %q, want %q", tc.width, got, tc.want)
		}
	}
	// In colour the zeros are styled apart from the rest.
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	got := common.NewStyles(r).HashCell(hash, 3, 12)
	if !strings.HasPrefix(got, "\x1b[") || strings.Count(got, "\x1b[") < 2 {
		t.Errorf("zeros not styled apart: %q", got)
	}
}
