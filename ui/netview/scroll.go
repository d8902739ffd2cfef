package netview

import (
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/localnet"
)

// The event log scrolls with the movement keys every list shares: up is
// older, G (or end) returns to the newest, which the log then follows. A
// scrolled log stays on the events it shows while newer ones arrive.

// shownEvents are the events the log lists: a node accepting a block is
// left out (the announcement that follows counts the peers that took it).
func shownEvents(events []localnet.Event) []localnet.Event {
	ev := make([]localnet.Event, 0, len(events))
	for _, e := range events {
		if e.Kind != localnet.EventBlockAccepted {
			ev = append(ev, e)
		}
	}
	return ev
}

// scrollEvents applies a movement key to the event log; it reports false
// for any other key.
func (m *Model) scrollEvents(msg tea.KeyMsg) bool {
	rows := max(1, m.logHeight(m.footer(max(m.width, 40)))-2)
	mv, ok := m.keys.Movement(msg, rows)
	if !ok {
		return false
	}
	// The log counts from the newest; a movement counts from the top.
	n := len(shownEvents(m.events))
	top := max(0, n-rows) // the most events back that still fill the box
	mv.Rows = -mv.Rows
	mv.ToTop, mv.ToBottom = mv.ToBottom, mv.ToTop
	m.back = mv.Apply(m.back, top+1)
	return true
}

// keepScroll keeps a scrolled log on the events it shows when more arrive.
func (m *Model) keepScroll(before, after []localnet.Event) {
	if m.back > 0 {
		m.back += max(0, len(shownEvents(after))-len(shownEvents(before)))
	}
}
