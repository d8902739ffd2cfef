package ui

import (
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// pendingPane lists the transactions waiting to be mined, oldest first:
// author, content and how long ago this node received each.
type pendingPane struct {
	txs           []blockchain.PendingTx // a snapshot of the chain's pool
	width, height int
	listCursor
}

// SetSize fits the pane to width×height cells, keeping the selection on
// screen.
func (p pendingPane) SetSize(width, height int) pendingPane {
	p.width, p.height = width, height
	p.listCursor = p.listCursor.clamp(len(p.txs), p.listRows())
	return p
}

// listRows is how many transactions fit in the pane: one row less when
// some do not fit, for the "more below" line.
func (p pendingPane) listRows() int {
	rows := p.height - 2
	if len(p.txs) > rows {
		rows--
	}
	return max(1, rows)
}

// SetItems replaces the snapshot, keeping the selection where it can.
func (p pendingPane) SetItems(txs []blockchain.PendingTx) pendingPane {
	p.txs = txs
	p.listCursor = p.listCursor.clamp(len(txs), p.listRows())
	return p
}

// Update moves the selection.
func (p pendingPane) Update(msg tea.Msg, keys keyMap) (pendingPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		p.listCursor, _ = p.listCursor.move(msg, keys, len(p.txs), p.listRows())
	case scrollMsg:
		p.listCursor = p.listCursor.scroll(int(msg), len(p.txs), p.listRows())
	}
	return p, nil
}

// pendingOrder is the pane's order (the chain pane lists newest first).
const pendingOrder = "oldest first"

// Title is the pane's title with its count and, when it fits, its order.
func (p pendingPane) Title() string {
	return common.TitleNote("1 Pending ("+common.GroupDigits(int64(len(p.txs)))+")", pendingOrder, p.width)
}

// orderFooter says the order in the bottom border when the title has no
// room for it, so a narrow pane still says it.
func (p pendingPane) orderFooter() string {
	if strings.HasSuffix(p.Title(), pendingOrder) {
		return ""
	}
	return pendingOrder
}

// View draws the pane in its box.
func (p pendingPane) View(st common.Styles, focused bool, now time.Time) string {
	width, height := p.width, p.height
	rows := p.listRows()
	inner := width - 2
	lines := make([]string, 0, rows)
	if len(p.txs) == 0 {
		lines = append(lines,
			st.Dim.Render(" nothing pending"),
			"",
			st.Dim.Render(" press ")+st.Key.Render("n")+st.Dim.Render(" to add a transaction"),
		)
		return st.Frame(p.Title(), lines, width, height, focused)
	}
	// The author column is as wide as the widest visible author, within
	// bounds, so short names leave the room to the content.
	authorW := 0
	for r := p.Offset; r < len(p.txs) && r < p.Offset+rows; r++ {
		authorW = max(authorW, common.Width(common.OneLine(p.txs[r].Author())))
	}
	authorW = min(max(authorW, 5), inner/3)
	ageW := 4
	contentW := max(1, inner-2-authorW-1-1-ageW)
	for r := p.Offset; r < len(p.txs) && r < p.Offset+rows; r++ {
		tx := p.txs[r]
		var b strings.Builder
		selected := focused && r == p.Cursor
		k := st
		if selected {
			k = common.Styles{} // drawn plain, then selected as a whole
			b.WriteString("▸ ")
		} else {
			b.WriteString("  ")
		}
		b.WriteString(common.Fit(common.OneLine(tx.Author()), authorW))
		b.WriteByte(' ')
		b.WriteString(common.Fit(common.OneLine(tx.Content()), contentW))
		b.WriteByte(' ')
		a := common.Age(now, tx.Received())
		b.WriteString(k.Dim.Render(strings.Repeat(" ", max(0, ageW-len(a))) + a))
		line := b.String()
		if selected {
			line = st.Selected.Render(common.Fit(line, inner))
		}
		lines = append(lines, line)
	}
	if len(p.txs) > rows {
		// A last line says what is off screen, so a long pool never looks short.
		lines = append(lines, st.Dim.Render("  "+strconv.Itoa(p.Offset+1)+"–"+strconv.Itoa(p.Offset+len(lines))+" of "+common.GroupDigits(int64(len(p.txs)))))
	}
	return st.FrameFooter(p.Title(), p.orderFooter(), lines, width, height, focused)
}
