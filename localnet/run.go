package localnet

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Report is the outcome of a headless run, as `blockscope net --json`
// prints it.
type Report struct {
	Nodes       []NodeReport  `json:"nodes"`
	MainHeight  int64         `json:"main_height"`
	BlocksFound int           `json:"blocks_found"`
	StaleBlocks int           `json:"stale_blocks"`
	StaleRate   float64       `json:"stale_rate"`
	Reorgs      []ReorgReport `json:"reorgs"`
	Converged   bool          `json:"converged"`
	Seconds     float64       `json:"seconds"`
	Difficulty  int           `json:"difficulty"`
	// Rate is the hash power per node in attempts a second; Interval the
	// mean block interval it makes, in seconds.
	Rate      float64 `json:"rate"`
	Interval  float64 `json:"block_interval"`
	LatencyMS float64 `json:"latency_ms"`
}

// NodeReport is one node in a Report.
type NodeReport struct {
	Name         string  `json:"name"`
	URL          string  `json:"url"`
	Outside      bool    `json:"outside,omitempty"`
	HashShare    float64 `json:"hash_share"`
	BlocksMined  int     `json:"blocks_mined"`
	BlocksOnMain int     `json:"blocks_on_main"`
	StaleBlocks  int     `json:"stale_blocks"`
	Height       int64   `json:"height"`
	Tip          string  `json:"tip"`
}

// ReorgReport is one reorg in a Report.
type ReorgReport struct {
	Node       string `json:"node"`
	Depth      int    `json:"depth"`
	ForkHeight int64  `json:"fork_height"`
	Returned   int    `json:"returned"`
}

// Interval returns the mean block interval of the network's hash power.
func (nw *Network) Interval() time.Duration {
	total := nw.opts.Rate * float64(len(nw.locals))
	return time.Duration(ExpectedAttempts(nw.opts.Difficulty) / total * float64(time.Second))
}

// RunUntil lets the network mine until its main chain has blocks blocks
// past the genesis and every local node holds it, then stops the miners
// and reports. When the nodes are still split between two tips of the
// same length once the miners stop, mining resumes until the next block
// settles it. It fails when ctx ends first.
func (nw *Network) RunUntil(ctx context.Context, blocks int64) (Report, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("localnet: the main chain did not reach %d blocks with every node on it: %w", blocks, err)
		}
		if nw.Snapshot().MainHeight < blocks {
			nw.waitChange(ctx, time.Second)
			continue
		}
		nw.setHold(true)
		nw.settle(ctx)
		if s := nw.Snapshot(); s.Converged() {
			return nw.Report(s), nil
		}
		nw.setHold(false)
		nw.waitChange(ctx, 5*time.Second)
	}
}

// setHold stops (true) or restarts every miner, without touching the
// nodes' own pause.
func (nw *Network) setHold(hold bool) {
	nw.mu.Lock()
	nw.hold = hold
	nw.mu.Unlock()
	for _, m := range nw.locals {
		poke(m)
	}
}

// settle lets the blocks in flight land: every local node runs two
// consensus rounds.
func (nw *Network) settle(ctx context.Context) {
	for range 2 {
		var wg sync.WaitGroup
		for _, m := range nw.locals {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Failing peers are recorded by the node.
				_, _ = m.node.Sync(ctx)
			}()
		}
		wg.Wait()
	}
}

// Report turns a snapshot into a Report.
func (nw *Network) Report(s Snapshot) Report {
	r := Report{
		MainHeight:  s.MainHeight,
		BlocksFound: s.Found,
		StaleBlocks: s.Stale,
		StaleRate:   s.StaleRate(),
		Reorgs:      []ReorgReport{},
		Converged:   s.Converged(),
		Seconds:     s.Elapsed.Seconds(),
		Difficulty:  nw.opts.Difficulty,
		Rate:        nw.opts.Rate,
		Interval:    nw.Interval().Seconds(),
		LatencyMS:   float64(s.Latency) / float64(time.Millisecond),
	}
	for _, n := range s.Nodes {
		r.Nodes = append(r.Nodes, NodeReport{Name: n.Name, URL: n.URL, Outside: n.Outside, HashShare: n.Share,
			BlocksMined: n.Mined, BlocksOnMain: n.OnMain, StaleBlocks: n.Stale, Height: n.Height, Tip: n.Tip})
	}
	for name, rs := range nw.Reorgs() {
		for _, x := range rs {
			r.Reorgs = append(r.Reorgs, ReorgReport{Node: name, Depth: x.Depth, ForkHeight: x.ForkHeight, Returned: len(x.Returned)})
		}
	}
	sort.SliceStable(r.Reorgs, func(i, j int) bool { return r.Reorgs[i].Node < r.Reorgs[j].Node })
	return r
}
