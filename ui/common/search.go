package common

import (
	"context"
	"sync"

	"blockscope/blockchain"
	"blockscope/miner"
)

// Search is one running nonce search as the screen sees it; *miner.Search
// is one. Events delivers miner.Progress, Found, Failed and Done values and
// is closed once the search has fully stopped.
type Search interface {
	Events() <-chan miner.Event
	// Step lets a step-paced search try one more nonce.
	Step()
	// Stop ends the search and returns once it has fully stopped.
	Stop()
}

// Miner starts searches. Cancelling ctx stops a search as Stop does.
type Miner interface {
	Start(ctx context.Context, template *blockchain.Block, cfg miner.Config) (Search, error)
}

// MinerFunc adapts a function to Miner.
type MinerFunc func(ctx context.Context, template *blockchain.Block, cfg miner.Config) (Search, error)

// Start calls f.
func (f MinerFunc) Start(ctx context.Context, template *blockchain.Block, cfg miner.Config) (Search, error) {
	return f(ctx, template, cfg)
}

// DefaultMiner runs searches with package miner.
var DefaultMiner Miner = MinerFunc(func(ctx context.Context, template *blockchain.Block, cfg miner.Config) (Search, error) {
	s, err := miner.Start(ctx, template, cfg)
	if err != nil {
		// A nil *miner.Search in the interface would not compare equal to nil.
		return nil, err
	}
	return s, nil
})

// SearchSet tracks the searches the screen has running so that Close can
// Stop every one and wait for it, even after the program (and with it the
// commands that would have stopped them) has ended. It is safe for
// concurrent use.
type SearchSet struct {
	mu     sync.Mutex
	live   map[Search]struct{}
	closed bool
}

func NewSearchSet() *SearchSet { return &SearchSet{live: map[Search]struct{}{}} }

// Add records s; once closeAll has run it stops s at once and reports false.
func (ss *SearchSet) Add(s Search) bool {
	ss.mu.Lock()
	if !ss.closed {
		ss.live[s] = struct{}{}
		ss.mu.Unlock()
		return true
	}
	ss.mu.Unlock()
	s.Stop()
	return false
}

// Stop stops s, waits until it has, and forgets it.
func (ss *SearchSet) Stop(s Search) {
	s.Stop()
	ss.mu.Lock()
	delete(ss.live, s)
	ss.mu.Unlock()
}

// Forget drops s without stopping it: its owner has cancelled it already
// and, being in Update, must not wait for it (the lab). Such a search ends
// within milliseconds of its cancelling; CloseAll does not wait for it.
func (ss *SearchSet) Forget(s Search) {
	ss.mu.Lock()
	delete(ss.live, s)
	ss.mu.Unlock()
}

// CloseAll stops every live search and waits until each has stopped.
// Searches added afterwards are stopped as they arrive.
func (ss *SearchSet) CloseAll() {
	ss.mu.Lock()
	ss.closed = true
	live := make([]Search, 0, len(ss.live))
	for s := range ss.live {
		live = append(live, s)
	}
	ss.live = map[Search]struct{}{}
	ss.mu.Unlock()
	for _, s := range live {
		s.Stop()
	}
}
