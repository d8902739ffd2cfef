package lab

import tea "github.com/charmbracelet/bubbletea"

// The lab's chain answers the mouse (the screen's --mouse): the wheel moves
// the selection, a click selects the block under it. Other parts ignore it.

// chainTop is the screen line of the chain box's first row: below the
// header line and the box's top border.
const chainTop = 2

// mouse handles a mouse event while the lab is browsing.
func (l Model) mouse(msg tea.MouseMsg) Model {
	if l.mode != labBrowse || msg.Action != tea.MouseActionPress {
		return l
	}
	n := int64(l.sandbox.Len())
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		l.selected = max(0, l.selected-3)
	case tea.MouseButtonWheelDown:
		l.selected = min(n-1, l.selected+3)
	case tea.MouseButtonLeft:
		rows, _ := l.chainRows()
		line := msg.Y - chainTop
		at := l.chainStart(rows) + int64(line)
		if line >= 0 && line < rows && at < n {
			l.selected = at
		}
	}
	return l
}

// chainStart is the first block the chain box lists: the selection stays
// in the middle of the box where the chain allows.
func (l Model) chainStart(rows int) int64 {
	return max(0, min(l.selected-int64(rows/2), int64(l.sandbox.Len()-rows)))
}
