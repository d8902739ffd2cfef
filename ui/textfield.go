package ui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// textField is a one-line text input: typing, pasting, moving and deleting
// by character or word, scrolling sideways when the text is wider than the
// field. (bubbles/textinput would do, but it needs a module the build does
// not have yet; see the package's report.)
type textField struct {
	Prompt      string
	Placeholder string
	CharLimit   int // 0 means no limit
	Width       int // cells of text shown; 0 means all

	TextStyle        ink
	PlaceholderStyle ink
	CursorStyle      ink

	value   []rune
	pos     int
	focused bool
}

// Value returns the text.
func (f textField) Value() string { return string(f.value) }

// SetValue replaces the text and puts the cursor at its end.
func (f *textField) SetValue(s string) {
	f.value = nil
	f.pos = 0
	f.insert([]rune(s))
}

// Reset empties the field.
func (f *textField) Reset() { f.value, f.pos = nil, 0 }

// Focus gives the field the keyboard.
func (f *textField) Focus() { f.focused = true }

// Blur takes the keyboard away.
func (f *textField) Blur() { f.focused = false }

// Focused reports whether the field has the keyboard.
func (f textField) Focused() bool { return f.focused }

// insert puts runes at the cursor, dropping control characters (a paste
// may bring new lines) and whatever goes past CharLimit.
func (f *textField) insert(rs []rune) {
	clean := rs[:0:0]
	for _, r := range rs {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			clean = append(clean, ' ')
		case unicode.IsControl(r):
		default:
			clean = append(clean, r)
		}
	}
	if f.CharLimit > 0 {
		if room := f.CharLimit - len(f.value); room < len(clean) {
			clean = clean[:max(0, room)]
		}
	}
	if len(clean) == 0 {
		return
	}
	v := make([]rune, 0, len(f.value)+len(clean))
	v = append(v, f.value[:f.pos]...)
	v = append(v, clean...)
	v = append(v, f.value[f.pos:]...)
	f.value = v
	f.pos += len(clean)
}

// wordLeft returns the start of the word before the cursor.
func (f textField) wordLeft() int {
	i := f.pos
	for i > 0 && unicode.IsSpace(f.value[i-1]) {
		i--
	}
	for i > 0 && !unicode.IsSpace(f.value[i-1]) {
		i--
	}
	return i
}

// wordRight returns the end of the word after the cursor.
func (f textField) wordRight() int {
	i := f.pos
	for i < len(f.value) && unicode.IsSpace(f.value[i]) {
		i++
	}
	for i < len(f.value) && !unicode.IsSpace(f.value[i]) {
		i++
	}
	return i
}

// Update edits the text when the field has the keyboard.
func (f textField) Update(msg tea.Msg) (textField, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !f.focused {
		return f, nil
	}
	switch k.String() {
	case "left", "ctrl+b":
		f.pos = max(0, f.pos-1)
	case "right", "ctrl+f":
		f.pos = min(len(f.value), f.pos+1)
	case "alt+left", "ctrl+left", "alt+b":
		f.pos = f.wordLeft()
	case "alt+right", "ctrl+right", "alt+f":
		f.pos = f.wordRight()
	case "home", "ctrl+a":
		f.pos = 0
	case "end", "ctrl+e":
		f.pos = len(f.value)
	case "backspace", "ctrl+h":
		if f.pos > 0 {
			f.value = append(f.value[:f.pos-1:f.pos-1], f.value[f.pos:]...)
			f.pos--
		}
	case "delete", "ctrl+d":
		if f.pos < len(f.value) {
			f.value = append(f.value[:f.pos:f.pos], f.value[f.pos+1:]...)
		}
	case "ctrl+w", "alt+backspace":
		i := f.wordLeft()
		f.value = append(f.value[:i:i], f.value[f.pos:]...)
		f.pos = i
	case "ctrl+u":
		f.value = append([]rune(nil), f.value[f.pos:]...)
		f.pos = 0
	case "ctrl+k":
		f.value = f.value[:f.pos:f.pos]
	default:
		if k.Type == tea.KeyRunes || k.Type == tea.KeySpace {
			f.insert(k.Runes)
		}
	}
	return f, nil
}

// View draws the prompt and the part of the text around the cursor, the
// cursor shown as a bar glyph so that it shows without colour too.
func (f textField) View() string {
	if len(f.value) == 0 && f.Placeholder != "" {
		cursor := ""
		if f.focused {
			cursor = f.CursorStyle.Render("▏")
		}
		ph := f.Placeholder
		if f.Width > 0 {
			ph = clip(ph, max(1, f.Width-1))
		}
		return f.Prompt + cursor + f.PlaceholderStyle.Render(ph)
	}
	before, after := string(f.value[:f.pos]), string(f.value[f.pos:])
	before, after = oneLine(before), oneLine(after)
	if f.Width > 0 {
		// Keep the cursor in view: cut the text before it from the left
		// and the text after it from the right.
		room := f.Width - 1
		if w := ansi.StringWidth(before); w > room {
			before = "…" + ansi.TruncateLeft(before, w-room+1, "")
		}
		after = clip(after, max(0, room-ansi.StringWidth(before)))
	}
	var b strings.Builder
	b.WriteString(f.Prompt)
	b.WriteString(f.TextStyle.Render(before))
	if f.focused {
		b.WriteString(f.CursorStyle.Render("▏"))
	}
	b.WriteString(f.TextStyle.Render(after))
	return b.String()
}
