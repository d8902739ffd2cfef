package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"blockscope/blockchain"
	"blockscope/miner"
)

// paceCycle is the order in which the p key steps through the paces.
var paceCycle = []miner.Pace{miner.Unlimited, 100, 10, 1, miner.Step}

// nextPace returns the pace after p in the cycle (unlimited after any pace
// not in it).
func nextPace(p miner.Pace) miner.Pace {
	for i, q := range paceCycle {
		if q == p {
			return paceCycle[(i+1)%len(paceCycle)]
		}
	}
	return miner.Unlimited
}

// ParsePace reads the --pace flag: unlimited, 100, 10, 1 (attempts per
// second, with or without "/s") or step.
func ParsePace(s string) (miner.Pace, error) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/s") {
	case "", "unlimited":
		return miner.Unlimited, nil
	case "100":
		return 100, nil
	case "10":
		return 10, nil
	case "1":
		return 1, nil
	case "step":
		return miner.Step, nil
	}
	return miner.Unlimited, fmt.Errorf("pace %q: want unlimited, 100, 10, 1 or step", s)
}

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

// searchSet tracks the searches the screen has running so that Close can
// stop every one and wait for it, even after the program (and with it the
// commands that would have stopped them) has ended. It is safe for
// concurrent use.
type searchSet struct {
	mu     sync.Mutex
	live   map[Search]struct{}
	closed bool
}

func newSearchSet() *searchSet { return &searchSet{live: map[Search]struct{}{}} }

// add records s; once closeAll has run it stops s at once and reports false.
func (ss *searchSet) add(s Search) bool {
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

// stop stops s, waits until it has, and forgets it.
func (ss *searchSet) stop(s Search) {
	s.Stop()
	ss.mu.Lock()
	delete(ss.live, s)
	ss.mu.Unlock()
}

// closeAll stops every live search and waits until each has stopped.
// Searches added afterwards are stopped as they arrive.
func (ss *searchSet) closeAll() {
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
