package common

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/x/ansi"
)

// The screen's one-line inputs (the transaction form, the filter line and
// the tamper lab's block editor) are bubbles textinputs made by newInput and
// drawn by inputView.

// NewInput returns a text input in the screen's styles with a static cursor.
// A blinking cursor would put a timer message on the loop twice a second,
// so that what the screen shows would depend on when it is looked at (the
// goldens and the tmux tests look). limit is the most characters it takes;
// 0 means no limit.
func NewInput(st Styles, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.PromptStyle = st.Plain.Style
	in.TextStyle = st.Input.Style
	in.PlaceholderStyle = st.Dim.Style
	in.CompletionStyle = st.Dim.Style
	in.Cursor.Style = st.Key.Style
	if st.Key.Colourless() {
		// No colour and no attributes (NO_COLOR, or not a terminal):
		// textinput's reverse-video cursor would not show, so a bar goes
		// before the character under it.
		in.Cursor.Style = st.Key.Style.Transform(barCursor)
	}
	in.Cursor.TextStyle = st.Input.Style
	in.Cursor.SetMode(cursor.CursorStatic) // static: returns no command
	return in
}

// barCursor draws the cursor as a bar before the character under it.
func barCursor(under string) string { return "▏" + under }

// endBarCursor is barCursor after the last character, where textinput puts
// a space under the cursor.
func endBarCursor(under string) string {
	if under == " " {
		return "▏"
	}
	return "▏" + under
}

// ClearInput empties in and forgets why its last paste failed: textinput's
// Reset keeps Err, which would show again the next time the input opens.
func ClearInput(in *textinput.Model) {
	in.Reset()
	in.Err = nil
}

// SetInputWidth fits in, prompt and cursor included, to width cells; its
// component calls it from SetSize. textinput then scrolls the text sideways
// around the cursor itself as keys move it. A new width starts the part
// shown afresh, as textinput would for a new text: the part kept from the
// old width could be wider than the new one.
func SetInputWidth(in *textinput.Model, width int) {
	// Besides the text: a cell for the cursor after its last character,
	// and one for a bar cursor before a character.
	extra := 1
	if in.Cursor.Style.GetTransform() != nil {
		extra = 2
	}
	w := max(1, width-ansi.StringWidth(in.Prompt)-extra)
	if w == in.Width {
		return
	}
	in.Width = w
	pos, value, pasteErr := in.Position(), in.Value(), in.Err
	in.Reset()
	in.SetValue(value)
	in.SetCursor(pos)
	in.Err = pasteErr
}

// InputView draws in within the width SetInputWidth gave it: the whole
// text when it fits, otherwise the part around the cursor.
func InputView(in textinput.Model) string {
	if in.Cursor.Style.GetTransform() != nil && in.Position() == len([]rune(in.Value())) {
		in.Cursor.Style = in.Cursor.Style.Transform(endBarCursor)
	}
	text := in.Value()
	if text == "" {
		text = in.Placeholder
	}
	if ansi.StringWidth(text) <= in.Width {
		// It fits: drawn without the blanks textinput pads its width with.
		in.Width = 0
	}
	return in.View()
}
