package ui

import (
	"strconv"
	"strings"

	"blockscope/ui/common"
)

// chainRow is one visible row's cells before layout.
type chainRow struct {
	index, hash, txs, nonce, when string
	matched                       string // what the filter matched, while one is applied
	zeros, row                    int
	valid                         bool
}

// chainColumns is the layout of the chain pane's rows. The widths come
// from the chain and the pane, never from the rows on screen, so the
// columns stay put while the list scrolls: the index column is as wide as
// the tip's number, the others have fixed widths, and the hash takes the
// rest, up to its 64 digits.
type chainColumns struct {
	index, hash         int
	showNonce, showWhen bool
	showMatched         bool // the "matched" column, while a filter is applied
	spare               int  // blank cells before the ✓/✗ mark
}

// Widths and gaps of the chain pane's columns.
const (
	chainGap    = 2  // between columns
	chainMarker = 2  // "▸ " before a selected row
	chainMark   = 2  // the space and the ✓/✗ mark at the end
	chainTxs    = 5  // transactions: exact to 99,999, then rounded
	chainNonce  = 10 // nonce: exact to 99,999,999 (difficulty 6 takes ~16.8 M), then rounded
	chainWhen   = 10 // "2006-01-02", or "15:04:05" for today
	chainTag    = 7  // what a filter matched: "index", "hash", "in hash", "author", "content"
	// A hash narrower than chainHashRoom gives the optional columns' room
	// back: first the time, then the nonce.
	chainHashRoom = 16
	chainHashMin  = 4
	chainHashFull = 64
)

// layoutChainColumns sizes the columns of a chain whose tip is block tip
// for inner cells; matched adds the column saying what a filter matched,
// which keeps its room before the time and the nonce.
func layoutChainColumns(tip int64, inner int, matched bool) chainColumns {
	cols := chainColumns{index: len(strconv.FormatInt(max(tip, 0), 10)) + 1, showNonce: true, showWhen: true, showMatched: matched}
	if inner-cols.fixed() < chainHashRoom {
		cols.showWhen = false
	}
	if inner-cols.fixed() < chainHashRoom {
		cols.showNonce = false
	}
	room := inner - cols.fixed()
	cols.hash = max(chainHashMin, min(room, chainHashFull))
	cols.spare = max(0, room-cols.hash)
	return cols
}

// fixed is the width of everything on a row but the hash and the spare.
func (cols chainColumns) fixed() int {
	w := chainMarker + cols.index + chainGap + chainGap + chainTxs + chainMark
	if cols.showMatched {
		w += chainTag + chainGap
	}
	if cols.showNonce {
		w += chainGap + chainNonce
	}
	if cols.showWhen {
		w += chainGap + chainWhen
	}
	return w
}

// header is the row of column names above the blocks.
func (cols chainColumns) header(st common.Styles) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", chainMarker))
	b.WriteString(common.PadLeft("#", cols.index))
	b.WriteString("  ")
	if cols.showMatched {
		b.WriteString(common.PadRight("matched", chainTag) + "  ")
	}
	b.WriteString(common.PadRight("hash", cols.hash))
	b.WriteString("  ")
	b.WriteString(common.PadLeft("txs", chainTxs))
	if cols.showNonce {
		b.WriteString("  " + common.PadLeft("nonce", chainNonce))
	}
	if cols.showWhen {
		b.WriteString("  " + common.PadLeft("mined", chainWhen))
	}
	return st.Dim.Render(b.String())
}

// row draws one block's row, inner cells wide when selected.
func (cols chainColumns) row(st common.Styles, c chainRow, selected bool, inner int) string {
	var b strings.Builder
	// A selected row is drawn plain and then in the selection style as a
	// whole: inner styles would end the selection's background.
	k := st
	if selected {
		k = common.Styles{}
		b.WriteString("▸ ")
	} else {
		b.WriteString("  ")
	}
	b.WriteString(common.PadLeft(c.index, cols.index))
	b.WriteString("  ")
	if cols.showMatched {
		b.WriteString(k.Dim.Render(common.PadRight(c.matched, chainTag)) + "  ")
	}
	b.WriteString(k.HashCell(c.hash, c.zeros, cols.hash))
	b.WriteString("  ")
	b.WriteString(common.PadLeft(c.txs, chainTxs))
	if cols.showNonce {
		b.WriteString("  ")
		b.WriteString(common.PadLeft(c.nonce, chainNonce))
	}
	if cols.showWhen {
		b.WriteString("  ")
		b.WriteString(k.Dim.Render(common.PadLeft(c.when, chainWhen)))
	}
	b.WriteString(strings.Repeat(" ", cols.spare+1))
	if c.valid {
		b.WriteString(k.Good.Render("✓"))
	} else {
		b.WriteString(k.Bad.Render("✗"))
	}
	if selected {
		return st.Selected.Render(common.Fit(b.String(), inner))
	}
	return b.String()
}
