package ui

import (
	"context"
	"errors"
	"runtime"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// mineControl is the mining controller: it owns the search's life (start,
// restart on a stale template, stop, the found block stored) and the
// settings the keys change, and draws the mining pane it embeds. The Model
// routes keys and the search's messages to it and shows what it reports;
// it does none of this work itself.
//
// Every search has a generation number (gen): events and results of a
// search that was stopped or replaced carry an older one and are dropped.
type mineControl struct {
	miningPane // the settings and what the pane shows

	chain    *blockchain.Chain
	miner    common.Miner
	ctx      context.Context
	searches *common.SearchSet // shared with the lab, stopped by Model.Close
	workers  int               // the configured workers; 0 means all cores

	search      common.Search
	gen         uint64
	tmplVersion uint64 // the chain's Version when the running template was built
	manual      bool   // m asked for one block
	storing     int    // transactions submitted from the form, not yet stored
	dropping    int    // pending transactions being dropped: no search meanwhile
}

// newMineControl returns the controller for the screen's options.
func newMineControl(opts Options, searches *common.SearchSet) mineControl {
	workers := opts.Workers // for the title: 0 means all cores
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return mineControl{
		miningPane: miningPane{
			target:  max(opts.Difficulty, opts.Chain.Difficulty()),
			pace:    opts.Pace,
			auto:    opts.Auto,
			workers: workers,
			rateSec: -1,
		},
		chain:    opts.Chain,
		miner:    opts.Miner,
		ctx:      opts.Context,
		searches: searches,
		workers:  opts.Workers,
	}
}

// mineNews is what the controller tells the screen after a message.
type mineNews struct {
	status statusLine   // a new status line; none when its text is ""
	stored *miner.Found // a block mined here is now in the chain
	reread bool         // the chain changed under the search: read it again
}

// say returns news of a status line.
func say(s statusLine) mineNews { return mineNews{status: s} }

// want reports whether a search should run: one block asked for with m,
// or auto-mine, and something pending either way, and no pending
// transaction being dropped (a template would still hold it).
func (c mineControl) want(pending int) bool {
	return (c.manual || c.auto) && pending > 0 && c.dropping == 0
}

// Toggle is the m key: start mining the pool, or stop (which also turns
// auto-mine off, or it would start again at once).
func (c mineControl) Toggle(pending int) (mineControl, tea.Cmd, mineNews) {
	switch c.state {
	case mineStarting, mineRunning:
		c.manual, c.auto = false, false
		return c.reconcileAfter(info("mining stopped"), pending, false)
	case mineStoring:
		return c, nil, mineNews{}
	}
	if pending == 0 && c.storing == 0 {
		return c, nil, say(info("no transactions to mine: n adds one").whileNothingPending())
	}
	// A transaction still on its way to the disk counts: mining starts
	// as soon as it is in the pool.
	c.manual = true
	what := common.Plural(int64(pending), "transaction")
	if pending == 0 {
		what = "the transaction being stored"
	}
	note := info("mining " + what + " into block #" + strconv.Itoa(c.chain.Len()) + " at difficulty " + strconv.Itoa(c.target))
	return c.reconcileAfter(note, pending, false)
}

// ToggleAuto is the a key.
func (c mineControl) ToggleAuto(pending int) (mineControl, tea.Cmd, mineNews) {
	c.auto = !c.auto
	note := info("auto-mine off")
	if c.auto {
		note = info("auto-mine on: every pending transaction is mined as it arrives")
	}
	return c.reconcileAfter(note, pending, false)
}

// SetTarget changes the mining target, never below the chain's floor, and
// restarts a running search on it.
func (c mineControl) SetTarget(d, pending int) (mineControl, tea.Cmd, mineNews) {
	floor := c.chain.Difficulty()
	switch {
	case d < floor:
		return c, nil, say(info("difficulty " + strconv.Itoa(floor) + " is the chain's floor: blocks with fewer zeros are invalid"))
	case d > blockchain.MaxDifficulty:
		return c, nil, say(info("difficulty " + strconv.Itoa(blockchain.MaxDifficulty) + " is the most a SHA-256 hash can have"))
	}
	c.target = d
	note := info("difficulty " + strconv.Itoa(d) + ": ~" + common.SICount(common.ExpectedAttempts(d)) + " attempts per block on average")
	return c.reconcileAfter(note, pending, true)
}

// NextPace is the p key: the next pace, on a fresh search. The pace sets
// the pane's height, so the screen lays out again after it.
func (c mineControl) NextPace(pending int) (mineControl, tea.Cmd, mineNews) {
	c.pace = nextPace(c.pace)
	return c.reconcileAfter(info("pace "+c.pace.String()+paceNote(c.pace)), pending, true)
}

// Step is the space key: one more nonce of a step-paced search.
func (c mineControl) Step() mineNews {
	switch {
	case c.pace != miner.Step:
		return mineNews{}
	case c.search == nil:
		return say(info("step pace: m starts the search, then space tries one nonce at a time"))
	}
	c.search.Step()
	return mineNews{}
}

// Reconcile starts, stops or restarts the search so that it matches what
// is wanted: restart forces a fresh search (new target or pace); otherwise
// a running search restarts only when its template is stale.
func (c mineControl) Reconcile(pending int, restart bool) (mineControl, tea.Cmd, mineNews) {
	want := c.want(pending)
	switch c.state {
	case mineStoring:
		return c, nil, mineNews{}
	case mineIdle:
		if want {
			c, cmd := c.start()
			return c, cmd, mineNews{}
		}
		return c, nil, mineNews{}
	}
	if !want {
		var news mineNews
		if pending == 0 {
			// A block from elsewhere took the pool: the block asked for
			// exists, so a later transaction does not restart mining.
			c.manual = false
			news = say(info("mining stopped: a block from elsewhere holds the pending transactions"))
		}
		c, cmd := c.stop()
		return c, cmd, news
	}
	if restart || (c.state == mineRunning && c.stale()) {
		c, stop := c.stop()
		c, start := c.start()
		return c, tea.Batch(stop, start), mineNews{}
	}
	return c, nil, mineNews{}
}

// reconcileAfter is Reconcile after a key that said note: a stop the
// reconciling reports says more, and wins.
func (c mineControl) reconcileAfter(note statusLine, pending int, restart bool) (mineControl, tea.Cmd, mineNews) {
	c, cmd, news := c.Reconcile(pending, restart)
	if news.status.text == "" {
		news.status = note
	}
	return c, cmd, news
}

// stale reports whether the running search's template no longer matches
// the chain: a new tip (ours, from the API or a peer) or a changed pool.
// It asks the chain itself rather than the panes, which catch up only when
// the change's message arrives: a template built after the change but
// before its message is current, and restarting it would waste a search.
func (c mineControl) stale() bool {
	return c.tmplVersion != c.chain.Version()
}

// start starts a new search generation.
func (c mineControl) start() (mineControl, tea.Cmd) {
	c.gen++
	c.state = mineStarting
	cfg := miner.Config{Difficulty: c.target, Workers: c.workers, Pace: c.pace}
	return c, startSearch(c.ctx, c.gen, c.chain, c.miner, c.searches, cfg)
}

// stop ends the current search generation; the search itself is stopped
// in a command.
func (c mineControl) stop() (mineControl, tea.Cmd) {
	c.gen++
	c.state = mineIdle
	s := c.search
	c.search = nil
	if s == nil {
		return c, nil
	}
	return c, stopSearch(c.searches, s)
}

// Update takes the search's messages: started, an event, a block stored.
func (c mineControl) Update(msg tea.Msg, pending int) (mineControl, tea.Cmd, mineNews) {
	switch msg := msg.(type) {
	case searchStartedMsg:
		return c.started(msg, pending)
	case minerEventMsg:
		return c.event(msg)
	case blockStoredMsg:
		return c.stored(msg)
	}
	return c, nil, mineNews{}
}

func (c mineControl) started(msg searchStartedMsg, pending int) (mineControl, tea.Cmd, mineNews) {
	if msg.gen != c.gen {
		if msg.search != nil {
			return c, stopSearch(c.searches, msg.search), mineNews{}
		}
		return c, nil, mineNews{}
	}
	if msg.err != nil || msg.search == nil {
		c.state = mineIdle
		c.manual = false
		if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
			return c, nil, say(failure("mining did not start: " + msg.err.Error()))
		}
		return c, nil, mineNews{}
	}
	c.search = msg.search
	c.tmplVersion = msg.version
	c.miningPane = c.miningPane.Started(msg.template.Index(), len(msg.template.Transactions()))
	wait := waitSearch(c.ctx, c.gen, c.search)
	if c.stale() {
		// The pool or the tip changed while the search was starting.
		c, cmd, news := c.Reconcile(pending, false)
		return c, tea.Batch(wait, cmd), news
	}
	return c, wait, mineNews{}
}

func (c mineControl) event(msg minerEventMsg) (mineControl, tea.Cmd, mineNews) {
	if msg.gen != c.gen || c.search == nil {
		return c, nil, mineNews{} // a stopped or replaced search
	}
	if msg.closed {
		c.state = mineIdle
		c.search = nil
		c.manual = false
		return c, nil, mineNews{}
	}
	var news mineNews
	switch ev := msg.ev.(type) {
	case miner.Progress:
		c.miningPane, _ = c.miningPane.Update(ev)
	case miner.Found:
		s := c.search
		c.search = nil
		c.gen++
		c.state = mineStoring
		c.progress.Attempts = ev.Attempts
		return c, tea.Batch(stopSearch(c.searches, s), storeBlock(c.chain, ev)), mineNews{}
	case miner.Failed:
		news = say(failure("mining failed: " + ev.Err.Error()))
		c.manual, c.auto = false, false
	case miner.Done:
		s := c.search
		c.search = nil
		c.gen++
		c.state = mineIdle
		c.manual = false
		return c, stopSearch(c.searches, s), mineNews{}
	}
	return c, waitSearch(c.ctx, c.gen, c.search), news
}

func (c mineControl) stored(msg blockStoredMsg) (mineControl, tea.Cmd, mineNews) {
	c.state = mineIdle
	c.manual = false
	at := "block #" + strconv.FormatInt(msg.found.Block.Index(), 10)
	switch {
	case msg.err == nil:
		found := msg.found
		return c, nil, mineNews{
			status: info(at + " mined in " + common.Seconds(found.Elapsed) + " after " + common.Plural(int64(found.Attempts), "attempt")),
			stored: &found,
			reread: true,
		}
	case blockchain.IsRuleError(msg.err):
		return c, nil, mineNews{status: failure(at + " was not stored: the chain moved on while it was mined (" + msg.err.Error() + ")"), reread: true}
	}
	return c, nil, mineNews{status: failure(at + " was not stored: " + msg.err.Error()), reread: true}
}
