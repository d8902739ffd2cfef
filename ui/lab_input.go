package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// labInput is a one-line text field for the block editor: runes in, a
// cursor, the usual editing keys. (bubbles/textinput would need a clipboard
// module the build does not carry.)
type labInput struct {
	value []rune
	pos   int
}

func (in *labInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

func (in labInput) Value() string { return string(in.value) }

// Update applies one key and reports whether the text changed.
func (in *labInput) Update(msg tea.KeyMsg) bool {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := msg.Runes
		if msg.Type == tea.KeySpace {
			r = []rune{' '}
		}
		v := make([]rune, 0, len(in.value)+len(r))
		v = append(append(append(v, in.value[:in.pos]...), r...), in.value[in.pos:]...)
		in.value = v
		in.pos += len(r)
		return len(r) > 0
	case tea.KeyBackspace:
		if in.pos == 0 {
			return false
		}
		in.value = append(in.value[:in.pos-1:in.pos-1], in.value[in.pos:]...)
		in.pos--
		return true
	case tea.KeyDelete:
		if in.pos == len(in.value) {
			return false
		}
		in.value = append(in.value[:in.pos:in.pos], in.value[in.pos+1:]...)
		return true
	case tea.KeyCtrlU:
		if in.pos == 0 {
			return false
		}
		in.value = append([]rune(nil), in.value[in.pos:]...)
		in.pos = 0
		return true
	case tea.KeyCtrlK:
		if in.pos == len(in.value) {
			return false
		}
		in.value = in.value[:in.pos:in.pos]
		return true
	case tea.KeyLeft:
		in.pos = max(0, in.pos-1)
	case tea.KeyRight:
		in.pos = min(len(in.value), in.pos+1)
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	}
	return false
}

// View writes the text with a thin bar at the cursor, visible without colour.
func (in labInput) View() string {
	return oneLine(string(in.value[:in.pos])) + "▏" + oneLine(string(in.value[in.pos:]))
}
