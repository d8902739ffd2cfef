package ui

import (
	"strconv"

	"blockscope/ui/common"
)

// n and N step through the filter's matches from the inspector, in the
// order the filtered chain list shows them: the best kind of match first
// (an exact index, a hash prefix, a hash infix, then author or content),
// newest first within a kind. On the panes the filtered list holds only
// the matches, so j and k step through them there, and n keeps its older
// meaning (a new transaction).

// stepMatch shows the next (or previous) match in the inspector, after the
// one selected in the chain list, going round at either end.
func (m Model) stepMatch(next bool) Model {
	p := m.chainP
	n := len(p.matches)
	switch {
	case !p.filtered:
		m.status = info("n and N step through the filter's matches: / filters the chain first").aboutInspector()
		return m
	case n == 0:
		m.status = info("no block matches “" + common.OneLine(p.query) + "”").aboutInspector().aboutFilter()
		return m
	}
	row, wrapped := p.Cursor+1, false
	if !next {
		row = p.Cursor - 1
	}
	switch {
	case row >= n:
		row, wrapped = 0, true
	case row < 0:
		row, wrapped = n-1, true
	}
	h := p.matches[row]
	in, ok := openInspector(m.st, m.chain, h, m.opts.Now)
	if !ok {
		return m
	}
	m.insp = in.SetSize(m.lay.middle.w, m.lay.middle.h)
	m.chainP = m.chainP.Select(h)
	text := "match " + strconv.Itoa(row+1) + " of " + common.GroupDigits(int64(n)) + " for “" + common.OneLine(p.query) + "”"
	if wrapped {
		text += " (went round: n and N wrap at the ends)"
	}
	m.status = info(text).aboutInspector().aboutFilter()
	return m
}
