package ui

import (
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// chainPane lists the chain newest first (its title says so), under a row
// of column names. It is virtualised: it keeps only
// the chain's length (and the heights a filter matched) and reads the few
// visible blocks from the chain when it draws, so a chain of any length
// scrolls and draws in the same time.
type chainPane struct {
	chain  *blockchain.Chain
	length int64 // the chain's length when last told

	// matches holds the heights the filter matched, the best kind of match
	// first (see filterResultMsg); it is meaningful only while filtered is
	// set.
	matches  []int64
	counts   [matchKinds]int // how many of matches matched each way, in order
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

// rows is how many blocks the pane shows: its height inside the frame,
// less the row of column names.
func (p chainPane) rows() int { return p.height - 3 }

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

// SetFilter shows only the given heights for query, the best kind of
// match first (counts says how many matched each way).
func (p chainPane) SetFilter(query string, matches []int64, counts [matchKinds]int) chainPane {
	if !p.filtered || p.query != query {
		p.listCursor = listCursor{}
	}
	p.filtered, p.query, p.matches, p.counts = true, query, matches, counts
	p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	return p
}

// ClearFilter lists the whole chain again, keeping the selected block selected.
func (p chainPane) ClearFilter() chainPane {
	sel, ok := p.SelectedHeight()
	p.filtered, p.query, p.matches, p.counts = false, "", nil, [matchKinds]int{}
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

// Select selects block h when the pane lists it, and scrolls it into view.
func (p chainPane) Select(h int64) chainPane {
	row := -1
	switch {
	case p.filtered:
		for i, m := range p.matches {
			if m == h {
				row = i
				break
			}
		}
	case h >= 0 && h < p.length:
		row = int(p.length - 1 - h)
	}
	if row >= 0 {
		p.Cursor = row
		p.listCursor = p.listCursor.clamp(p.rowCount(), p.rows())
	}
	return p
}

// SelectedHeight returns the height of the selected block.
func (p chainPane) SelectedHeight() (int64, bool) {
	if p.Cursor < 0 || p.Cursor >= p.rowCount() {
		return 0, false
	}
	return p.heightAt(p.Cursor), true
}

// kindAt is what the filter matched of the block on row r.
func (p chainPane) kindAt(r int) matchKind {
	for k, n := range p.counts {
		if r < n {
			return matchKind(k)
		}
		r -= n
	}
	return noMatch
}

// Title is the pane's title with its count and its order: the chain
// lists newest first, while Pending and the lab list oldest first. A
// filtered title drops its order, then its query (the filter line shows
// it), rather than be cut.
func (p chainPane) Title() string {
	if p.filtered {
		n, of := common.GroupDigits(int64(len(p.matches))), common.GroupDigits(p.length)
		q := "“" + common.OneLine(p.query) + "”"
		for _, t := range []string{
			"2 Chain (" + n + " of " + of + " match " + q + ", best first)",
			"2 Chain (" + n + " of " + of + " match " + q + ")",
			"2 Chain (" + n + " of " + of + " match)",
		} {
			if common.Width(t) <= p.width-8 {
				return t
			}
		}
		return "2 Chain (" + n + "/" + of + ")"
	}
	return common.TitleNote("2 Chain ("+common.GroupDigits(p.length)+")", "newest first", p.width)
}

// View draws the column names and the visible rows in the pane's box.
func (p chainPane) View(st common.Styles, focused bool, now time.Time) string {
	rows := max(0, p.rows())
	n := p.rowCount()
	if n == 0 && p.filtered {
		lines := []string{st.Dim.Render(" no block matches “" + common.OneLine(p.query) + "”"), "", st.Dim.Render(" esc clears the filter")}
		return st.Frame(p.Title(), lines, p.width, p.height, focused)
	}
	cols := layoutChainColumns(p.length-1, p.width-2, p.filtered)
	cells := p.visibleRows(rows, now)
	lines := make([]string, 0, len(cells)+1)
	lines = append(lines, cols.header(st))
	for _, c := range cells {
		lines = append(lines, cols.row(st, c, focused && c.row == p.Cursor, p.width-2))
	}
	footer := ""
	if n > rows && rows > 0 {
		footer = common.GroupDigits(int64(p.Offset+1)) + "–" + common.GroupDigits(int64(min(n, p.Offset+rows))) + " of " + common.GroupDigits(int64(n))
	}
	return st.FrameFooter(p.Title(), footer, lines, p.width, p.height, focused)
}

// visibleRows reads the blocks of the rows on screen from the chain.
func (p chainPane) visibleRows(rows int, now time.Time) []chainRow {
	n := p.rowCount()
	cells := make([]chainRow, 0, rows)
	floor := p.chain.Difficulty()
	cq := parseChainQuery(p.query)
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
			txs:   common.CountCell(int64(len(b.Transactions())), chainTxs),
			nonce: common.NonceCell(b, chainNonce),
			when:  blockTime(now, b),
		}
		if p.filtered {
			c.matched = cq.tag(p.kindAt(r), b)
		}
		c.zeros = blockchain.LeadingZeros(c.hash)
		if h == 0 {
			c.valid = blockchain.CheckGenesis(b) == nil
		} else if parent := p.chain.Block(h - 1); parent != nil {
			c.valid = blockchain.Follows(parent, b, floor)
		}
		cells = append(cells, c)
	}
	return cells
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
