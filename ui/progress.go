package ui

import (
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// progressEvery is how often the screen reads the progress of the work
// that runs beside it (the start-up check of the stored chain, a filter
// search over a long chain) while some is under way.
const progressEvery = 200 * time.Millisecond

// progressTickMsg asks the screen to read that progress again.
type progressTickMsg struct{}

func progressTick() tea.Cmd {
	return tea.Tick(progressEvery, func(time.Time) tea.Msg { return progressTickMsg{} })
}

// progressState is what the screen knows of the start-up check of the
// stored chain.
type progressState struct {
	check blockchain.CheckProgress        // as last read
	read  func() blockchain.CheckProgress // reads it: the chain's CheckProgress
	armed bool                            // a progressTickMsg is on its way
}

func newProgressState(c *blockchain.Chain) progressState {
	p := progressState{read: c.CheckProgress}
	p.check = p.read()
	p.armed = !p.check.Done // Init starts the tick
	return p
}

// initTick is the tick Init starts, when the check is under way.
func (p progressState) initTick() tea.Cmd {
	if !p.armed {
		return nil
	}
	return progressTick()
}

// inProgress reports whether anything the header or the filter line shows
// progress of is under way.
func (m Model) inProgress() bool {
	return !m.progress.check.Done || (m.filter.scanning && m.filter.search != nil)
}

// armProgress starts the progress tick unless it runs already or nothing
// is under way; one tick at a time re-arms itself while it is needed.
func (m Model) armProgress() (Model, tea.Cmd) {
	if m.progress.armed || !m.inProgress() {
		return m, nil
	}
	m.progress.armed = true
	return m, progressTick()
}

// readProgress copies the progress counters into the model: Update reads
// them from memory on a tick, never from the disk, and View only draws the
// copies.
func (m Model) readProgress() Model {
	m.progress.check = m.progress.read()
	if s := m.filter.search; s != nil {
		m.filter.searched = s.searched.Load()
	}
	return m
}

// progressTicked reads the progress and re-arms the tick while anything is
// still under way.
func (m Model) progressTicked() (Model, tea.Cmd) {
	m = m.readProgress()
	m.progress.armed = false
	return m.armProgress()
}

// checkHeaderPart is what the header says of the start-up check: its
// progress while it runs, nothing once the chain passed, and the damage it
// found, with the block's height.
func (m Model) checkHeaderPart() (text string, alert bool) {
	p := m.progress.check
	switch {
	case !p.Done:
		return "checking " + common.GroupDigits(p.Checked) + "/" + common.GroupDigits(p.Total), false
	case p.Err == nil:
		return "", false
	}
	var re blockchain.RuleError
	if errors.As(p.Err, &re) && re.BlockIndex() >= 0 {
		return "✗ store damaged at block " + common.GroupDigits(re.BlockIndex()), true
	}
	return "✗ check stopped: " + common.OneLine(p.Err.Error()), true
}
