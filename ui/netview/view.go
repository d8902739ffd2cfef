package netview

import (
	"fmt"
	"strings"

	"blockscope/localnet"
	"blockscope/ui/common"
)

// nodeRows is the height of the nodes panel's content.
const nodeRows = 7

// View draws the screen: header, nodes, block tree beside the event log,
// the followed transaction, the status and the help.
func (m *Model) View() string {
	if m.race != nil {
		return m.race.view(m.width, m.height, m.help)
	}
	w := max(m.width, 40)
	footer := m.footer(w)
	nodes := m.st.Frame("Nodes", m.nodeLines(w-2), w, nodeRows+2, false)
	rest := m.logHeight(footer)
	treeW := min(w*2/5, 48)
	tree := m.st.Frame("Block tree · ◂ tips · ╳ stale", m.treeLines(treeW-2, rest-2), treeW, rest, false)
	title := "Events"
	if m.back > 0 {
		title += fmt.Sprintf(" · %d newer below (G)", m.back)
	}
	log := m.st.Frame(title, m.eventLines(w-treeW-2, rest-2), w-treeW, rest, false)
	return strings.Join([]string{m.header(w), nodes, common.JoinColumns(tree, log), footer}, "\n")
}

func lineCount(s string) int { return strings.Count(s, "\n") + 1 }

// footer is the lines below the boxes: the followed transaction, the
// status and the help.
func (m *Model) footer(w int) string {
	foot := []string{m.followLine(w), m.st.Status.Render(common.Clip(m.status, w))}
	if m.fullHelp {
		// In bands, so that no column is cut at 80 columns.
		bands := common.HelpBands(m.help, m.keys.FullHelp(), w)
		foot = append(foot, bands[:len(bands)-1]...)
	} else {
		foot = append(foot, m.help.ShortHelpView(m.keys.ShortHelp()))
	}
	return strings.Join(foot, "\n")
}

// logHeight is the height of the block tree and the event log boxes above
// footer.
func (m *Model) logHeight(footer string) int {
	return max(m.height-1-(nodeRows+2)-lineCount(footer), 4)
}

// header is the top line: the network's shape and its main chain.
func (m *Model) header(w int) string {
	s := m.snap
	o := m.net.Options()
	state := "linked"
	if s.Split {
		state = "SPLIT"
	}
	if b := branches(s); b > 1 {
		state += fmt.Sprintf(" · %d branches", b)
	}
	line := fmt.Sprintf(" %s · %d nodes · difficulty %d · links %s · main #%d · stale %d/%d · %s",
		m.st.HeaderName.Render("blockscope net"), len(s.Nodes), o.Difficulty, s.Latency, s.MainHeight,
		s.Stale, s.Found, state)
	return common.Fit(line, w)
}

// branches counts the distinct tips held, the main chain's and those off it.
func branches(s localnet.Snapshot) int {
	off := map[string]bool{}
	for _, n := range s.Nodes {
		if !n.Outside && n.Tip != "" && !s.OnMain(n.Height, n.Tip) {
			off[n.Tip] = true
		}
	}
	return 1 + len(off)
}

// nodeLines draws the nodes side by side, a column each, the selected one
// marked with ▸.
func (m *Model) nodeLines(w int) []string {
	rows := []string{"", "height", "tip", "share", "mined", "on main", "pending"}
	const label = 8
	n := len(m.snap.Nodes)
	if n == 0 {
		return []string{"starting the nodes…"}
	}
	col := max(min((w-label)/n, 20), 8)
	lines := make([]string, nodeRows)
	for r := range lines {
		lines[r] = common.PadRight(rows[r], label)
	}
	for i, nd := range m.snap.Nodes {
		cells := m.nodeCells(i, nd)
		for r := range lines {
			lines[r] += common.Fit(cells[r], col)
		}
	}
	return lines
}

// nodeCells is one node's column.
func (m *Model) nodeCells(i int, nd localnet.NodeStatus) [nodeRows]string {
	mark := "  "
	if i == m.selected {
		mark = "▸ "
	}
	name := mark + nd.Name
	tip := nd.Tip
	if len(tip) > 8 {
		tip = tip[:8]
	}
	if nd.Tip != "" && !m.snap.OnMain(nd.Height, nd.Tip) {
		tip += " ✗"
	}
	if nd.Outside {
		height := "?"
		if nd.Height >= 0 {
			height = fmt.Sprintf("#%d", nd.Height)
		}
		return [nodeRows]string{m.st.Key.Render(name) + " outside", height, tip, "not ours", "", "", ""}
	}
	share := fmt.Sprintf("%.0f%%", 100*nd.Share)
	if nd.Paused {
		share += " paused"
	}
	return [nodeRows]string{
		m.st.Key.Render(name) + fmt.Sprintf(" %d/%d links", nd.PeersUp, nd.Peers),
		fmt.Sprintf("#%d", nd.Height),
		tip,
		share,
		fmt.Sprintf("%d", nd.Mined),
		fmt.Sprintf("%d (%d stale)", nd.OnMain, nd.Stale),
		fmt.Sprintf("%d tx", nd.Pending),
	}
}

// treeLines draws the newest heights of the main chain, each with its
// miner and the nodes whose tip it is, and the stale or competing blocks of
// the same height beside it.
func (m *Model) treeLines(w, h int) []string {
	s := m.snap
	byHeight := map[int64][]localnet.FoundBlock{}
	maxH := s.MainHeight
	for _, b := range s.Blocks {
		byHeight[b.Height] = append(byHeight[b.Height], b)
		maxH = max(maxH, b.Height)
	}
	miner := map[string]string{}
	for _, b := range s.Blocks {
		miner[b.Hash] = m.name(b.Miner)
	}
	var out []string
	for height := maxH; height >= 0 && len(out) < h; height-- {
		main := ""
		if height < int64(len(s.Main)) {
			main = s.Main[height]
		}
		line := "  "
		if main != "" {
			line = fmt.Sprintf("#%-4d %s %s%s", height, short(main), orDash(miner[main], height), m.tipsAt(main))
		} else {
			line = fmt.Sprintf("#%-4d %-11s", height, "")
		}
		line = common.PadRight(line, 22)
		for _, b := range byHeight[height] {
			if b.Hash != main {
				line += fmt.Sprintf(" ╳%s %s%s", short(b.Hash), miner[b.Hash], m.tipsAt(b.Hash))
			}
		}
		out = append(out, common.Clip(line, w))
	}
	return out
}

// tipsAt returns " ◂ A B" for the nodes whose tip is hash.
func (m *Model) tipsAt(hash string) string {
	var names []string
	for _, n := range m.snap.Nodes {
		if n.Tip == hash {
			names = append(names, n.Name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " ◂" + strings.Join(names, "")
}

func orDash(s string, height int64) string {
	switch {
	case s != "":
		return s
	case height == 0:
		return "genesis"
	}
	return "·"
}

func short(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}

// eventLines draws the newest events that fit, oldest first. A node
// accepting a block is left out: the announcement that follows counts the
// peers that took it, and the log keeps room for reorgs.
func (m *Model) eventLines(w, h int) []string {
	ev := shownEvents(m.events)
	// Newest first (m.back skipped) until the box is full; a long message
	// takes two lines.
	var out []string
	for k := len(ev) - 1 - m.back; k >= 0 && len(out) < h; k-- {
		e := ev[k]
		text := common.Clip(e.Time.Format("15:04:05")+" "+e.Message, 2*w-2)
		lines := []string{common.Clip(text, w)}
		if common.Width(text) > w {
			cut := cutAt(text, w)
			lines = []string{text[:cut], "  " + text[cut:]}
		}
		if len(out)+len(lines) > h {
			lines = []string{common.Clip(text, w)}
		}
		if e.Kind == localnet.EventReorg || e.Kind == localnet.EventSplit {
			for i := range lines {
				lines[i] = m.st.Warn.Render(lines[i])
			}
		}
		out = append(lines, out...)
	}
	return out
}

// cutAt returns where to break text to fit w cells: the last space
// before, else w bytes of runes.
func cutAt(text string, w int) int {
	cut := 0
	for i := range text {
		if common.Width(text[:i]) > w {
			break
		}
		cut = i
	}
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > w/2 {
		return sp + 1
	}
	return cut
}

// followLine says where the followed transaction stands on every node.
func (m *Model) followLine(w int) string {
	if m.follow == nil {
		return m.st.Dim.Render(common.Clip("f follows a transaction's confirmations on every node; t adds one at the selected node", w))
	}
	parts := make([]string, 0, len(m.confs))
	for i, c := range m.confs {
		var s string
		switch {
		case c < 0:
			s = "not seen"
		case c == 0:
			s = "pending"
		default:
			s = common.Plural(int64(c), "confirmation")
		}
		parts = append(parts, m.name(i)+" "+s)
	}
	return common.Clip(fmt.Sprintf("%q: %s", m.follow.Content, strings.Join(parts, " · ")), w)
}
