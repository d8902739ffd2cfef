package ui

import (
	"blockscope/ui/common"
	"strings"
)

// statusLine is the one-line report of the last thing that happened: a block
// mined or received, a transaction stored, an error.
type statusLine struct {
	text string
	err  bool
}

func info(text string) statusLine    { return statusLine{text: text} }
func failure(text string) statusLine { return statusLine{text: text, err: true} }

// View draws the line width cells wide. Errors say "error:" in words as
// well as in colour.
func (s statusLine) View(st common.Styles, width int) string {
	text := common.OneLine(s.text)
	if text == "" {
		return common.Fit(st.Ink.Dim.Render(" n adds a transaction · m mines it · ? shows every key"), width)
	}
	if s.err {
		if !strings.HasPrefix(text, "error") {
			text = "error: " + text
		}
		return common.Fit(" "+st.Ink.Bad.Render("✗ "+text), width)
	}
	return common.Fit(" "+st.Ink.Status.Render(text), width)
}
