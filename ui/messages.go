package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// The messages the screen's commands send back to Update. Every wait on a
// channel is one command, re-armed after each message (the Bubble Tea
// realtime pattern), and gives up when the screen's context ends so that no
// goroutine outlives the program.

// StatusMsg puts a line on the status line. The program's owner sends it
// with Program.Send, for news from outside the screen such as the outcome
// of registering with a peer at start.
type StatusMsg struct {
	Text string
	Err  bool // shown as an error
	// Peer is the --peer URL (as in Options.Peers) when the line reports
	// registering with it; the network view then shows how that went.
	Peer string
	// Why is the registration's failure, without the peer's name, when
	// Err; Retry is how often it is tried again (0: it is not).
	Why   string
	Retry time.Duration
}

// scrollMsg scrolls the pane it is given to by that many rows (mouse wheel).
type scrollMsg int

// chainChangedMsg says the chain or the pending pool changed.
type chainChangedMsg struct{}

// tickMsg refreshes ages and the peer list once a second.
type tickMsg struct{}

// txStoredMsg reports the outcome of adding a transaction typed in the form.
type txStoredMsg struct {
	tx  blockchain.PendingTx
	err error
}

// searchStartedMsg reports a search started (or why none was).
type searchStartedMsg struct {
	gen      uint64
	search   common.Search
	template *blockchain.Block // nil when nothing was pending
	version  uint64            // the chain's Version, read before the template was built
	err      error
}

// minerEventMsg carries one event of the search of generation gen.
type minerEventMsg struct {
	gen    uint64
	ev     miner.Event
	closed bool // the channel was closed: the search has fully stopped
}

// blockStoredMsg reports the outcome of storing a mined block.
type blockStoredMsg struct {
	found miner.Found
	err   error
}

// waitChange returns a command that waits for the next change of the chain.
func waitChange(ctx context.Context, changes <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-changes:
			return chainChangedMsg{}
		case <-ctx.Done():
			return nil
		}
	}
}

// tick returns a command that sends a tickMsg after d.
func tick(d time.Duration) tea.Cmd {
	if d <= 0 {
		return nil
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{} })
}

// storeTx returns a command that adds a transaction to the pool; the pool
// writes it to disk before it answers.
func storeTx(c *blockchain.Chain, tx map[string]any) tea.Cmd {
	return func() tea.Msg {
		p, err := c.AddTransaction(tx)
		return txStoredMsg{tx: p, err: err}
	}
}

// startSearch returns a command that builds the template from the pool and
// starts a search on it, off the Update path.
func startSearch(ctx context.Context, gen uint64, c *blockchain.Chain, mn common.Miner, set *common.SearchSet, cfg miner.Config) tea.Cmd {
	return func() tea.Msg {
		// The version is read first: a change while the template is built
		// then makes it look stale (one restart too many), never current.
		version := c.Version()
		tmpl, err := c.Template()
		if err != nil || tmpl == nil {
			return searchStartedMsg{gen: gen, err: err}
		}
		s, err := mn.Start(ctx, tmpl, cfg)
		if err != nil {
			return searchStartedMsg{gen: gen, err: err}
		}
		if !set.Add(s) {
			return searchStartedMsg{gen: gen, err: context.Canceled}
		}
		return searchStartedMsg{gen: gen, search: s, template: tmpl, version: version}
	}
}

// waitSearch returns a command that waits for the next event of s.
func waitSearch(ctx context.Context, gen uint64, s common.Search) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev, ok := <-s.Events():
			return minerEventMsg{gen: gen, ev: ev, closed: !ok}
		case <-ctx.Done():
			return nil
		}
	}
}

// stopSearch returns a command that stops s and waits until it has, off
// the Update path (a search takes a few milliseconds to wind down).
func stopSearch(set *common.SearchSet, s common.Search) tea.Cmd {
	return func() tea.Msg {
		set.Stop(s)
		return nil
	}
}

// storeBlock returns a command that appends a mined block to the chain.
func storeBlock(c *blockchain.Chain, f miner.Found) tea.Cmd {
	return func() tea.Msg {
		return blockStoredMsg{found: f, err: c.AddBlock(f.Block)}
	}
}
