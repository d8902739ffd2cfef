package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"blockscope/ui/lab"
)

// The screen hosts the tamper lab (lab*.go) full-screen: t opens it on the
// selected block, --lab opens it at start (on a throwaway demo chain that
// runTUI provides). The lab only reads the chain; while it is open the
// screen's own work (mining, the chain's changes, the node's events) goes
// on underneath, and leaving it (lab.ClosedMsg) shows the screen again.

// openLab opens the lab on block at of the chain with the screen's mining
// settings.
func (m Model) openLab(at int64) Model {
	st := m.st
	m.lab = lab.New(m.chain, at, lab.Options{
		Miner:      m.mining.miner,
		Context:    m.ctx,
		Searches:   m.searches,
		Difficulty: m.mining.target,
		Workers:    m.opts.Workers,
		Pace:       m.mining.pace,
		Clock:      m.opts.Now,
		Styles:     &st,
		Lesson:     m.lesson,
		Width:      m.lay.width,
		Height:     m.lay.height,
	})
	m.modes = m.modes.push(modeLab)
	return m
}

// labKey gives a key to the open lab; ? opens help on the lab's keys
// unless the lab reads keys as text.
func (m Model) labKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.keys.Help) && m.lab.Browsing() {
		m.modes = m.modes.push(modeHelp)
		return m, nil
	}
	var cmd tea.Cmd
	m.lab, cmd = m.lab.Update(k)
	return m, cmd
}

// labUpdate closes the lab when it says so and shows it the chain's
// changes. It reports false for the messages the screen handles itself;
// the lab's own (its search's events) reach it as the active mode's.
func (m Model) labUpdate(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg.(type) {
	case lab.ClosedMsg:
		m.modes = m.modes.pop()
		m.lab = lab.Model{}
		m.status = info("left the tamper lab: the chain is as it was")
		return m, nil, true
	case chainChangedMsg:
		// The screen handles it too; the lab redraws the comparison with
		// the honest chain as it grows.
		m.lab, _ = m.lab.Update(msg)
	}
	return m, nil, false
}
