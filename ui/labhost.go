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
		Width:      m.width,
		Height:     m.height,
	})
	m.labOpen = true
	return m
}

// labUpdate gives the open lab its messages: every key (ctrl+c still
// quits), its search events and the window size. It reports false for the
// messages the screen handles itself.
func (m Model) labUpdate(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return m, tea.Quit, true
		}
	case labSearchMsg:
	case LabClosedMsg:
		m.labOpen = false
		m.lab = Lab{}
		m.status = info("left the tamper lab: the chain is as it was")
		return m, nil, true
	case tea.WindowSizeMsg, chainChangedMsg:
		// The screen handles these too; the lab redraws the comparison
		// with the honest chain as it grows.
		m.lab, _ = m.lab.Update(msg)
		return m, nil, false
	case tea.MouseMsg:
		return m, nil, true
	default:
		return m, nil, false
	}
	var cmd tea.Cmd
	m.lab, cmd = m.lab.Update(msg)
	return m, cmd, true
}
