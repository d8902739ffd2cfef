package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"blockscope/ui/common"
)

// How long a status line stays up: long enough to be read, short enough
// that it does not describe a screen that has moved on. Errors stay
// longer. Either is kept whole in the event log.
const (
	infoLife  = 30 * time.Second
	errorLife = 2 * time.Minute
)

// statusLine is the one-line report of the last thing that happened: a block
// mined or received, a transaction stored, an error. It is written to the
// event log when the screen first sees it (Model.noteStatus stamps it), and
// it leaves the status line when it expires or when the state it describes
// changes (see untilPending).
type statusLine struct {
	text string
	err  bool
	at   time.Time // when it was said; zero until the screen has logged it
	// untilPending marks a line that is true only while nothing is
	// pending ("no transactions to mine"): the first arrival clears it.
	untilPending bool
	// whileInspecting and whileFiltered mark a line about the inspector
	// or the filter ("match 1 of 2 for …"): leaving the inspector, or
	// clearing the filter, clears it (Model.dropUntrueStatus).
	whileInspecting, whileFiltered bool
}

func info(text string) statusLine    { return statusLine{text: text} }
func failure(text string) statusLine { return statusLine{text: text, err: true} }

// whileNothingPending returns s marked to be cleared once a transaction
// is pending.
func (s statusLine) whileNothingPending() statusLine {
	s.untilPending = true
	return s
}

// aboutInspector returns s marked to be cleared once the inspector is
// left.
func (s statusLine) aboutInspector() statusLine {
	s.whileInspecting = true
	return s
}

// aboutFilter returns s marked to be cleared once the filter is cleared.
func (s statusLine) aboutFilter() statusLine {
	s.whileFiltered = true
	return s
}

// dropUntrueStatus clears the status line when what it describes has gone:
// the inspector it was said in, or the filter it counted matches of.
func (m Model) dropUntrueStatus() Model {
	if (m.status.whileInspecting && !m.modes.has(modeInspect)) || (m.status.whileFiltered && !m.chainP.filtered) {
		m.status = statusLine{}
	}
	return m
}

// expired reports whether the line is older than its life at now.
func (s statusLine) expired(now time.Time) bool {
	if s.at.IsZero() {
		return false
	}
	life := infoLife
	if s.err {
		life = errorLife
	}
	return now.Sub(s.at) >= life
}

// moreInLog is what a status line too long for the width ends with.
const moreInLog = "… e: whole in the log"

// View draws the line width cells wide at now, or hint (dim) when there is
// nothing to report. Errors say "error:" in words
// as well as in colour. A line that does not fit is cut before the note
// that the event log holds it whole, so that the cut never passes for the
// whole message.
func (s statusLine) View(st common.Styles, width int, now time.Time, hint string) string {
	text := common.OneLine(s.text)
	if text == "" || s.expired(now) {
		return common.Fit(st.Dim.Render(" "+hint), width)
	}
	glyph, style := "", st.Status
	if s.err {
		glyph, style = "✗ ", st.Bad
		if !strings.HasPrefix(text, "error") {
			text = "error: " + text
		}
	}
	room := width - 1 - common.Width(glyph)
	if common.Width(text) > room {
		text = strings.TrimRight(ansi.Truncate(text, room-common.Width(moreInLog), ""), " ")
		return common.Fit(" "+style.Render(glyph+text)+st.Dim.Render(moreInLog), width)
	}
	return common.Fit(" "+style.Render(glyph+text), width)
}
