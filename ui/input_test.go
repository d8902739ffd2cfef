package ui

import (
	"io"
	"regexp"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"blockscope/ui/common"
)

// TestInputView draws inputs without colour, where the cursor is a bar: the
// whole text when it fits, else the part around the cursor.
func TestInputView(t *testing.T) {
	home := tea.KeyMsg{Type: tea.KeyHome}
	right := tea.KeyMsg{Type: tea.KeyRight}
	left := tea.KeyMsg{Type: tea.KeyLeft}
	for _, tc := range []struct {
		name        string
		prompt      string
		placeholder string
		value       string
		keys        []tea.KeyMsg
		width       int
		want        string
	}{
		{"fits", "", "", "alice", nil, 20, "alice▏"},
		{"cursor inside", "", "", "alice", []tea.KeyMsg{left, left}, 20, "ali▏ce"},
		{"cursor on a space", "", "", "pay bob", []tea.KeyMsg{left, left, left, left}, 20, "pay▏ bob"},
		{"prompt", "/", "", "bob", nil, 20, "/bob▏"},
		{"placeholder", "", "who sends it", "", nil, 20, "▏who sends it"},
		{"placeholder cut", "/", "who sends it, e.g. alice", "", nil, 10, "/▏who …"},
		{"long, at the end", "", "", "the quick brown fox jumps", nil, 10, "ox jumps▏"},
		{"long, at the start", "", "", "the quick brown fox jumps", []tea.KeyMsg{home}, 10, "▏the quick"},
		{"long, moving right in view", "", "", "the quick brown fox jumps", []tea.KeyMsg{home, right, right, right}, 10, "the▏ quick"},
		{"long, moving right past the edge", "", "", "the quick brown fox jumps", []tea.KeyMsg{home, right, right, right, right, right, right, right, right, right}, 10, "he quick▏ "},
		{"wide characters", "/", "", "héllo wörld 日本語 text", nil, 10, "/語 text▏"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := common.NewInput(*asciiStyles(), tc.prompt, tc.placeholder, 0)
			common.SetInputWidth(&in, tc.width)
			in.Focus()
			in.SetValue(tc.value)
			for _, k := range tc.keys {
				in, _ = in.Update(k)
			}
			got := common.InputView(in)
			if got != tc.want {
				t.Errorf("common.InputView(%q, %d) = %q, want %q", tc.value, tc.width, got, tc.want)
			}
			if w := common.Width(got); w > tc.width {
				t.Errorf("%q is %d cells wide, more than %d", got, w, tc.width)
			}
		})
	}
}

// TestInputViewWidth walks the cursor through a long text in colour and
// without: the input never takes more cells than it is given, and the
// cursor (reverse video, or the bar) is always drawn.
func TestInputViewWidth(t *testing.T) {
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.TrueColor)
	for _, tc := range []struct {
		name   string
		styles common.Styles
		cursor *regexp.Regexp // what marks the cursor in the view
	}{
		{"colour", common.NewStyles(colour), regexp.MustCompile(`\x1b\[([0-9]+;)*7[;m]`)}, // reverse video
		{"no colour", *asciiStyles(), regexp.MustCompile("▏")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const text = "pay bob 5 and carol 7; héllo wörld 日本語 ✓"
			in := common.NewInput(tc.styles, "/", "", 0)
			in.Focus()
			in.SetValue(text)
			in, _ = in.Update(tea.KeyMsg{Type: tea.KeyHome})
			for _, width := range []int{8, 13, 30, 80} {
				common.SetInputWidth(&in, width)
				for pos := 0; pos <= len([]rune(text)); pos++ {
					in.SetCursor(pos)
					v := common.InputView(in)
					if w := common.Width(v); w > width {
						t.Fatalf("width %d, cursor at %d: %q is %d cells", width, pos, v, w)
					}
					if !tc.cursor.MatchString(v) {
						t.Fatalf("width %d, cursor at %d: no cursor in %q", width, pos, v)
					}
				}
			}
		})
	}
}

// TestClipboardPasteReachesTheInput presses ctrl+v in each input: the
// clipboard is read in a command whose message, of textinput's own type,
// must reach the input that asked. Either the text arrives or the input
// says why nothing was pasted (no clipboard tool, no display); that reason
// is gone once the input is opened again or another field is focused.
func TestClipboardPasteReachesTheInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		open   []string
		value  func(Model) string
		reopen []string
	}{
		{"form", []string{"n"}, func(m Model) string { return m.form.fields[0].Value() }, []string{"esc", "n"}},
		{"form, next field", []string{"n"}, func(m Model) string { return m.form.fields[0].Value() }, []string{"tab", "shift+tab"}},
		{"filter", []string{"/"}, func(m Model) string { return m.filter.input.Value() }, []string{"esc", "/"}},
		{"filter kept", []string{"/"}, func(m Model) string { return m.filter.input.Value() }, []string{"enter", "/"}},
		{"lab editor", []string{"t", "t", "ctrl+u"}, labFieldText, []string{"tab"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			mineChain(t, h.chain, 1)
			h.until("chain shows", func(m Model) bool { return m.chainP.length == 2 })
			for _, k := range tc.open {
				if k == "ctrl+u" {
					h.send(tea.KeyMsg{Type: tea.KeyCtrlU})
					continue
				}
				h.keys(k)
			}
			if v := tc.value(h.m); v != "" {
				t.Fatalf("the input holds %q before the paste", v)
			}
			h.send(tea.KeyMsg{Type: tea.KeyCtrlV})
			h.until("paste answered", func(m Model) bool {
				return tc.value(m) != "" || strings.Contains(m.View(), "nothing pasted")
			})
			if tc.value(h.m) != "" {
				return // this machine has a clipboard
			}
			h.keys(tc.reopen...)
			if strings.Contains(h.view(), "nothing pasted") {
				t.Errorf("after %v the failed paste is still reported:\n%s", tc.reopen, h.view())
			}
		})
	}
}

// labFieldText is what the lab's focused field (the first author, emptied)
// holds as the screen shows it: "" while it shows nothing but the cursor.
func labFieldText(m Model) string {
	if strings.Contains(m.View(), "› author [▏]") {
		return ""
	}
	return "something"
}
