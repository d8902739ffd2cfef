package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// HelpColumnGap is the blank between two columns of a full help.
const HelpColumnGap = 4

// HelpBands draws a full help in width cells without cutting a column: as
// many groups side by side as fit, the rest in bands below, a blank line
// after each band. h's own Width is ignored (it would cut columns off).
func HelpBands(h help.Model, groups [][]key.Binding, width int) []string {
	h.Width = 0
	h.FullSeparator = strings.Repeat(" ", HelpColumnGap)
	widths := make([]int, len(groups))
	for i, g := range groups {
		widths[i] = lipgloss.Width(h.FullHelpView([][]key.Binding{g}))
	}
	var lines []string
	for start := 0; start < len(groups); {
		end, used := start+1, widths[start]
		for end < len(groups) && used+HelpColumnGap+widths[end] <= width {
			used += HelpColumnGap + widths[end]
			end++
		}
		lines = append(lines, strings.Split(h.FullHelpView(groups[start:end]), "\n")...)
		lines = append(lines, "")
		start = end
	}
	return lines
}
