package lab

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
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
	nonce      int64     // latest candidate nonce; -1 before the first attempt
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

// startRun begins re-mining: the first invalid block and every later one
// in turn or, when the forged chain is valid already, new blocks on its tip
// until it is longer than the honest chain.
func (l Model) startRun() (Model, tea.Cmd) {
	now := l.clock()
	l.run = remineRun{gen: l.run.gen, runStarted: now, outgrow: l.firstInvalid < 0}
	return l.mineNext()
}

// mineNext starts the search for the next block of the run, or ends the
// run when there is nothing left to do.
func (l Model) mineNext() (Model, tea.Cmd) {
	// The cached verdicts name the first invalid block, so the template
	// is built without another pass over the chain.
	var template *blockchain.Block
	var err error
	extending := false
	if l.firstInvalid >= 0 {
		template, err = l.sandbox.TemplateAt(l.firstInvalid)
		if err != nil {
			return l.endRun(fmt.Sprintf("cannot re-mine: %v", err)), nil
		}
	} else {
		if !l.run.outgrow || l.sandbox.Len() > len(l.realBlocks) {
			return l.endRun(l.runSummary()), nil
		}
		// Valid but not longer: the forger must also outgrow the honest
		// chain, which keeps growing meanwhile.
		tip := l.sandbox.Block(int64(l.sandbox.Len() - 1))
		template, err = blockchain.NewBlock(tip.Index()+1, nil, blockchain.Now(l.clock()), tip.Hash(), 0)
		if err != nil {
			return l.endRun(fmt.Sprintf("cannot build the next forged block: %v", err)), nil
		}
		extending = true
	}
	ctx, cancel := context.WithCancel(l.ctx)
	started := l.clock()
	cfg := l.cfg
	cfg.Difficulty = l.difficulty
	search, err := l.miner.Start(ctx, template, cfg)
	if err != nil {
		cancel()
		return l.endRun(fmt.Sprintf("cannot start the miner: %v", err)), nil
	}
	if !l.searches.Add(search) {
		cancel()
		return l.endRun("the screen is closing: re-mining stopped"), nil
	}
	l.run.gen++
	l.run.active = true
	l.run.search = search
	l.run.cancel = cancel
	l.run.index = template.Index()
	l.run.extending = extending
	l.run.started = started
	l.run.attempts = 0
	l.run.nonce = -1
	l.selected = template.Index()
	return l, waitRemine(l.run.gen, search.Events())
}

func (l Model) endRun(message string) Model {
	l.stopSearch()
	l.run.message = message
	return l
}

func (l Model) runSummary() string {
	if l.run.runBlocks == 0 {
		return "nothing to mine: the forged chain is valid and longer than the honest one"
	}
	verb := "re-mined"
	if l.run.outgrow {
		verb = "forged"
	}
	return fmt.Sprintf("%s %s in %s, %s", verb, common.Plural(int64(l.run.runBlocks), "block"),
		common.Plural(int64(l.run.runWork), "attempt"), common.Seconds(l.run.runTime))
}

// stopSearch cancels the current search, if any. The search ends within
// milliseconds and closes its channel; it never blocks on sending, so
// nothing needs to receive its last events.
func (l *Model) stopSearch() {
	if l.run.cancel != nil {
		l.run.cancel()
	}
	if l.run.search != nil {
		l.searches.Forget(l.run.search)
	}
	l.run.search, l.run.cancel = nil, nil
	l.run.active = false
	l.run.gen++
}

func (l Model) searchEvent(msg searchMsg) (Model, tea.Cmd) {
	if msg.gen != l.run.gen || !l.run.active {
		return l, nil // an event of a search that was stopped
	}
	if msg.closed {
		return l.endRun(fmt.Sprintf("the miner ended without a block #%d", l.run.index)), nil
	}
	switch ev := msg.ev.(type) {
	case miner.Found:
		return l.found(ev)
	case miner.Failed:
		return l.endRun(fmt.Sprintf("re-mining block #%d failed: %v", l.run.index, ev.Err)), nil
	case miner.Done:
		return l.endRun(fmt.Sprintf("the miner stopped before finding block #%d", l.run.index)), nil
	case miner.Progress:
		l.run.attempts = ev.Attempts
		if ev.Nonce >= 0 { // a Progress sent before the first attempt has none
			l.run.nonce = ev.Nonce
		}
	}
	return l, waitRemine(l.run.gen, l.run.search.Events())
}

func (l Model) found(ev miner.Found) (Model, tea.Cmd) {
	took := ev.Elapsed
	if took <= 0 {
		took = l.clock().Sub(l.run.started)
	}
	var err error
	if l.run.extending {
		err = l.sandbox.ExtendWith(ev.Block, ev.Attempts)
	} else {
		err = l.sandbox.Remined(ev.Block, ev.Attempts)
	}
	if err != nil {
		return l.endRun(fmt.Sprintf("the miner's block #%d does not fit: %v", l.run.index, err)), nil
	}
	l.recheck(ev.Block.Index())
	l.remined[ev.Block.Index()] = true
	l.lesson = l.lesson.Add(MinedRecord{Index: ev.Block.Index(), Difficulty: l.difficulty, Attempts: ev.Attempts, Duration: took, Forged: true})
	l.run.runBlocks++
	l.run.runWork += ev.Attempts
	l.run.runTime += took
	l.run.attempts = ev.Attempts
	l.stopSearch() // the found block ends this search; the next one starts below
	l.run.active = true
	return l.mineNext()
}

// searchingLines describe, in the Block panel, the new block a run is
// searching for: it is not in the forged chain until a nonce is found.
func (l Model) searchingLines() []string {
	s, r := l.styles, l.run
	return []string{
		s.Warn.Render("● ") + fmt.Sprintf("looking for a nonce whose hash starts with %s", common.Plural(int64(l.difficulty), "zero")),
		s.Label.Render("nonce      ") + runNonce(r.nonce) + s.Label.Render("   attempts  ") + common.GroupDigits(int64(r.attempts)) +
			s.Dim.Render(" of ~"+common.SICount(common.ExpectedAttempts(l.difficulty))+" expected"),
		s.Dim.Render(fmt.Sprintf("a new block on the forged tip #%d: in the chain once a nonce is found", r.index-1)),
		s.Dim.Render("s stops the search"),
	}
}

// runLine is the Mining panel's line about the block under search, in the
// longest wording that fits w cells: a narrow screen loses the honest
// chain's length, the difficulty's zeros, then the nonce (the Block panel
// shows it) before the attempts.
func (l Model) runLine(w int) string {
	s, r := l.styles, l.run
	what := fmt.Sprintf("re-mining block #%d of #%d", r.index, l.sandbox.Len()-1)
	short, shortest := what, what
	if r.extending {
		what = fmt.Sprintf("re-mining new block #%d on the forged tip (honest chain: %s)", r.index, common.Plural(int64(len(l.realBlocks)), "block"))
		short = fmt.Sprintf("new block #%d on the forged tip", r.index)
		shortest = fmt.Sprintf("new block #%d", r.index)
	}
	nonce, attempts := runNonce(r.nonce), common.GroupDigits(int64(r.attempts))
	expected := common.SICount(common.ExpectedAttempts(l.difficulty))
	target := strings.Repeat("0", l.difficulty)
	for _, line := range []string{
		s.Warn.Render("● "+what) + fmt.Sprintf(" · difficulty %s (%d) · nonce %s · attempts %s of ~%s expected", target, l.difficulty, nonce, attempts, expected),
		s.Warn.Render("● "+short) + fmt.Sprintf(" · difficulty %s (%d) · nonce %s · attempts %s of ~%s", target, l.difficulty, nonce, attempts, expected),
		s.Warn.Render("● "+short) + fmt.Sprintf(" · difficulty %d · nonce %s · attempts %s of ~%s", l.difficulty, nonce, attempts, expected),
		s.Warn.Render("● "+shortest) + fmt.Sprintf(" · difficulty %d · nonce %s · attempts %s of ~%s", l.difficulty, nonce, attempts, expected),
		s.Warn.Render("● "+shortest) + fmt.Sprintf(" · difficulty %d · attempts %s of ~%s", l.difficulty, attempts, expected),
	} {
		if common.Width(line) <= w {
			return line
		}
	}
	return s.Warn.Render(fmt.Sprintf("● #%d", r.index)) + fmt.Sprintf(" · attempts %s of ~%s", attempts, expected)
}
