package ui

import (
	"context"
	"errors"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
	"blockscope/ui/lab"
)

// wantMining reports whether a search should run: one block asked for
// with m, or auto-mine, and something pending either way.
func (m Model) wantMining() bool {
	return (m.manual || m.mining.auto) && len(m.pending.txs) > 0
}

// toggleMining is the m key: start mining the pool, or stop (which also
// turns auto-mine off, or it would start again at once).
func (m Model) toggleMining() (tea.Model, tea.Cmd) {
	if m.mining.state == mineStarting || m.mining.state == mineRunning {
		m.manual, m.mining.auto = false, false
		m.status = info("mining stopped")
		return m.reconcile(false)
	}
	if m.mining.state == mineStoring {
		return m, nil
	}
	if len(m.pending.txs) == 0 && m.storing == 0 {
		m.status = info("no transactions to mine: n adds one")
		return m, nil
	}
	// A transaction still on its way to the disk counts: mining starts
	// as soon as it is in the pool.
	m.manual = true
	what := common.Plural(int64(len(m.pending.txs)), "transaction")
	if len(m.pending.txs) == 0 {
		what = "the transaction being stored"
	}
	m.status = info("mining " + what + " into block #" + strconv.Itoa(m.chain.Len()) + " at target " + strconv.Itoa(m.mining.target))
	return m.reconcile(false)
}

// setTarget changes the mining target, never below the chain's floor, and
// restarts a running search on it.
func (m Model) setTarget(d int) (tea.Model, tea.Cmd) {
	floor := m.chain.Difficulty()
	switch {
	case d < floor:
		m.status = info("target " + strconv.Itoa(floor) + " is the chain's floor: blocks with fewer zeros are invalid")
		return m, nil
	case d > blockchain.MaxDifficulty:
		m.status = info("target " + strconv.Itoa(blockchain.MaxDifficulty) + " is the most a SHA-256 hash can have")
		return m, nil
	}
	m.mining.target = d
	m.status = info("target " + strconv.Itoa(d) + ": ~" + common.SICount(common.ExpectedAttempts(d)) + " attempts per block on average")
	return m.reconcile(true)
}

// reconcile starts, stops or restarts the search so that it matches what
// is wanted: restart forces a fresh search (new target or pace); otherwise
// a running search restarts only when its template is stale.
func (m Model) reconcile(restart bool) (Model, tea.Cmd) {
	want := m.wantMining()
	switch m.mining.state {
	case mineStoring:
		return m, nil
	case mineIdle:
		if want {
			return m.start()
		}
		return m, nil
	}
	if !want {
		if len(m.pending.txs) == 0 {
			// A block from elsewhere took the pool: the block asked for
			// exists, so a later transaction does not restart mining.
			m.manual = false
			m.status = info("mining stopped: a block from elsewhere holds the pending transactions")
		}
		return m.stop()
	}
	if restart || (m.mining.state == mineRunning && m.stale()) {
		m, stop := m.stop()
		m, start := m.start()
		return m, tea.Batch(stop, start)
	}
	return m, nil
}

// stale reports whether the running search's template no longer matches
// the chain: a new tip (ours, from the API or a peer) or a changed pool.
// It asks the chain itself rather than the panes, which catch up only when
// the change's message arrives: a template built after the change but
// before its message is current, and restarting it would waste a search.
func (m Model) stale() bool {
	return m.tmplVersion != m.chain.Version()
}

// start starts a new search generation.
func (m Model) start() (Model, tea.Cmd) {
	m.gen++
	m.mining.state = mineStarting
	cfg := miner.Config{Difficulty: m.mining.target, Workers: m.opts.Workers, Pace: m.mining.pace}
	return m, startSearch(m.ctx, m.gen, m.chain, m.miner, m.searches, cfg)
}

// stop ends the current search generation; the search itself is stopped
// in a command.
func (m Model) stop() (Model, tea.Cmd) {
	m.gen++
	m.mining.state = mineIdle
	s := m.search
	m.search = nil
	if s == nil {
		return m, nil
	}
	return m, stopSearch(m.searches, s)
}

func (m Model) searchStarted(msg searchStartedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		if msg.search != nil {
			return m, stopSearch(m.searches, msg.search)
		}
		return m, nil
	}
	if msg.err != nil || msg.search == nil {
		m.mining.state = mineIdle
		m.manual = false
		if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
			m.status = failure("mining did not start: " + msg.err.Error())
		}
		return m, nil
	}
	m.search = msg.search
	m.tmplVersion = msg.version
	m.mining = m.mining.Started(msg.template.Index(), len(msg.template.Transactions()))
	wait := waitSearch(m.ctx, m.gen, m.search)
	if m.stale() {
		// The pool or the tip changed while the search was starting.
		m, cmd := m.reconcile(false)
		return m, tea.Batch(wait, cmd)
	}
	return m, wait
}

func (m Model) minerEvent(msg minerEventMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen || m.search == nil {
		return m, nil // a stopped or replaced search
	}
	if msg.closed {
		m.mining.state = mineIdle
		m.search = nil
		m.manual = false
		return m, nil
	}
	switch ev := msg.ev.(type) {
	case miner.Progress:
		m.mining, _ = m.mining.Update(ev)
	case miner.Found:
		s := m.search
		m.search = nil
		m.gen++
		m.mining.state = mineStoring
		m.mining.progress.Attempts = ev.Attempts
		return m, tea.Batch(stopSearch(m.searches, s), storeBlock(m.chain, ev))
	case miner.Failed:
		m.status = failure("mining failed: " + ev.Err.Error())
		m.manual, m.mining.auto = false, false
	case miner.Done:
		s := m.search
		m.search = nil
		m.gen++
		m.mining.state = mineIdle
		m.manual = false
		return m, stopSearch(m.searches, s)
	}
	return m, waitSearch(m.ctx, m.gen, m.search)
}

func (m Model) blockStored(msg blockStoredMsg) (tea.Model, tea.Cmd) {
	m.mining.state = mineIdle
	m.manual = false
	b := msg.found.Block
	if msg.err != nil {
		if blockchain.IsRuleError(msg.err) {
			m.status = failure("block #" + strconv.FormatInt(b.Index(), 10) + " was not stored: the chain moved on while it was mined (" + msg.err.Error() + ")")
		} else {
			m.status = failure("block #" + strconv.FormatInt(b.Index(), 10) + " was not stored: " + msg.err.Error())
		}
		m, cmd := m.refresh()
		m, cmd2 := m.reconcile(false)
		return m, tea.Batch(cmd, cmd2)
	}
	m.lastMined = b.Index()
	m.lesson = m.lesson.Add(lab.MinedRecord{Index: b.Index(), Difficulty: m.mining.target, Attempts: msg.found.Attempts, Duration: msg.found.Elapsed})
	m.minedText = "block #" + strconv.FormatInt(b.Index(), 10) + " mined in " + common.Seconds(msg.found.Elapsed) + " after " + common.GroupDigits(int64(msg.found.Attempts)) + " attempts"
	m.status = info(m.minedText)
	m, cmd := m.refresh()
	m, cmd2 := m.reconcile(false)
	cmds := []tea.Cmd{cmd, cmd2}
	if m.opts.Network != nil {
		cmds = append(cmds, announce(m.ctx, m.opts.Network, b))
	}
	return m, tea.Batch(cmds...)
}
