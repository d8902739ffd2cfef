package lab

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/miner"
	"blockscope/ui/common"
)

// searchMsg carries one event of the lab's search back into Update.
// gen tells events of a stopped search from the current one's.
type searchMsg struct {
	gen    uint64
	ev     miner.Event
	closed bool
}

// waitRemine is the re-armed command of the Bubble Tea realtime pattern: it
// blocks (in Bubble Tea's command goroutine, never in Update) until the
// search reports, and Update arms it again after every event.
func waitRemine(gen uint64, events <-chan miner.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-events
		if !ok {
			return searchMsg{gen: gen, closed: true}
		}
		return searchMsg{gen: gen, ev: ev}
	}
}

// remineRun is the forger's work in progress: which block is being mined,
// and the tallies the Mining view shows.
type remineRun struct {
	active     bool
	search     common.Search
	cancel     context.CancelFunc
	gen        uint64
	index      int64     // height being mined
	outgrow    bool      // the run forges new blocks until the fork is longer
	extending  bool      // the current block extends the forged tip
	started    time.Time // when the current block's search began
	attempts   uint64    // attempts on the current block
	nonce      int64     // latest candidate nonce
	runStarted time.Time // when the person pressed re-mine
	runBlocks  int       // blocks mined in this run
	runWork    uint64    // attempts of the finished blocks of this run
	runTime    time.Duration
	message    string // the outcome of the last run, or a failure
}

// MinedRecord is one block mined: the measured work against the
// expectation, for the difficulty lesson.
type MinedRecord struct {
	Index      int64
	Difficulty int // the target it was mined at
	Attempts   uint64
	Duration   time.Duration
	// Forged marks a block the lab mined on the sandbox; the others were
	// mined on the real chain.
	Forged bool
}
