package ui

import (
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// chainPane lists the chain newest first. It is virtualised: it keeps only
// the chain's length (and the heights a filter matched) and reads the few
// visible blocks from the chain when it draws, so a chain of any length
// scrolls and draws in the same time.
type chainPane struct {
	chain  *blockchain.Chain
	length int64 // the chain's length when last told

	// matches holds the heights the filter matched, newest first; it is
	// meaningful only while filtered is set.
	matches  []int64
	filtered bool
	query    string

	width, height int
	listCursor
}

func newChainPane(c *blockchain.Chain) chainPane {
	return chainPane{chain: c, length: int64(c.Len())}
}

// rowCount is the number of rows the pane lists.
func (p chainPane) rowCount() int {
	if p.filtered {
		return len(p.matches)
	}
	return int(p.length)
}

// height returns the block height shown on row r.
func (p chainPane) heightAt(r int) int64 {
	if p.filtered {
		return p.matches[r]
	}
	return p.length - 1 - int64(r)
}

// SetSize fits the pane to width×height cells, keeping the selection on
// screen.
func (p chainPane) SetSize(width, height int) chainPane {
	p.width, p.height = width, height
	p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	return p
}

// rows is how many blocks the pane shows: its height inside the frame.
func (p chainPane) rows() int { return p.height - 2 }

// SetLength records a new chain length. A selection at the top follows the
// newest block; any other selection stays on the block it was on.
func (p chainPane) SetLength(n int64) chainPane {
	if !p.filtered && p.Cursor > 0 && n > p.length {
		delta := int(n - p.length)
		p.Cursor += delta
		p.Offset += delta
	}
	p.length = n
	p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	return p
}

// SetFilter shows only the given heights (newest first) for query.
func (p chainPane) SetFilter(query string, matches []int64) chainPane {
	if !p.filtered || p.query != query {
		p.listCursor = listCursor{}
	}
	p.filtered, p.query, p.matches = true, query, matches
	p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	return p
}

// ClearFilter lists the whole chain again, keeping the selected block selected.
func (p chainPane) ClearFilter() chainPane {
	sel, ok := p.SelectedHeight()
	p.filtered, p.query, p.matches = false, "", nil
	if ok {
		p.Cursor = int(p.length - 1 - sel)
		p.Offset = p.Cursor - p.rows()/2
	}
	p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	return p
}

// Update moves the selection.
func (p chainPane) Update(msg tea.Msg, keys keyMap) (chainPane, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		p.listCursor, _ = p.listCursor.move(msg, keys, p.rowCount(), p.rows())
	case scrollMsg:
		p.listCursor = p.listCursor.scroll(int(msg), p.rowCount(), p.rows())
	}
	return p, nil
}

// SelectedHeight returns the height of the selected block.
func (p chainPane) SelectedHeight() (int64, bool) {
	if p.Cursor < 0 || p.Cursor >= p.rowCount() {
		return 0, false
	}
	return p.heightAt(p.Cursor), true
}

// Title is the pane's title with its count.
func (p chainPane) Title() string {
	if p.filtered {
		return "2 Chain (" + common.GroupDigits(int64(len(p.matches))) + " of " + common.GroupDigits(p.length) + " match “" + common.OneLine(p.query) + "”)"
	}
	return "2 Chain (" + common.GroupDigits(p.length) + ")"
}

// chainRow is one visible row's cells before layout.
type chainRow struct {
	index, hash, txs, nonce, when string
	zeros, row                    int
	valid                         bool
}

// View draws the visible rows in the pane's box.
func (p chainPane) View(st common.Styles, focused bool, now time.Time) string {
	width, height := p.width, p.height
	rows := max(0, p.rows())
	inner := width - 2
	n := p.rowCount()
	var lines []string
	if n == 0 && p.filtered {
		lines = []string{st.Ink.Dim.Render(" no block matches “" + common.OneLine(p.query) + "”"), "", st.Ink.Dim.Render(" esc clears the filter")}
		return st.Frame(p.Title(), lines, width, height, focused)
	}

	cells := make([]chainRow, 0, rows)
	floor := p.chain.Difficulty()
	for r := p.Offset; r < n && r < p.Offset+rows; r++ {
		h := p.heightAt(r)
		b := p.chain.Block(h)
		if b == nil {
			continue
		}
		c := chainRow{
			row:   r,
			index: "#" + strconv.FormatInt(h, 10),
			hash:  b.Hash(),
			txs:   strconv.Itoa(len(b.Transactions())) + " tx",
			nonce: common.GroupDigits(b.Nonce()),
			when:  blockTime(now, b),
		}
		c.zeros = blockchain.LeadingZeros(c.hash)
		if h == 0 {
			c.valid = blockchain.CheckGenesis(b) == nil
		} else if parent := p.chain.Block(h - 1); parent != nil {
			c.valid = blockchain.Follows(parent, b, floor)
		}
		cells = append(cells, c)
	}

	// Column widths from the visible rows; optional columns give way to the
	// hash when the pane is narrow.
	var wIdx, wTx, wNonce, wWhen int
	for _, c := range cells {
		wIdx = max(wIdx, len(c.index))
		wTx = max(wTx, len(c.txs))
		wNonce = max(wNonce, len(c.nonce))
		wWhen = max(wWhen, len(c.when))
	}
	const gap = 2
	nonceLabel, showNonce, showWhen := "nonce ", true, true
	fixed := func() int {
		w := 2 + wIdx + gap + gap + wTx + 2 // marker, index, hash gap, txs, mark
		if showNonce {
			w += gap + len(nonceLabel) + wNonce
		}
		if showWhen {
			w += gap + wWhen
		}
		return w
	}
	hashW := inner - fixed()
	if hashW < 14 {
		nonceLabel = ""
		hashW = inner - fixed()
	}
	if hashW < 12 {
		showNonce = false
		hashW = inner - fixed()
	}
	if hashW < 10 {
		showWhen = false
		hashW = inner - fixed()
	}
	hashW = max(4, min(hashW, 20))
	spare := max(0, inner-fixed()-hashW)

	for _, c := range cells {
		var b strings.Builder
		selected := focused && c.row == p.Cursor
		// A selected row is drawn plain and then in the selection style as
		// a whole: inner styles would end the selection's background.
		k := st.Ink
		if selected {
			k = common.Inks{}
			b.WriteString("▸ ")
		} else {
			b.WriteString("  ")
		}
		b.WriteString(common.PadLeft(c.index, wIdx))
		b.WriteString("  ")
		b.WriteString(k.HashCell(c.hash, c.zeros, hashW))
		b.WriteString("  ")
		b.WriteString(common.PadLeft(c.txs, wTx))
		if showNonce {
			b.WriteString("  ")
			b.WriteString(k.Dim.Render(nonceLabel))
			b.WriteString(common.PadLeft(c.nonce, wNonce))
		}
		if showWhen {
			b.WriteString("  ")
			b.WriteString(k.Dim.Render(common.PadLeft(c.when, wWhen)))
		}
		b.WriteString(strings.Repeat(" ", spare+1))
		if c.valid {
			b.WriteString(k.Good.Render("✓"))
		} else {
			b.WriteString(k.Bad.Render("✗"))
		}
		line := b.String()
		if selected {
			line = st.Ink.Selected.Render(common.Fit(line, inner))
		}
		lines = append(lines, line)
	}
	footer := ""
	if n > rows && rows > 0 {
		footer = common.GroupDigits(int64(p.Offset+1)) + "–" + common.GroupDigits(int64(min(n, p.Offset+rows))) + " of " + common.GroupDigits(int64(n))
	}
	return st.FrameFooter(p.Title(), footer, lines, width, height, focused)
}

// blockTime writes a block's timestamp for the list, or "?" when it is not
// a number.
func blockTime(now time.Time, b *blockchain.Block) string {
	s, ok := b.Seconds()
	if !ok {
		return "?"
	}
	return common.ClockTime(now, blockchain.FloatTime(s))
}
