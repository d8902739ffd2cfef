package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The screen hosts the tamper lab (lab*.go) full-screen: t opens it on the
// selected block, --lab opens it at start (on a throwaway demo chain that
// runTUI provides). The lab only reads the chain; while it is open the
// screen's own work (mining, the chain's changes, the node's events) goes
// on underneath, and leaving it (LabClosedMsg) shows the screen again.

// openLab opens the lab on block at of the chain with the screen's mining
// settings.
func (m Model) openLab(at int64) Model {
	st := m.st
	m.lab = NewLab(m.chain, at, LabOptions{
		Miner:      m.miner,
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

// labKey gives a key to the open lab.
func (m Model) labKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.lab, cmd = m.lab.Update(k)
	return m, cmd
}

// labUpdate gives the open lab the messages that are its own (its search's
// events, its closing) and shows it the chain's changes. It reports false
// for the messages the screen handles itself.
func (m Model) labUpdate(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg.(type) {
	case labSearchMsg:
		var cmd tea.Cmd
		m.lab, cmd = m.lab.Update(msg)
		return m, cmd, true
	case LabClosedMsg:
		m.modes = m.modes.pop()
		m.lab = Lab{}
		m.status = info("left the tamper lab: the chain is as it was")
		return m, nil, true
	case chainChangedMsg:
		// The screen handles it too; the lab redraws the comparison with
		// the honest chain as it grows.
		m.lab, _ = m.lab.Update(msg)
	}
	return m, nil, false
}
