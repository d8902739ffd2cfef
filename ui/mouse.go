package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The mouse, with --mouse: the wheel scrolls the view under the pointer, a
// click selects the row under it (and gives its pane the keyboard), and a
// second click on the same row within doubleClick inspects it, as enter
// does. Off by default, so that a terminal's own selection copies hashes.

// doubleClick is the longest time between two presses on one row that
// still makes them a double click. The time is the screen's clock
// (Options.Now), so tests decide it.
const doubleClick = 400 * time.Millisecond

// wheelRows is how far one turn of the wheel moves.
const wheelRows = 3

// lastClick is the last left press on a row of a pane, to tell a double
// click from two clicks.
type lastClick struct {
	at   time.Time
	pane int
	row  int
	ok   bool
}

// wheelDelta is the rows a wheel event scrolls by, 0 for anything else.
func wheelDelta(msg tea.MouseMsg) int {
	if msg.Action != tea.MouseActionPress {
		return 0
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		return -wheelRows
	case tea.MouseButtonWheelDown:
		return wheelRows
	}
	return 0
}

// leftPress reports whether msg is a press of the left button.
func leftPress(msg tea.MouseMsg) bool {
	return msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft
}

// handleMouse gives the wheel and clicks to the active mode: the panes and
// the lab's chain scroll and select, the inspector, the transaction view
// and the event log scroll, the network view's wheel and clicks pick a peer; the rest ignore the
// mouse.
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	delta := wheelDelta(msg)
	switch m.modes.top() {
	case modeBrowse, modeFilter:
		return m.panesMouse(msg, delta), nil
	case modeInspect:
		m.insp, _ = m.insp.Update(scrollMsg(delta), m.keys)
	case modeTx:
		m.txv.vp, _ = scrollViewport(m.txv.vp, scrollMsg(delta), m.keys)
	case modeEvents:
		m.logv.vp, _ = scrollViewport(m.logv.vp, scrollMsg(delta), m.keys)
	case modeNetwork:
		if delta != 0 && m.netAsk == "" && len(m.peers) > 0 {
			m.netSel = max(0, min(len(m.peers)-1, m.netSel+delta/wheelRows))
		}
		if leftPress(msg) && m.netAsk == "" {
			if i, ok := m.peerAt(msg.Y); ok {
				m.netSel = i
			}
		}
	case modeLab:
		var cmd tea.Cmd
		m.lab, cmd = m.lab.Update(msg)
		return m, cmd
	}
	return m, nil
}

// panesMouse handles the mouse over the panes: the pane under the pointer
// takes the keyboard on a click or a wheel turn and scrolls; a click
// selects the row under it, and a double click inspects it.
func (m Model) panesMouse(msg tea.MouseMsg, delta int) Model {
	p, ok := m.lay.paneAt(msg.X, msg.Y)
	if !ok || (delta == 0 && !leftPress(msg)) {
		return m
	}
	m.focus = p
	if delta != 0 {
		switch p {
		case panePending:
			m.pending, _ = m.pending.Update(scrollMsg(delta), m.keys)
		case paneChain:
			m.chainP, _ = m.chainP.Update(scrollMsg(delta), m.keys)
		}
		return m
	}
	row, ok := m.rowAt(p, msg.Y)
	if !ok {
		m.click = lastClick{}
		return m
	}
	switch p {
	case panePending:
		m.pending.Cursor = row
	case paneChain:
		m.chainP.Cursor = row
	}
	now := m.opts.Now()
	if c := m.click; c.ok && c.pane == p && c.row == row && now.Sub(c.at) <= doubleClick && now.Sub(c.at) >= 0 {
		m.click = lastClick{}
		return m.inspect()
	}
	m.click = lastClick{at: now, pane: p, row: row, ok: true}
	return m
}

// rowAt returns the row of pane p drawn on screen line y, if any.
func (m Model) rowAt(p, y int) (int, bool) {
	switch p {
	case panePending:
		line := y - m.lay.pending.y - 1 // below the frame's top border
		row := m.pending.Offset + line
		if line < 0 || line >= m.pending.listRows() || row >= len(m.pending.txs) {
			return 0, false
		}
		return row, true
	case paneChain:
		return m.chainP.rowAtLine(y - m.lay.chain.y - 1)
	}
	return 0, false
}

// chainFirstRowLine is the line, inside the chain pane's frame, of its
// first block row: below the row of column names.
const chainFirstRowLine = 1

// rowAtLine returns the row drawn on line (counted inside the frame), if
// a block is drawn there.
func (p chainPane) rowAtLine(line int) (int, bool) {
	line -= chainFirstRowLine
	row := p.Offset + line
	if line < 0 || line >= p.rows() || row >= p.rowCount() {
		return 0, false
	}
	return row, true
}
