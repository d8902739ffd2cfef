// Package localnet runs a network of real blockscope nodes in one process,
// to watch the distributed part of the seed's blockchain: miners finding
// blocks at the same height, the forks that follow, nodes switching to the
// longer branch, stale blocks and transactions going back to pending.
//
// Each node is a full node.Node over its own in-memory chain, serving the
// tutorial's HTTP API on a loopback port; nodes talk to each other only
// over that API (announcing blocks with POST /add_block, fetching chains
// with GET /chain), through a transport per node that adds each link's
// latency and cuts links when the network is split.
//
// Hash power is exact. Each node's miner runs the project's miner at full
// speed on its template and finds the smallest valid nonce n, exactly as
// the seed's proof_of_work does; the block is then revealed at
// start + (n+1)/r, the moment a miner trying exactly r nonces a second in
// order would reach it (r is the node's share of the network's rate). When
// the node's tip or pending pool changes before that moment the block is
// thrown away and the node starts over on a new template: the attempts it
// would have made until then were all below n, so none was valid, and
// starting over is what a real miner does. The shares therefore hold
// exactly, whatever the machine's load, up to the timers' precision. (Two
// miners hashing flat out on a shared CPU do not split it in proportion,
// and miner.Pace's ticker drops ticks when the machine is busy.)
package localnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// Defaults of Options.
const (
	DefaultNodes         = 4
	DefaultDifficulty    = 3
	DefaultBlockInterval = 1500 * time.Millisecond
	DefaultSyncInterval  = 2 * time.Second
	// MaxNodes bounds Options.Nodes: one letter each.
	MaxNodes = 26
)

// Options configure a Network. The zero value is usable.
type Options struct {
	// Nodes is the number of local nodes, named A, B, C, ...
	Nodes int
	// Difficulty is the mining target in leading zero hex digits, at
	// least the seed's 2.
	Difficulty int
	// Rate is the hash power per node in attempts a second, on average:
	// the network's rate is Rate × Nodes, shared among the nodes by their
	// shares (equal at the start). 0 sizes it so that a block comes every
	// DefaultBlockInterval on average.
	Rate float64
	// Latency is the one-way delay added to every link, each way of each
	// request.
	Latency time.Duration
	// Seed picks who gets the generated transactions and what they say.
	Seed int64
	// Peers are outside nodes (the tutorial's Python nodes included) that
	// every local node registers with.
	Peers []string
	// SyncInterval is how often each node polls its peers' chains; 0
	// means DefaultSyncInterval.
	SyncInterval time.Duration
	// Logger receives the nodes' logs; nil discards them.
	Logger *slog.Logger
}

func (o Options) normalize() (Options, error) {
	if o.Nodes == 0 {
		o.Nodes = DefaultNodes
	}
	if o.Nodes < 1 || o.Nodes > MaxNodes {
		return o, fmt.Errorf("localnet: %d nodes: between 1 and %d", o.Nodes, MaxNodes)
	}
	if o.Difficulty == 0 {
		o.Difficulty = DefaultDifficulty
	}
	if o.Difficulty < blockchain.SeedDifficulty || o.Difficulty > 8 {
		return o, fmt.Errorf("localnet: difficulty %d: between %d and 8", o.Difficulty, blockchain.SeedDifficulty)
	}
	if o.Rate == 0 {
		o.Rate = ExpectedAttempts(o.Difficulty) / DefaultBlockInterval.Seconds() / float64(o.Nodes)
	}
	if o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
		return o, fmt.Errorf("localnet: rate %v: must be positive", o.Rate)
	}
	if o.Latency < 0 {
		return o, fmt.Errorf("localnet: latency %s is negative", o.Latency)
	}
	if o.SyncInterval == 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// ExpectedAttempts returns the mean number of attempts a block takes at
// difficulty d: 16^d.
func ExpectedAttempts(d int) float64 { return math.Pow(16, float64(d)) }

// member is one node of the network: a local node, or an outside peer
// (node and chain nil).
type member struct {
	name    string
	url     string
	outside bool
	node    *node.Node
	chain   *blockchain.Chain
	served  chan error
	ctl     chan struct{} // one slot: share or pause changed

	// Guarded by Network.mu.
	share  float64
	paused bool
	seen   outsideState // outside peers: their chain as last read
}

// Network is a running local network. Its methods are safe for concurrent
// use. Start starts it; Close stops every node and goroutine it started.
type Network struct {
	opts   Options
	links  *links
	locals []*member
	all    []*member // locals, then outside peers
	byHost map[string]int

	mu     sync.Mutex
	found  map[string]FoundBlock
	order  []string // hashes of found blocks, in the order found
	events eventLog
	txs    []TxKey
	hold   bool // every miner stopped (RunUntil settling)

	ctx    context.Context
	cancel context.CancelFunc
	bg     sync.WaitGroup
	start  time.Time
}

// Start builds the network: it starts every local node on a loopback port,
// links them all (each registers with each other over HTTP), registers
// them with the outside peers and starts the miners. On failure it stops
// what it started.
func Start(opts Options) (*Network, error) {
	opts, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	nw := &Network{opts: opts, byHost: map[string]int{}, found: map[string]FoundBlock{}, start: time.Now()}
	nw.links = &links{latency: map[[2]int]time.Duration{}, def: opts.Latency, side: nw.side}
	nw.ctx, nw.cancel = context.WithCancel(context.Background())
	for i := range opts.Nodes {
		if err := nw.startNode(i); err != nil {
			nw.Close()
			return nil, err
		}
	}
	nw.all = append([]*member(nil), nw.locals...)
	for i, raw := range opts.Peers {
		u, err := node.NormalizeURL(raw)
		if err != nil {
			nw.Close()
			return nil, fmt.Errorf("localnet: outside peer: %w", err)
		}
		m := &member{name: fmt.Sprintf("P%d", i+1), url: u, outside: true, seen: outsideState{height: -1}}
		nw.all = append(nw.all, m)
		if pu, err := url.Parse(u); err == nil {
			nw.byHost[pu.Host] = len(nw.all) - 1
		}
	}
	if err := nw.connect(); err != nil {
		nw.Close()
		return nil, err
	}
	if len(nw.all) > len(nw.locals) {
		nw.goBg(nw.pollOutside)
	}
	for i, m := range nw.locals {
		nw.forwardEvents(m)
		nw.goBg(func(ctx context.Context) { nw.mineLoop(ctx, i) })
	}
	return nw, nil
}

// startNode starts local node i on a loopback port.
func (nw *Network) startNode(i int) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("localnet: listen: %w", err)
	}
	u, err := node.URLForListenAddr(ln.Addr().String())
	if err != nil {
		ln.Close()
		return fmt.Errorf("localnet: %w", err)
	}
	m := &member{name: string(rune('A' + i)), url: u, served: make(chan error, 1), ctl: make(chan struct{}, 1), share: 1 / float64(nw.opts.Nodes)}
	m.chain = blockchain.NewMemoryChain(blockchain.ChainOptions{})
	m.node, err = node.New(m.chain, nil, node.Options{
		SelfURL:      u,
		Logger:       nw.opts.Logger.With("node", m.name),
		Difficulty:   nw.opts.Difficulty,
		SyncInterval: nw.opts.SyncInterval,
		EventBuffer:  256,
		PeerTransport: func(base http.RoundTripper) http.RoundTripper {
			return &linkTransport{from: i, net: nw, base: base, links: nw.links}
		},
	})
	if err != nil {
		ln.Close()
		return fmt.Errorf("localnet: node %s: %w", m.name, err)
	}
	nw.locals = append(nw.locals, m)
	nw.byHost[ln.Addr().String()] = i
	go func() { m.served <- m.node.Serve(nw.ctx, ln) }()
	return nil
}

// connect registers every local node with every other (registration goes
// both ways, so once per pair) and with each outside peer, all at once:
// with slow links one after the other would take seconds.
func (nw *Network) connect() error {
	ctx, cancel := context.WithTimeout(nw.ctx, 30*time.Second)
	defer cancel()
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	for i, a := range nw.locals {
		for _, b := range nw.all[i+1:] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.node.RegisterWith(ctx, b.url); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("localnet: link %s to %s: %w", a.name, b.name, err))
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	return errors.Join(errs...)
}

// goBg runs f in a goroutine that Close waits for.
func (nw *Network) goBg(f func(ctx context.Context)) {
	nw.bg.Add(1)
	go func() {
		defer nw.bg.Done()
		f(nw.ctx)
	}()
}

// Close stops the miners, the nodes and their servers, and waits for them.
func (nw *Network) Close() error {
	nw.cancel()
	nw.bg.Wait()
	var errs []error
	for _, m := range nw.locals {
		if err := <-m.served; err != nil {
			errs = append(errs, err)
		}
		m.node.Close()
	}
	return errors.Join(errs...)
}

// indexOfHost returns the index of the member at host (host:port), -1 when
// there is none.
func (nw *Network) indexOfHost(host string) int {
	if i, ok := nw.byHost[host]; ok {
		return i
	}
	return -1
}

// name returns member i's name, "outside" for -1.
func (nw *Network) name(i int) string {
	if i < 0 || i >= len(nw.all) {
		return "outside"
	}
	return nw.all[i].name
}

// side returns the half a member is in when the network is split: the
// first half of the local nodes and every outside peer in 0, the rest in 1.
func (nw *Network) side(i int) int {
	if i >= 0 && i < len(nw.locals) && i >= (len(nw.locals)+1)/2 {
		return 1
	}
	return 0
}

// Names returns the members' names, local nodes first.
func (nw *Network) Names() []string {
	out := make([]string, len(nw.all))
	for i, m := range nw.all {
		out[i] = m.name
	}
	return out
}

// Node returns local node i (for tests and the screen), nil when there is
// none.
func (nw *Network) Node(i int) *node.Node {
	if i < 0 || i >= len(nw.locals) {
		return nil
	}
	return nw.locals[i].node
}

// Options returns the options in use, defaults filled in.
func (nw *Network) Options() Options { return nw.opts }
