package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/miner"
	"blockscope/ui/common"
)

// browseKey handles a key on the panes, where every key is a shortcut.
func (m Model) browseKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	keys := m.keys
	switch {
	case key.Matches(k, keys.Quit):
		return m, tea.Quit
	case key.Matches(k, keys.Help):
		m.modes = m.modes.push(modeHelp)
	case key.Matches(k, keys.Network):
		m.modes = m.modes.push(modeNetwork)
		if m.opts.Network != nil {
			m.peers = m.opts.Network.Peers()
		}
	case key.Matches(k, keys.NewTx):
		m.form = m.form.Open()
		m.modes = m.modes.push(modeForm)
	case key.Matches(k, keys.Filter):
		m.modes = m.modes.push(modeFilter)
		m.focus = paneChain
		m.filter.input.Focus()
		m.filter.input.Err = nil // a failed paste of an earlier visit is old news
	case key.Matches(k, keys.Back):
		if m.chainP.filtered {
			common.ClearInput(&m.filter.input)
			m.filter = m.filter.stop()
			m.filter.seq++
			m.chainP = m.chainP.ClearFilter()
		}
	case key.Matches(k, keys.Lab):
		if h, ok := m.chainP.SelectedHeight(); ok {
			m = m.openLab(h)
		}
	case key.Matches(k, keys.Inspect):
		return m.inspect(), nil
	case key.Matches(k, keys.Jump):
		m = m.openJump()
	case key.Matches(k, keys.Events):
		m = m.openEvents()
	case key.Matches(k, keys.Copy):
		if h, ok := m.chainP.SelectedHeight(); ok && m.focus == paneChain {
			m = m.openCopy(h)
		} else if tx, ok := m.selectedTx(); ok && m.focus == panePending {
			m = m.openCopyTx(tx)
		}
	case key.Matches(k, keys.Drop):
		if tx, ok := m.selectedTx(); ok && m.focus == panePending {
			m = m.askDrop(tx)
		}
	case key.Matches(k, keys.NextPane, keys.PrevPane, keys.Pane1, keys.Pane2, keys.Pane3):
		m.focus = focusKey(k, keys, m.focus)
	default:
		return m.mineKey(k)
	}
	return m, nil
}

// focusKey returns the pane a focus key moves to from focus.
func focusKey(k tea.KeyMsg, keys keyMap, focus int) int {
	switch {
	case key.Matches(k, keys.NextPane):
		return (focus + 1) % paneCount
	case key.Matches(k, keys.PrevPane):
		return (focus + paneCount - 1) % paneCount
	case key.Matches(k, keys.Pane1):
		return panePending
	case key.Matches(k, keys.Pane2):
		return paneChain
	}
	return paneMining
}

// inspect opens the inspector on the selected block of the chain pane.
func (m Model) inspect() Model {
	if m.focus == panePending {
		return m.openTx()
	}
	if m.focus != paneChain {
		return m
	}
	h, ok := m.chainP.SelectedHeight()
	if !ok {
		return m
	}
	in, ok := openInspector(m.st, m.chain, h, m.opts.Now)
	if !ok {
		return m
	}
	m.insp = in.SetSize(m.lay.middle.w, m.lay.middle.h)
	m.modes = m.modes.push(modeInspect)
	return m
}

// stepInspector shows the block before ([) or after (]) the inspected one,
// at the top, and selects it in the chain pane so that esc returns to it.
func (m Model) stepInspector(k tea.KeyMsg) Model {
	if m.insp.stale != "" {
		// Through the stale blocks kept: [ older, ] newer.
		if key.Matches(k, m.keys.PrevBlock) {
			return m.openStale(m.staleAt + 1)
		}
		return m.openStale(m.staleAt - 1)
	}
	h := m.insp.block.Index() + 1
	if key.Matches(k, m.keys.PrevBlock) {
		h -= 2
	}
	in, ok := openInspector(m.st, m.chain, h, m.opts.Now)
	if !ok {
		return m
	}
	m.insp = in.SetSize(m.lay.middle.w, m.lay.middle.h)
	m.chainP = m.chainP.Select(h)
	return m
}

// mineKey handles the keys of mining, and passes the rest to the focused
// pane.
func (m Model) mineKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	keys, pending := m.keys, len(m.pending.txs)
	switch {
	case key.Matches(k, keys.Mine):
		return m.mined(m.mining.Toggle(pending))
	case key.Matches(k, keys.Auto):
		return m.mined(m.mining.ToggleAuto(pending))
	case key.Matches(k, keys.Harder):
		return m.mined(m.mining.SetTarget(m.mining.target+1, pending))
	case key.Matches(k, keys.Easier):
		return m.mined(m.mining.SetTarget(m.mining.target-1, pending))
	case key.Matches(k, keys.Pace):
		m, cmd := m.mined(m.mining.NextPace(pending))
		// The pace sets the mining pane's height, and with it the others'.
		m.lay = newLayout(m.lay.width, m.lay.height, m.mining.pace)
		return m.relayout(), cmd
	case key.Matches(k, keys.Step):
		return m.mined(m.mining, nil, m.mining.Step())
	}
	return m.moveKey(k)
}

// paceNote explains a pace in a few words for the status line.
func paceNote(p miner.Pace) string {
	switch p {
	case miner.Unlimited:
		return ": as fast as the workers go"
	case miner.Step:
		return ": space tries one nonce"
	}
	return ": one worker, each attempt listed"
}

// moveKey passes a movement key to the focused pane.
func (m Model) moveKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch m.focus {
	case panePending:
		m.pending, _ = m.pending.Update(k, m.keys)
	case paneChain:
		m.chainP, _ = m.chainP.Update(k, m.keys)
	}
	return m, nil
}
