package common

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestNavKeysMovement: each shared movement key, on a list of 100 rows
// with 20 on screen, from row 50 and at the ends.
func TestNavKeysMovement(t *testing.T) {
	k := NewNavKeys()
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	tests := []struct {
		name   string
		msg    tea.KeyMsg
		from   int
		want   int
		scroll bool
	}{
		{"j", runes("j"), 50, 51, false},
		{"down", tea.KeyMsg{Type: tea.KeyDown}, 50, 51, false},
		{"k", runes("k"), 50, 49, false},
		{"ctrl+d", tea.KeyMsg{Type: tea.KeyCtrlD}, 50, 60, true},
		{"ctrl+u", tea.KeyMsg{Type: tea.KeyCtrlU}, 50, 40, true},
		{"pgdown", tea.KeyMsg{Type: tea.KeyPgDown}, 50, 69, true},
		{"ctrl+f", tea.KeyMsg{Type: tea.KeyCtrlF}, 50, 69, true},
		{"pgup", tea.KeyMsg{Type: tea.KeyPgUp}, 50, 31, true},
		{"ctrl+b", tea.KeyMsg{Type: tea.KeyCtrlB}, 50, 31, true},
		{"g", runes("g"), 50, 0, false},
		{"home", tea.KeyMsg{Type: tea.KeyHome}, 50, 0, false},
		{"G", runes("G"), 50, 99, false},
		{"end", tea.KeyMsg{Type: tea.KeyEnd}, 50, 99, false},
		{"pgdown near the end", tea.KeyMsg{Type: tea.KeyPgDown}, 95, 99, true},
		{"ctrl+u near the top", tea.KeyMsg{Type: tea.KeyCtrlU}, 3, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mv, ok := k.Movement(tt.msg, 20)
			if !ok {
				t.Fatal("not read as a movement")
			}
			if got := mv.Apply(tt.from, 100); got != tt.want || mv.Scroll != tt.scroll {
				t.Errorf("from %d: row %d scroll %v, want row %d scroll %v", tt.from, got, mv.Scroll, tt.want, tt.scroll)
			}
		})
	}
	for _, other := range []tea.KeyMsg{runes("n"), runes("d"), runes("u"), {Type: tea.KeyEnter}} {
		if _, ok := k.Movement(other, 20); ok {
			t.Errorf("%q read as a movement", other.String())
		}
	}
	if mv, _ := k.Movement(runes("G"), 20); mv.Apply(5, 0) != 0 {
		t.Error("a movement in an empty list selects a row")
	}
}
