package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
)

// RemineEvent is one report of a nonce search as the tamper lab sees it:
// progress, the block found, or the end of the search.
type RemineEvent struct {
	// Attempts is how many nonces the search has tried so far.
	Attempts uint64
	// Nonce is a recent candidate nonce, for display.
	Nonce int64
	// Found is the mined block (claiming its hash), set once.
	Found *blockchain.Block
	// Err ends the search with a failure.
	Err error
	// Done ends the search (after Found, on Stop, or after Err).
	Done bool
}

// RemineSearch is a running nonce search. Events delivers progress at a
// bounded rate, then Found, then a Done event, and is closed once the search
// has stopped. Stop ends the search early and may be called more than once.
type RemineSearch interface {
	Events() <-chan RemineEvent
	Stop()
}

// RemineStarter starts a nonce search for template at difficulty. The lab
// calls it from Update, so it must return at once: the search runs in its
// own goroutines.
type RemineStarter func(ctx context.Context, template *blockchain.Block, difficulty int) (RemineSearch, error)

// labSearchMsg carries one event of the lab's search back into Update.
// gen tells events of a stopped search from the current one's.
type labSearchMsg struct {
	gen    uint64
	ev     RemineEvent
	closed bool
}

// waitRemine is the re-armed command of the Bubble Tea realtime pattern: it
// blocks (in Bubble Tea's command goroutine, never in Update) until the
// search reports, and Update arms it again after every event.
func waitRemine(gen uint64, events <-chan RemineEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-events
		if !ok {
			return labSearchMsg{gen: gen, closed: true}
		}
		return labSearchMsg{gen: gen, ev: ev}
	}
}

// remineRun is the forger's work in progress: which block is being mined,
// and the tallies the Mining view shows.
type remineRun struct {
	active     bool
	search     RemineSearch
	cancel     context.CancelFunc
	gen        uint64
	index      int64     // height being mined
	outgrow    bool      // the run forges new blocks until the fork is longer
	extending  bool      // the current block extends the forged tip
	started    time.Time // when the current block's search began
	attempts   uint64    // attempts on the current block
	nonce      int64     // latest candidate nonce
	runStarted time.Time // when the person pressed re-mine
	runBlocks  int       // blocks re-mined in this run
	runWork    uint64    // attempts of the finished blocks of this run
	runTime    time.Duration
	message    string // the outcome of the last run, or a failure
}

// MinedRecord is one block the lab mined: the measured work against the
// expectation, for the difficulty lesson.
type MinedRecord struct {
	Index      int64
	Difficulty int
	Attempts   uint64
	Duration   time.Duration
}
