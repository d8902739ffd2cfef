package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// helpBarView is the bottom line: the keys that work right now.
func (m Model) helpBarView() string {
	var k help.KeyMap = m.keys
	if m.width < 96 {
		// Narrow: the keys the mining pane does not already name, so that
		// ? and q always show.
		k = bindingsHelp{m.keys.NewTx, m.keys.Mine, m.keys.Harder, m.keys.Inspect, m.keys.Filter, m.keys.Help, m.keys.Quit}
	}
	switch {
	case m.formOpen:
		k = m.fkeys.help()
	case m.filter.typing:
		k = m.flkeys.help()
	case m.showHelp:
		k = bindingsHelp{withHelp(m.keys.Back, "esc/?", "close help"), m.keys.Quit}
	case m.showNet:
		k = bindingsHelp{withHelp(m.keys.Back, "esc/w", "close"), m.keys.Quit}
	case m.inspecting:
		k = bindingsHelp{withHelp(m.keys.Down, "j/k", "scroll"), withHelp(m.keys.PageDown, "pgup/pgdn", "page"), withHelp(m.keys.Top, "g/G", "top/bottom"), withHelp(m.keys.Lab, "t", "tamper"), m.keys.Back, m.keys.Quit}
	}
	return fit(" "+m.help.ShortHelpView(k.ShortHelp()), m.width)
}

// withHelp returns b with other help text.
func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// fullHelpView is the ? overlay: every key in groups, laid out in as many
// columns as fit, and a few words on what the screen shows.
func (m Model) fullHelpView() string {
	st := m.st
	width := min(m.width-4, 100)
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
			line := st.ink.Key.Render(padRight(h.Key, kw)) + "  " + st.ink.Dim.Render(h.Desc)
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
					cell = fit(cell, widths[start+i]+gap)
				}
				b.WriteString(cell)
			}
			lines = append(lines, b.String())
		}
		lines = append(lines, "")
		start = end
	}
	lines = append(lines,
		st.ink.Dim.Render(" In the form and the filter every key is text (ctrl+c still quits)."),
		st.ink.Dim.Render(" A hash's leading zeros are the work; ✓ marks a block that passes the rules."),
		st.ink.Dim.Render(" Mining is a lottery: the odds shown are 1-(1-16^-d)^attempts, not progress."),
		"")
	return st.modal("Keys", lines, width, len(lines)+2)
}
