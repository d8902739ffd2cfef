package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"blockscope/ui/common"
)

// helpBarView is the bottom line: the keys that work right now.
func (m Model) helpBarView() string {
	return common.Fit(" "+m.help.ShortHelpView(m.helpBar().ShortHelp()), m.lay.width)
}

// fullHelpView is the ? overlay: every key in groups, drawn by help.Model's
// full view in as many columns as fit side by side (more bands below when
// they do not), and a few words on what the screen shows.
func (m Model) fullHelpView() string {
	width := m.lay.help
	inner := width - 2
	h := m.help
	// Two cells between a key and its words: this one and help's own.
	h.Styles.FullKey = h.Styles.FullKey.PaddingRight(1)
	title, groups, notes := m.fullHelpGroups()
	lines := []string{""}
	for _, l := range common.HelpBands(h, groups, inner-1) {
		lines = append(lines, " "+l)
	}
	st := m.st
	// The notes, each whole, as many as fit between the header and the
	// status line: keys cut off at the bottom would be worse than no notes.
	room := m.lay.overlayRows() - len(lines) - 3 // the borders, a blank line
	var noteLines []string
	for _, n := range notes {
		// Wrapped, not cut: at 80 columns a note is wider than the box.
		wrapped := strings.Split(lipgloss.NewStyle().Width(inner-1).Render(n), "\n")
		if len(noteLines)+len(wrapped) > room {
			break
		}
		for _, l := range wrapped {
			noteLines = append(noteLines, st.Dim.Render(" "+strings.TrimRight(l, " ")))
		}
	}
	if len(noteLines) > 0 {
		lines = append(lines, noteLines...)
		lines = append(lines, "")
	}
	return st.Modal(title, lines, width, len(lines)+2)
}

// fullHelpGroups are what ? lists: the title, the keys of the view it was
// opened over (and of that view only) in columns, and notes below them.
func (m Model) fullHelpGroups() (string, [][]key.Binding, []string) {
	k := m.keys
	leave := []key.Binding{k.Help, k.Back, k.Quit}
	switch m.modes.below() {
	case modeInspect:
		return "Keys of the inspector", [][]key.Binding{
				k.NavKeys.Bindings(),
				{k.PrevBlock, k.NextBlock, k.NextMatch, k.PrevMatch},
				{k.Copy, k.RawBytes, k.Lab},
				leave,
			}, []string{
				"The checks are the seed's rules, each with the values it compared; the command under \"Check it yourself\" hashes the same bytes without blockscope.",
				"n and N step through the blocks that the / filter matched, in the order the list shows them (best kind of match first), going round at the ends.",
			}
	case modeTx:
		return "Keys of the pending transaction", [][]key.Binding{k.NavKeys.Bindings(), {k.Copy, common.WithHelp(k.Drop, "d", "drop it from this node's pool")}, leave}, nil
	case modeNetwork:
		return "Keys of the network view", m.networkFullHelp(), nil
	case modeEvents:
		return "Keys of the event log", [][]key.Binding{k.NavKeys.Bindings(), {k.Help, common.WithHelp(k.Back, "e/esc", "back"), k.Quit}}, nil
	case modeLab:
		return "Keys of the tamper lab", m.lab.FullHelp(), []string{
			"The lab works on a copy: nothing in it is stored or sent to a peer.",
			"While a field is edited every key is text; enter or esc ends the edit.",
		}
	}
	return "Keys", k.FullHelp(), []string{
		"In the form and the filter every key is text (ctrl+c still quits).",
		"A hash's leading zeros are the work; ✓ marks a block that passes the rules.",
		"Mining is a lottery: the odds are 1-(1-16^-d)^attempts, not progress.",
	}
}
