package ui

import (
	"strings"

	"blockscope/ui/common"
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
		return common.Fit(st.Dim.Render(" n adds a transaction · m mines it · ? shows every key"), width)
	}
	if s.err {
		if !strings.HasPrefix(text, "error") {
			text = "error: " + text
		}
		return common.Fit(" "+st.Bad.Render("✗ "+text), width)
	}
	return common.Fit(" "+st.Status.Render(text), width)
}
