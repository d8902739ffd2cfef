package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestTextFieldEditing(t *testing.T) {
	for _, tc := range []struct {
		name    string
		start   string
		keys    []tea.KeyMsg
		want    string
		wantPos int
	}{
		{"type", "", keyMsgs("héllo"), "héllo", 5},
		{"backspace", "abc", keyMsgs("backspace"), "ab", 2},
		{"left then type", "ac", append(keyMsgs("left"), keyMsgs("b")...), "abc", 2},
		{"delete word", "pay bob 5", []tea.KeyMsg{{Type: tea.KeyCtrlW}}, "pay bob ", 8},
		{"kill to start", "abc", []tea.KeyMsg{{Type: tea.KeyCtrlU}}, "", 0},
		{"home then delete", "abc", []tea.KeyMsg{{Type: tea.KeyHome}, {Type: tea.KeyDelete}}, "bc", 0},
		{"paste drops control characters", "", []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("a\nb\x07c"), Paste: true}}, "a bc", 4},
		{"space", "a", keyMsgs("space"), "a ", 2},
		{"limit", "", keyMsgs("abcdefghij"), "abcdefgh", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := textField{}
			if tc.name == "limit" {
				f.CharLimit = 8
			}
			f.SetValue(tc.start)
			f.Focus()
			for _, k := range tc.keys {
				f, _ = f.Update(k)
			}
			if f.Value() != tc.want || f.pos != tc.wantPos {
				t.Errorf("value %q pos %d, want %q pos %d", f.Value(), f.pos, tc.want, tc.wantPos)
			}
		})
	}
}

func TestTextFieldIgnoresKeysWhenBlurred(t *testing.T) {
	f := textField{}
	f, _ = f.Update(keyMsgs("x")[0])
	if f.Value() != "" {
		t.Errorf("a blurred field took a key: %q", f.Value())
	}
}

// TestTextFieldScrolls keeps the cursor in view when the text is wider than
// the field.
func TestTextFieldScrolls(t *testing.T) {
	f := textField{Width: 10, CursorStyle: NewStyles(asciiRenderer()).ink.Key}
	f.Focus()
	f.SetValue("the quick brown fox jumps")
	if got := f.View(); got != "…ox jumps▏" {
		t.Errorf("end of a long value: %q", got)
	}
	f, _ = f.Update(tea.KeyMsg{Type: tea.KeyHome})
	if got := f.View(); got != "▏the quic…" {
		t.Errorf("start of a long value: %q", got)
	}
}
