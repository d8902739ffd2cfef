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
	in.PromptStyle = st.Plain
	in.TextStyle = st.Input
	in.PlaceholderStyle = st.Dim
	in.CompletionStyle = st.Dim
	in.Cursor.Style = st.Key
	if st.Ink.Key.pre == "" {
		// No colour and no attributes (NO_COLOR, or not a terminal):
		// textinput's reverse-video cursor would not show, so a bar goes
		// before the character under it.
		in.Cursor.Style = st.Key.Transform(barCursor)
	}
	in.Cursor.TextStyle = st.Input
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

// InputView draws in, prompt included, in at most width cells: the whole
// text when it fits, otherwise the part around the cursor, scrolled
// sideways. The width is decided here rather than kept in the input because
// the panes are values laid out when drawn; the window shown is the start of
// the text while the cursor is in it, else the text up to the cursor.
func InputView(in textinput.Model, width int) string {
	text := in.Value()
	if text == "" {
		text = in.Placeholder
	}
	// Besides the text: a cell for the cursor after its last character,
	// and one for a bar cursor before a character.
	extra := 1
	if in.Cursor.Style.GetTransform() != nil {
		extra = 2
		if in.Position() == len([]rune(in.Value())) {
			in.Cursor.Style = in.Cursor.Style.Transform(endBarCursor)
		}
	}
	promptW := ansi.StringWidth(in.Prompt)
	if promptW+ansi.StringWidth(text)+extra <= width {
		in.Width = 0
		return in.View()
	}
	in.Width = max(1, width-promptW-extra)
	// textinput scrolls only when the cursor leaves the part shown, which
	// the stored input (of no width) never does: walking the cursor to the
	// end, the start and back sets the part shown from scratch.
	pos := in.Position()
	in.CursorEnd()
	in.CursorStart()
	in.SetCursor(pos)
	return in.View()
}
