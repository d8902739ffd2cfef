package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/ui/common"
)

// maxLogEntries bounds the event log: past it, the oldest entries go.
const maxLogEntries = 1000

// logKind is what an entry of the event log reports.
type logKind int

const (
	logNote  logKind = iota // a status line
	logError                // a status line that is an error
	logPeer                 // an event of the node: peers, blocks sent and received
	logFault                // an event of the node that is a failure
)

// logKindNames label the kinds in words, so that the log never tells them
// apart by colour alone.
var logKindNames = [...]string{logNote: "note", logError: "error", logPeer: "peer", logFault: "peer ✗"}

// logEntry is one line of the event log.
type logEntry struct {
	at   time.Time
	kind logKind
	text string
}

// eventLog keeps the last entries of the screen's history: every status
// line, every event of the node, every error, whole. It is a ring, so
// adding never copies. The Model holds it by pointer and its copies share
// it; that is safe because Bubble Tea calls Update and View from one
// goroutine, and the log only grows.
type eventLog struct {
	ring  []logEntry
	start int // the oldest entry, once the ring is full
	total int // entries ever added
	limit int
}

func newEventLog(limit int) *eventLog { return &eventLog{limit: max(1, limit)} }

// add appends e, dropping the oldest entry when the log is full.
func (l *eventLog) add(e logEntry) {
	l.total++
	if len(l.ring) < l.limit {
		l.ring = append(l.ring, e)
		return
	}
	l.ring[l.start] = e
	l.start = (l.start + 1) % l.limit
}

// len is the number of entries kept.
func (l *eventLog) len() int { return len(l.ring) }

// entry returns the i-th entry kept, oldest first.
func (l *eventLog) entry(i int) logEntry { return l.ring[(l.start+i)%len(l.ring)] }

// logged writes an entry of kind at the screen's clock.
func (m Model) logged(kind logKind, text string) Model {
	if text != "" {
		m.events.add(logEntry{at: m.opts.Now(), kind: kind, text: text})
	}
	return m
}

// noteStatus writes a status line the screen has not logged yet to the
// event log and stamps it, which starts its life on the status line. It
// runs after every message (Update), so that code anywhere may set
// m.status and the log misses none of it.
func (m Model) noteStatus() Model {
	if m.status.text != "" && m.status.at.IsZero() {
		kind := logNote
		if m.status.err {
			kind = logError
		}
		m = m.logged(kind, m.status.text)
		m.status.at = m.opts.Now()
	}
	if m.modes.has(modeEvents) {
		m.logv = m.logv.refresh()
	}
	return m
}

// eventLogView lists the event log, oldest first, each entry whole
// (wrapped), in place of the panes. It opens at the newest entry and
// follows new ones while it is at the bottom.
type eventLogView struct {
	log           *eventLog
	vp            viewport.Model
	st            common.Styles
	shown         int // log.total when the content was built
	width, height int
}

func newEventLogView(st common.Styles, log *eventLog) eventLogView {
	v := eventLogView{log: log, st: st, vp: viewport.New(1, 1)}
	v.vp.KeyMap = viewport.KeyMap{} // keys come from the screen's one keymap
	return v
}

// SetSize lays the log out for a box of width×height cells, at its newest
// entry.
func (v eventLogView) SetSize(width, height int) eventLogView {
	v.width, v.height = width, height
	v.vp.Width, v.vp.Height = max(1, width-2), max(1, height-2)
	v = v.build()
	v.vp.GotoBottom()
	return v
}

// refresh takes the entries added since the content was built; the view
// stays at the bottom when it was there.
func (v eventLogView) refresh() eventLogView {
	if v.log.total == v.shown {
		return v
	}
	bottom := v.vp.AtBottom()
	v = v.build()
	if bottom {
		v.vp.GotoBottom()
	}
	return v
}

func (v eventLogView) build() eventLogView {
	v.shown = v.log.total
	v.vp.SetContent(strings.Join(v.lines(v.width-2), "\n"))
	return v
}

// logHang is where an entry's text starts: after the time and the kind.
const logHang = 1 + 8 + 2 + 6 + 1

// lines is the content for width cells: one entry a line, wrapped.
func (v eventLogView) lines(width int) []string {
	st := v.st
	if v.log.len() == 0 {
		return []string{"", st.Dim.Render(" nothing yet: status lines, the node's events and errors appear here as they happen")}
	}
	t := &text{st: st, width: width}
	for i := 0; i < v.log.len(); i++ {
		e := v.log.entry(i)
		kind := common.PadRight(logKindNames[e.kind], 6)
		switch e.kind {
		case logError, logFault:
			kind = st.Bad.Render(kind)
		case logPeer:
			kind = st.Key.Render(kind)
		default:
			kind = st.Dim.Render(kind)
		}
		t.put(logHang, " "+st.Dim.Render(e.at.Format("15:04:05"))+"  "+kind+" "+common.OneLine(e.text))
	}
	return t.out
}

// View draws the log in its box.
func (v eventLogView) View() string {
	title := "Event log · oldest first · 1 entry"
	if n := v.log.len(); n != 1 {
		title = "Event log · oldest first · " + common.GroupDigits(int64(n)) + " entries"
	}
	if v.log.total > v.log.len() {
		title += " (the last " + common.GroupDigits(int64(v.log.limit)) + " kept)"
	}
	footer := "e/esc back"
	if v.vp.TotalLineCount() > v.vp.Height {
		footer = "j/k scroll · g/G oldest/newest · e/esc back"
	}
	return v.st.Box(title, footer, strings.Split(v.vp.View(), "\n"), v.width, v.height, true, false)
}

// openEvents shows the event log in place of the panes.
func (m Model) openEvents() Model {
	m.logv = newEventLogView(m.st, m.events).SetSize(m.lay.middle.w, m.lay.middle.h)
	m.modes = m.modes.push(modeEvents)
	return m
}

// eventsKey handles a key in the event log: it scrolls; esc or e returns.
func (m Model) eventsKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back, m.keys.Events):
		m.modes = m.modes.pop()
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.modes = m.modes.push(modeHelp)
	default:
		m.logv.vp, _ = scrollViewport(m.logv.vp, k, m.keys)
	}
	return m, nil
}
