package ui

import (
	"blockscope/miner"
	"blockscope/ui/common"
)

// The screen's fixed lines: the header above the panes, the status (or
// filter) line and the help bar below them.
const (
	headerLines = 1
	footerLines = 2 // the status or filter line, and the help bar
	chromeLines = headerLines + footerLines
)

// Heights of the mining pane: its frame and three lines when the search is
// unlimited; a slow pace lists each attempt below, up to trailRows more
// when the window has the room.
const (
	miningBaseHeight = 5
	trailRows        = 6
	minPaneHeight    = 4 // the least a framed pane is drawn with
	minPendingWidth  = 30
)

// Widths of the boxes drawn over the screen.
const (
	formMaxWidth    = 72
	helpMaxWidth    = 100
	networkMaxWidth = 96
	modalMargin     = 4 // the columns left around an overlay
)

// rect is a pane's place on the screen, in cells.
type rect struct{ x, y, w, h int }

// contains reports whether cell (x, y) is inside r.
func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// layout is where every part of the screen goes for one window size and
// pace. It is computed in one place, newLayout, whenever something that
// changes a size changes (the window, the pace); the components are then
// handed their sizes (Model.relayout).
type layout struct {
	width, height int
	pending       rect // the pending pane, left of the chain pane
	chain         rect
	mining        rect // below both, the whole width
	middle        rect // everything between the header and the footer: the inspector
	form          int  // the widths of the overlays
	help          int
	network       int
}

// newLayout lays out a window of width×height cells for the pace.
func newLayout(width, height int, pace miner.Pace) layout {
	miningH := miningBaseHeight
	if pace != miner.Unlimited {
		miningH += min(trailRows, 3+max(0, (height-common.MinHeight)/2))
	}
	topH := max(minPaneHeight, height-chromeLines-miningH)
	pendingW := max(minPendingWidth, width*2/5)
	return layout{
		width:   width,
		height:  height,
		pending: rect{0, headerLines, pendingW, topH},
		chain:   rect{pendingW, headerLines, width - pendingW, topH},
		mining:  rect{0, headerLines + topH, width, miningH},
		middle:  rect{0, headerLines, width, max(minPaneHeight, height-chromeLines)},
		form:    min(formMaxWidth, width-modalMargin),
		help:    min(helpMaxWidth, width-modalMargin),
		network: min(networkMaxWidth, width-modalMargin),
	}
}

// paneAt returns the pane under screen cell (x, y).
func (l layout) paneAt(x, y int) (int, bool) {
	switch {
	case l.pending.contains(x, y):
		return panePending, true
	case l.chain.contains(x, y):
		return paneChain, true
	case l.mining.contains(x, y):
		return paneMining, true
	}
	return 0, false
}

// overlayRows is the height a box drawn over the screen may take: the rows
// between the header and the status line, so that both, and the key bar
// that says how to close the box, stay in sight.
func (l layout) overlayRows() int {
	return max(minPaneHeight, l.height-chromeLines)
}

// overlay draws box over screen, centred between the header and the
// status line.
func (l layout) overlay(screen, box string) string {
	return common.Overlay(screen, box, l.width, headerLines, l.overlayRows())
}

// tooSmall reports whether the window is below the minimum, when the screen
// shows only the too-small message. Before the first size arrives nothing
// is drawn, and keys act as usual.
func (l layout) tooSmall() bool {
	return l.width > 0 && l.height > 0 && (l.width < common.MinWidth || l.height < common.MinHeight)
}
