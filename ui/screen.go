package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"blockscope/miner"
	"blockscope/ui/common"
)

// screenView draws the screen under any overlay: the header, the panes or
// the inspector, the status or filter line, and the help bar.
func (m Model) screenView() string {
	now := m.opts.Now()
	st := m.st
	var b strings.Builder
	b.Grow(m.lay.width * m.lay.height * 2)
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.modes.has(modeInspect) {
		b.WriteString(m.insp.View())
	} else if m.modes.has(modeTx) {
		b.WriteString(m.txv.View())
	} else if m.modes.has(modeEvents) {
		b.WriteString(m.logv.View())
	} else {
		b.WriteString(common.JoinColumns(
			m.pending.View(st, m.focus == panePending, now),
			m.chainP.View(st, m.focus == paneChain, now),
		))
		b.WriteByte('\n')
		b.WriteString(m.mining.View(st, m.focus == paneMining, len(m.pending.txs)))
	}
	b.WriteByte('\n')
	if m.modes.top() == modeJump {
		b.WriteString(m.jump.View(st, m.lay.width))
	} else if m.modes.top() == modeFilter {
		count := -1
		if m.chainP.filtered {
			count = len(m.chainP.matches)
		}
		b.WriteString(m.filter.View(st, count))
	} else {
		b.WriteString(m.status.View(st, m.lay.width, now, m.idleHint()))
	}
	b.WriteByte('\n')
	b.WriteString(m.helpBarView())
	return b.String()
}

// idleHint is what the status line says when nothing has happened: a tip
// in the keys of the view on screen, so that it never names a key (such as
// n or m on the panes) that does nothing there.
func (m Model) idleHint() string {
	switch m.modes.view(modeNetwork, modeInspect, modeTx, modeEvents) {
	case modeNetwork:
		return "? shows every key of the network view"
	case modeInspect:
		return "[ and ] step through the blocks · t tampers with a copy · ? shows every key"
	case modeTx:
		return "d drops it from this node's pool · ? shows every key"
	case modeEvents:
		return "g/G go to the oldest/newest entry · ? shows every key"
	}
	return "n adds a transaction · m mines it · ? shows every key"
}

// headerView is the top line: the chain's summary, the settings that shape
// mining, the API and peers, and where the store lives.
func (m Model) headerView() string {
	st := m.st
	// Parts in display order with a rank: on a narrow window the lowest
	// ranks go first, so the chain and the API's address stay.
	type part struct {
		text string
		rank int
	}
	parts := []part{
		{"chain " + common.Plural(m.chainP.length, "block"), 5},
		{"floor " + strconv.Itoa(m.chain.Difficulty()), 1},
		{"difficulty " + strconv.Itoa(m.mining.target), 3},
	}
	check, alert := m.checkHeaderPart()
	if check != "" && !alert {
		parts = append(parts[:1], append([]part{{check, 4}}, parts[1:]...)...)
	}
	if m.mining.pace != miner.Unlimited {
		parts = append(parts, part{"pace " + m.mining.pace.String(), 2})
	}
	if m.mining.auto {
		parts = append(parts, part{"auto-mine on", 2})
	}
	parts = append(parts, part{m.opts.API.String(), 4})
	if m.opts.Network != nil {
		parts = append(parts, part{peerSummary(m.peers, unlistedAsked(m.asked, m.peers)), 3})
	}
	name := " " + st.HeaderName.Render("blockscope") + "  "
	if alert {
		// Damage outranks everything else the header says.
		name += st.Bad.Render(check) + "  "
	}
	text := func() string {
		var ss []string
		for _, p := range parts {
			ss = append(ss, p.text)
		}
		return strings.Join(ss, " · ")
	}
	nameW := ansi.StringWidth(name)
	for len(parts) > 1 && nameW+ansi.StringWidth(text()) > m.lay.width {
		low := 0
		for i, p := range parts {
			if p.rank < parts[low].rank {
				low = i
			}
		}
		parts = append(parts[:low], parts[low+1:]...)
	}
	left := name + st.Header.Render(text())
	where, ok := whereText(m.opts.Where, m.lay.width-ansi.StringWidth(left)-3)
	if !ok {
		return common.Fit(left, m.lay.width)
	}
	gap := m.lay.width - ansi.StringWidth(left) - ansi.StringWidth(where) - 1
	return left + strings.Repeat(" ", max(1, gap)) + st.Dim.Render(where) + " "
}

// whereText says where the chain lives in room cells, or reports false
// when so few cells would name neither the place nor the file. A
// description is cut at its end, a path in its middle: both keep their
// start.
func whereText(where string, room int) (string, bool) {
	if where == "" {
		where = "in memory: nothing is saved"
	}
	if room < 16 {
		return "", false
	}
	if strings.ContainsAny(where, `/\`) {
		return common.ClipMiddle(where, room), true
	}
	return common.Clip(where, room), true
}

// tooSmallView replaces the screen when the window is below the minimum.
// Its lines are wrapped to the width, not cut, and where even so they are
// too many for the height a shorter wording is used, so that the size
// needed and how to quit stay readable in the smallest window.
func (m Model) tooSmallView() string {
	need := strconv.Itoa(common.MinWidth) + "×" + strconv.Itoa(common.MinHeight)
	have := strconv.Itoa(m.lay.width) + "×" + strconv.Itoa(m.lay.height)
	quit := "q"
	if m.quitAsks() {
		quit = "ctrl+c"
	}
	// Each line is phrases joined where they fit, so that "press q to
	// quit" is never broken in two.
	wordings := [][][]string{
		{{"blockscope needs a window", "of at least " + need + ";"}, {"this one is " + have + "."}, {"Enlarge it,", "or press " + quit + " to quit."}},
		{{"needs " + need + ",", "is " + have + ";"}, {"press " + quit + " to quit"}},
		{{need + " needed,", "is " + have}, {quit + " quits"}},
	}
	var lines []string
	for _, w := range wordings {
		lines = wrapLines(w, m.lay.width)
		if len(lines) <= m.lay.height {
			break
		}
	}
	var b strings.Builder
	top := max(0, (m.lay.height-len(lines))/2)
	for i := 0; i < m.lay.height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if j := i - top; j >= 0 && j < len(lines) {
			l := common.Clip(lines[j], m.lay.width)
			pad := max(0, (m.lay.width-ansi.StringWidth(l))/2)
			b.WriteString(strings.Repeat(" ", pad) + l)
		}
	}
	return b.String()
}

// wrapLines packs each line's phrases into lines of at most width cells,
// a phrase moving whole to the next line where it does not fit; a phrase
// wider than width is wrapped at its spaces.
func wrapLines(lines [][]string, width int) []string {
	width = max(1, width)
	var out []string
	for _, phrases := range lines {
		cur := ""
		for _, p := range phrases {
			switch {
			case cur == "":
				cur = p
			case ansi.StringWidth(cur)+1+ansi.StringWidth(p) <= width:
				cur += " " + p
			default:
				out = append(out, strings.Split(ansi.Wrap(cur, width, ""), "\n")...)
				cur = p
			}
		}
		out = append(out, strings.Split(ansi.Wrap(cur, width, ""), "\n")...)
	}
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}
