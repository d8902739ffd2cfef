package ui

import (
	"blockscope/ui/common"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// helpBarView is the bottom line: the keys that work right now.
func (m Model) helpBarView() string {
	return common.Fit(" "+m.help.ShortHelpView(m.helpBar().ShortHelp()), m.lay.width)
}

// fullHelpView is the ? overlay: every key in groups, laid out in as many
// columns as fit, and a few words on what the screen shows.
func (m Model) fullHelpView() string {
	st := m.st
	width := m.lay.help
	inner := width - 2

	// Each group becomes a column of "key  description" lines.
	var cols [][]string
	var widths []int
	for _, group := range m.keys.FullHelp() {
		kw := 0
		for _, b := range group {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
		}
		var col []string
		w := 0
		for _, b := range group {
			h := b.Help()
			line := st.Ink.Key.Render(common.PadRight(h.Key, kw)) + "  " + st.Ink.Dim.Render(h.Desc)
			col = append(col, line)
			w = max(w, ansi.StringWidth(line))
		}
		cols = append(cols, col)
		widths = append(widths, w)
	}

	lines := []string{""}
	const gap = 4
	for start := 0; start < len(cols); {
		// As many columns as fit side by side on this band.
		end, used := start, 1
		for end < len(cols) && (end == start || used+gap+widths[end] <= inner) {
			used += widths[end] + gap
			end++
		}
		rows := 0
		for _, c := range cols[start:end] {
			rows = max(rows, len(c))
		}
		for r := 0; r < rows; r++ {
			var b strings.Builder
			b.WriteByte(' ')
			for i, c := range cols[start:end] {
				cell := ""
				if r < len(c) {
					cell = c[r]
				}
				if i < end-start-1 {
					cell = common.Fit(cell, widths[start+i]+gap)
				}
				b.WriteString(cell)
			}
			lines = append(lines, b.String())
		}
		lines = append(lines, "")
		start = end
	}
	lines = append(lines,
		st.Ink.Dim.Render(" In the form and the filter every key is text (ctrl+c still quits)."),
		st.Ink.Dim.Render(" A hash's leading zeros are the work; ✓ marks a block that passes the rules."),
		st.Ink.Dim.Render(" Mining is a lottery: the odds shown are 1-(1-16^-d)^attempts, not progress."),
		"")
	return st.Modal("Keys", lines, width, len(lines)+2)
}
