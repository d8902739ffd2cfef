package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/ui/common"
)

// mode is what has the keyboard. The screen keeps a short stack of modes:
// the panes (modeBrowse) are always at the bottom, and each mode above was
// opened from the one below it and returns to it when closed. Which mode
// may open which is written once, in the key handlers of this file, so a
// combination no key leads to (help over the form, the form over the
// inspector) cannot be built.
type mode int

const (
	modeBrowse  mode = iota // the three panes: every key is a shortcut
	modeFilter              // the filter line: every key is text
	modeForm                // the new-transaction form: every key is text
	modeInspect             // one block in full, in place of the panes
	modeHelp                // every key, over the panes or the inspector
	modeNetwork             // the peers, over the panes
	modeLab                 // the tamper lab, the whole screen
	modeCopy                // what to copy of a block, over the panes or the inspector
	modeJump                // the block number to go to: every key is text
	modeTx                  // one pending transaction whole, in place of the panes
	modeEvents              // the event log, in place of the panes
	modeDrop                // whether to drop a pending transaction, over the panes or modeTx
)

// maxModes bounds the stack: browse, then at most the network view, the
// inspector on a stale block, and help over it.
const maxModes = 4

// modeStack is the modes open, the active one last. It is an array, not a
// slice, so that copies of the Model never share it.
type modeStack struct {
	modes [maxModes]mode
	n     int // modes above modeBrowse
}

// top is the active mode.
func (s modeStack) top() mode { return s.modes[s.n] }

// has reports whether md is open, active or not.
func (s modeStack) has(md mode) bool {
	for i := 0; i <= s.n; i++ {
		if s.modes[i] == md {
			return true
		}
	}
	return false
}

// view is the topmost open view among views (modeBrowse when none is):
// what the screen shows under help or a question.
func (s modeStack) view(views ...mode) mode {
	for i := s.n; i > 0; i-- {
		for _, v := range views {
			if s.modes[i] == v {
				return v
			}
		}
	}
	return modeBrowse
}

// below is the mode under the active one: what help was opened over.
func (s modeStack) below() mode {
	if s.n == 0 {
		return modeBrowse
	}
	return s.modes[s.n-1]
}

// push opens md over the active mode.
func (s modeStack) push(md mode) modeStack {
	if s.n+1 < maxModes {
		s.n++
		s.modes[s.n] = md
	}
	return s
}

// pop closes the active mode; the panes never close.
func (s modeStack) pop() modeStack {
	if s.n > 0 {
		s.n--
	}
	return s
}

// handleKey routes a key to the active mode. ctrl+c quits from any.
func (m Model) handleKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch k.Type {
	case tea.KeyCtrlC:
		return m, tea.Quit
	case tea.KeyCtrlZ:
		// The shell takes the terminal; fg brings the screen back, redrawn
		// whole (Bubble Tea restores the alternate screen).
		return m, tea.Suspend
	}
	if m.lay.tooSmall() {
		return m.tooSmallKey(k)
	}
	switch m.modes.top() {
	case modeForm:
		return m.formKey(k)
	case modeFilter:
		return m.filterKey(k)
	case modeHelp:
		return m.closeKey(k, m.keys.Help)
	case modeNetwork:
		return m.networkKey(k)
	case modeInspect:
		return m.inspectKey(k)
	case modeLab:
		return m.labKey(k)
	case modeCopy:
		return m.copyKey(k)
	case modeJump:
		return m.jumpKey(k)
	case modeTx:
		return m.txKey(k)
	case modeEvents:
		return m.eventsKey(k)
	case modeDrop:
		return m.dropKey(k)
	}
	return m.browseKey(k)
}

// tooSmallKey handles a key while the window is too small to show
// anything but the too-small message: no key may reach a view that cannot
// be seen (text typed into a hidden form, a hidden question answered). q
// quits, unless the lab holds work it would ask about: then only ctrl+c
// does, and the message says so.
func (m Model) tooSmallKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.keys.Quit) && !m.quitAsks() {
		return m, tea.Quit
	}
	return m, nil
}

// quitAsks reports whether q would ask before quitting: the lab asks when
// its copy of the chain holds changes.
func (m Model) quitAsks() bool {
	return m.modes.has(modeLab) && m.lab.Dirty()
}

// closeKey handles a key in an overlay that only closes: esc or the key
// that opened it closes it, q quits.
func (m Model) closeKey(k tea.KeyMsg, opener key.Binding) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back, opener):
		m.modes = m.modes.pop()
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	}
	return m, nil
}

// inspectKey handles a key in the inspector: it scrolls, and opens help or
// the lab on the block it shows.
func (m Model) inspectKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Back, m.keys.Inspect):
		m.modes = m.modes.pop()
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.modes = m.modes.push(modeHelp)
	case key.Matches(k, m.keys.Lab) && m.insp.stale != "":
		m.status = info("the tamper lab works on a copy of the chain, and this block is not on it")
	case key.Matches(k, m.keys.Lab):
		// Tamper with the inspected block; leaving the lab returns here.
		m = m.openLab(m.insp.block.Index())
	case key.Matches(k, m.keys.Copy):
		m = m.openCopyOn(m.insp.block)
	case key.Matches(k, m.keys.RawBytes):
		return m, showRaw(m.insp.block)
	case key.Matches(k, m.keys.PrevBlock, m.keys.NextBlock):
		m = m.stepInspector(k)
	case key.Matches(k, m.keys.NextMatch, m.keys.PrevMatch):
		m = m.stepMatch(key.Matches(k, m.keys.NextMatch))
	default:
		m.insp, _ = m.insp.Update(k, m.keys)
	}
	return m, nil
}

// helpBar is the key help of the active mode, for the bottom line.
func (m Model) helpBar() help.KeyMap {
	k := m.keys
	switch m.modes.top() {
	case modeForm:
		return m.fkeys.help()
	case modeFilter:
		return m.flkeys.help()
	case modeHelp:
		return common.BindingsHelp{common.WithHelp(k.Back, "esc/?", "close help"), k.Quit}
	case modeNetwork:
		return m.networkHelp()
	case modeCopy:
		return m.copyHelp()
	case modeJump:
		return m.jkeys.help()
	case modeDrop:
		return m.dkeys.help()
	case modeTx:
		return common.BindingsHelp{common.WithHelp(k.Down, "j/k", "scroll"), common.WithHelp(k.Top, "g/G", "top/bottom"), k.Copy, common.WithHelp(k.Drop, "d", "drop"), k.Help, k.Back, k.Quit}
	case modeEvents:
		return common.BindingsHelp{common.WithHelp(k.Down, "j/k", "scroll"), common.WithHelp(k.Top, "g/G", "oldest/newest"), k.Help, common.WithHelp(k.Back, "e/esc", "back"), k.Quit}
	case modeInspect:
		return common.BindingsHelp{common.WithHelp(k.Down, "j/k", "scroll"), common.WithHelp(k.Top, "g/G", "top/bottom"), common.WithHelp(k.Lab, "t", "tamper"), k.Copy, k.Help, k.Back, k.Quit}
	}
	if _, ok := m.selectedTx(); ok && m.focus == panePending {
		// A pending transaction is selected: what can be done to it.
		return common.BindingsHelp{k.NewTx, k.Mine, common.WithHelp(k.Inspect, "enter", "view"), k.Copy, common.WithHelp(k.Drop, "d", "drop"), k.Help, k.Quit}
	}
	if m.lay.width < common.WideWidth {
		// Narrow: the keys the mining pane does not already name, so that
		// ? and q always show.
		return common.BindingsHelp{k.NewTx, k.Mine, k.Harder, k.Inspect, k.Filter, k.Help, k.Quit}
	}
	return k
}

// View draws the screen: the lab alone when it is open; otherwise the
// header, the panes (or the inspector), the status (or filter) line and the
// help bar, with the form, help or network box over them.
func (m Model) View() string {
	if m.lay.width == 0 || m.lay.height == 0 {
		return ""
	}
	if m.lay.tooSmall() {
		return m.tooSmallView()
	}
	if m.modes.has(modeLab) {
		// The lab is the whole screen; help is the one box drawn over it.
		if m.modes.top() == modeHelp {
			lab := m.lab.View()
			// The lab's help line gives way to help's own: esc closes it.
			if i := strings.LastIndexByte(lab, '\n'); i >= 0 {
				lab = lab[:i+1] + m.helpBarView()
			}
			return m.lay.overlay(lab, m.fullHelpView())
		}
		return m.lab.View()
	}
	screen := m.screenView()
	var box string
	switch m.modes.top() {
	case modeForm:
		box = m.form.View(m.st)
	case modeHelp:
		box = m.fullHelpView()
	case modeCopy:
		box = m.copyMenuView()
	case modeDrop:
		box = m.dropView()
	case modeNetwork:
		info := netInfo{api: m.opts.API, ourLen: int64(m.chain.Len()), received: m.received, asked: m.asked, now: m.opts.Now(), pick: peerPick{sel: m.netSel, ask: m.netAsk}, rows: m.lay.middle.h}
		box = networkView(m.st, m.opts.Network, info, m.lay.network, m.peers)
	default:
		return screen
	}
	return m.lay.overlay(screen, box)
}
