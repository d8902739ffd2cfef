// Package node is blockscope's peer: the HTTP API of the tutorial's nodes
// (POST /new_transaction, GET /pending_tx, GET /mine, GET /chain,
// POST /register_node, POST /register_with, POST /add_block), the peer list,
// the announcement of mined blocks and the longest-chain consensus, all
// interoperable with the tutorial's Python nodes.
//
// A Node wraps a shared *blockchain.Chain: blocks it receives or adopts go
// into that chain, whose subscribers (the terminal UI) see them. It never
// prints; it logs to the slog.Logger it is given and reports notable events
// on a channel.
package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"blockscope/blockchain"
)

// Miner finds a nonce that makes template's hash meet difficulty and returns
// the sealed block, or ctx's error when ctx ends first. blockchain.Mine is
// one; the parallel miner is another.
type Miner func(ctx context.Context, template *blockchain.Block, difficulty int) (*blockchain.Block, error)

// Defaults of Options.
const (
	DefaultPeerTimeout      = 5 * time.Second
	DefaultMaxRequestBytes  = 1 << 20
	DefaultMaxBlockBytes    = blockchain.MaxBlockBytes
	DefaultMaxPeers         = 64
	DefaultSyncInterval     = 30 * time.Second
	DefaultEventBuffer      = 64
	DefaultMineTimeout      = 10 * time.Minute
	DefaultForgetPeersAfter = 24 * time.Hour
)

// minSyncGap is the least time between the end of one consensus round and
// the start of the next.
const minSyncGap = 250 * time.Millisecond

// metaPeers is the store's meta key of the peer list (a JSON list of URLs).
const metaPeers = "peers"

// Options configure a Node. The zero value is usable: every zero field
// takes its default.
type Options struct {
	// SelfURL is the base URL peers reach this node at, sent as
	// node_address when registering. Empty: Serve derives it from the
	// listener (see URLForListenAddr).
	SelfURL string
	// Logger receives one record per notable event; nil discards them.
	Logger *slog.Logger
	// Miner mines GET /mine's blocks; nil means blockchain.Mine.
	Miner Miner
	// Difficulty is GET /mine's target; 0 means the chain's floor.
	Difficulty int
	// PeerTimeout bounds each exchange with a peer, connection to last
	// byte; 0 means DefaultPeerTimeout.
	PeerTimeout time.Duration
	// MaxRequestBytes bounds request bodies (413 beyond); 0 means
	// DefaultMaxRequestBytes (1 MiB).
	MaxRequestBytes int64
	// MaxBlockBytes bounds one block of a chain a peer sends; the whole
	// chain has no bound. 0 means DefaultMaxBlockBytes (16 MiB).
	MaxBlockBytes int64
	// MaxPeers bounds the peer list; 0 means DefaultMaxPeers.
	MaxPeers int
	// SyncInterval is how often the peers' chains are polled, which also
	// retries peers that were down; 0 means DefaultSyncInterval, a
	// negative value turns polling off (consensus still runs when a block
	// shows we are behind).
	SyncInterval time.Duration
	// EventBuffer is the capacity of the Events channel; 0 means
	// DefaultEventBuffer.
	EventBuffer int
	// MineTimeout bounds one GET /mine; 0 means DefaultMineTimeout.
	MineTimeout time.Duration
	// MaxConns bounds the connections Serve keeps open; at the bound the
	// one idle the longest is closed for a new one. 0 means
	// DefaultMaxConns.
	MaxConns int
	// ForgetPeersAfter is how long a peer may fail every exchange before
	// it is dropped from the list; 0 means DefaultForgetPeersAfter.
	ForgetPeersAfter time.Duration
	// PeerTransport, when set, wraps the transport of every request this
	// node sends to peers (base is the node's own): a local network adds
	// latency and partitions to each link through it. nil: base as is.
	PeerTransport func(base http.RoundTripper) http.RoundTripper
	// Hosts are further names the node answers to in the Host header,
	// beside loopback names, the addresses it listens on and SelfURL's
	// host: the names of a proxy in front of it, say.
	Hosts []string
}

// Node serves the tutorial's HTTP API over a chain and keeps it in step with
// its peers. Its methods are safe for concurrent use. New starts a
// background goroutine (the consensus loop); Close stops it.
type Node struct {
	chain      *blockchain.Chain
	store      *blockchain.Store
	opts       Options
	log        *slog.Logger
	miner      Miner
	difficulty int
	client     *http.Client
	handler    http.Handler

	selfMu    sync.RWMutex
	self      string
	selfKnown chan struct{}  // closed once self is set
	listeners []*net.TCPAddr // what Serve listens on (Host check, own-address check)
	localIPs  []net.IP       // this machine's addresses, when a listener is on all of them
	id        string         // our NodeIDHeader: how we recognise ourselves
	contacts  *contactBudget // bounds POST /register_with to new addresses
	announcer *announcer     // one announcement in flight per peer
	rounds    *roundGate     // which blocks may start a consensus round
	connCaps  []*connCap     // Serve's connection caps, guarded by selfMu
	roundsRun atomic.Int64   // consensus rounds run (for tests and figures)

	peers  *peerBook
	reorgs reorgLog
	saveMu sync.Mutex // orders writes of the peer list to the store

	eventMu      sync.Mutex
	events       chan Event
	eventsClosed bool

	mineMu  sync.Mutex    // one GET /mine at a time
	syncMu  sync.Mutex    // one consensus round at a time
	syncReq chan struct{} // one slot: requests coalesce

	ctx       context.Context // ends at Close; parent of background work
	cancel    context.CancelFunc
	bgMu      sync.Mutex
	closed    bool
	bg        sync.WaitGroup
	closeOnce sync.Once
}

// withDefaults returns o with every zero field set to its default.
func (opts Options) withDefaults() Options {
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = DefaultPeerTimeout
	}
	if opts.MaxRequestBytes <= 0 {
		opts.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if opts.MaxBlockBytes <= 0 {
		opts.MaxBlockBytes = DefaultMaxBlockBytes
	}
	if opts.MaxPeers <= 0 {
		opts.MaxPeers = DefaultMaxPeers
	}
	if opts.SyncInterval == 0 {
		opts.SyncInterval = DefaultSyncInterval
	}
	if opts.EventBuffer <= 0 {
		opts.EventBuffer = DefaultEventBuffer
	}
	if opts.MineTimeout <= 0 {
		opts.MineTimeout = DefaultMineTimeout
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns
	}
	if opts.ForgetPeersAfter <= 0 {
		opts.ForgetPeersAfter = DefaultForgetPeersAfter
	}
	return opts
}

// New returns a node over chain. store may be nil (memory mode: the peer
// list lives only in memory); otherwise the peer list is loaded from it and
// saved to it on every change. Close must be called to stop the node's
// background goroutines.
func New(chain *blockchain.Chain, store *blockchain.Store, opts Options) (*Node, error) {
	if chain == nil {
		return nil, errors.New("new node: chain is nil")
	}
	opts = opts.withDefaults()
	n := &Node{
		chain:      chain,
		store:      store,
		opts:       opts,
		log:        opts.Logger,
		miner:      opts.Miner,
		difficulty: opts.Difficulty,
		peers:      newPeerBook(opts.MaxPeers),
		events:     make(chan Event, opts.EventBuffer),
		syncReq:    make(chan struct{}, 1),
		selfKnown:  make(chan struct{}),
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.miner == nil {
		n.miner = blockchain.Mine
	}
	if n.difficulty == 0 {
		n.difficulty = chain.Difficulty()
	}
	if n.difficulty < chain.Difficulty() || n.difficulty > blockchain.MaxDifficulty {
		return nil, fmt.Errorf("new node: difficulty %d is outside %d (the chain's floor) to %d", n.difficulty, chain.Difficulty(), blockchain.MaxDifficulty)
	}
	if opts.SelfURL != "" {
		u, err := NormalizeURL(opts.SelfURL)
		if err != nil {
			return nil, fmt.Errorf("new node: own URL: %w", err)
		}
		n.self = u
		close(n.selfKnown)
	}
	n.id = newNodeID()
	n.contacts = newContactBudget(contactBurst, contactEvery)
	n.announcer = newAnnouncer()
	n.rounds = newRoundGate()
	n.client = newPeerClient(opts.PeerTimeout, n.dialControl)
	if opts.PeerTransport != nil {
		n.client.Transport = opts.PeerTransport(n.client.Transport)
	}
	if err := n.loadPeers(); err != nil {
		return nil, err
	}
	n.handler = n.guard(n.routes())
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.spawn(n.syncLoop)
	return n, nil
}

// Close stops the node's background work (consensus, announcements) and
// waits for it, then closes the Events channel. It does not close the chain
// or the store, which belong to the caller, nor a server running Handler.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		n.bgMu.Lock()
		n.closed = true
		n.bgMu.Unlock()
		n.cancel()
		n.bg.Wait()
		n.client.CloseIdleConnections()
		n.eventMu.Lock()
		n.eventsClosed = true
		close(n.events)
		n.eventMu.Unlock()
	})
	return nil
}

// spawn runs f in a background goroutine that Close waits for, unless the
// node is closed already.
func (n *Node) spawn(f func(ctx context.Context)) bool {
	n.bgMu.Lock()
	defer n.bgMu.Unlock()
	if n.closed {
		return false
	}
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		f(n.ctx)
	}()
	return true
}

// Chain returns the chain the node serves.
func (n *Node) Chain() *blockchain.Chain { return n.chain }

// SelfURL returns the base URL this node tells peers to reach it at, ""
// until it is set in Options or derived by Serve.
func (n *Node) SelfURL() string {
	n.selfMu.RLock()
	defer n.selfMu.RUnlock()
	return n.self
}

// setSelfIfUnset sets our URL unless Options gave one.
func (n *Node) setSelfIfUnset(u string) {
	n.selfMu.Lock()
	defer n.selfMu.Unlock()
	if n.self == "" {
		n.self = u
		close(n.selfKnown)
	}
}

// Peers returns what the node knows of each peer, sorted by URL.
func (n *Node) Peers() []PeerStatus {
	tip := n.chain.Tip()
	return n.peers.status(int(tip.Index())+1, tip.Hash())
}

// PeerURLs returns the peers' normalised base URLs, sorted.
func (n *Node) PeerURLs() []string { return n.peers.urls() }

// RemovePeer drops a peer from the list (and the store). It reports whether
// the peer was there. The peer is not told: it may still send us blocks.
func (n *Node) RemovePeer(raw string) (bool, error) {
	u, err := NormalizeURL(raw)
	if err != nil {
		return false, err
	}
	if !n.peers.remove(u) {
		return false, nil
	}
	n.emit(Event{Kind: EventPeerRemoved, Peer: u, Message: "peer " + u + " removed"})
	return true, n.savePeers()
}

// addPeer adds a normalised URL that is not ours, saves the list and
// reports whether it was new.
func (n *Node) addPeer(u, how string) (bool, error) {
	if u == n.SelfURL() {
		return false, fmt.Errorf("%s is this node's own URL", u)
	}
	added, evicted, err := n.peers.add(u, time.Now())
	if err != nil || !added {
		return false, err
	}
	if evicted != "" {
		n.emit(Event{Kind: EventPeerRemoved, Peer: evicted, Message: fmt.Sprintf("peer %s removed to make room for %s: it was not answering", evicted, u)})
	}
	n.emit(Event{Kind: EventPeerAdded, Peer: u, Message: fmt.Sprintf("peer %s added (%s)", u, how)})
	return true, n.savePeers()
}

// savePeers writes the peer list to the store, when there is one.
func (n *Node) savePeers() error {
	if n.store == nil {
		return nil
	}
	// The snapshot is taken under saveMu so that writes land in the order
	// of the states they describe: the last write is the newest list.
	n.saveMu.Lock()
	defer n.saveMu.Unlock()
	list := n.peers.urls()
	vals := make([]any, len(list))
	for i, u := range list {
		vals[i] = u
	}
	data, err := blockchain.Canonical(vals)
	if err == nil {
		err = n.store.SetMeta(metaPeers, data)
	}
	if err != nil {
		n.log.Error("saving the peer list failed", "err", err.Error())
		return fmt.Errorf("save peer list: %w", err)
	}
	return nil
}

// loadPeers restores the peer list saved in the store. Entries that are no
// longer acceptable URLs are skipped with a log line, not fatal: a peer list
// is a convenience, the chain is what matters.
func (n *Node) loadPeers() error {
	if n.store == nil {
		return nil
	}
	data, err := n.store.Meta(metaPeers)
	if err != nil {
		return fmt.Errorf("new node: load peer list: %w", err)
	}
	if data == nil {
		return nil
	}
	v, err := blockchain.Decode(data)
	list, ok := v.([]any)
	if err != nil || !ok {
		n.log.Warn("ignoring the stored peer list: it is not a JSON list", "store", n.store.Path())
		return nil
	}
	for _, e := range list {
		s, _ := e.(string)
		u, err := NormalizeURL(s)
		if err == nil && u == n.SelfURL() {
			continue
		}
		if err == nil {
			_, _, err = n.peers.add(u, time.Now())
		}
		if err != nil {
			n.log.Warn("ignoring a stored peer", "peer", s, "err", err.Error())
		}
	}
	return nil
}

// forgetFailingPeers drops the peers that have failed every exchange for
// Options.ForgetPeersAfter.
func (n *Node) forgetFailingPeers() {
	gone := n.peers.forgetFailing(time.Now(), n.opts.ForgetPeersAfter)
	for _, u := range gone {
		n.emit(Event{Kind: EventPeerRemoved, Peer: u, Message: fmt.Sprintf("peer %s forgotten: it failed every exchange for %s", u, n.opts.ForgetPeersAfter)})
	}
	if len(gone) > 0 {
		_ = n.savePeers() // logged
	}
}

// requestSync asks the consensus loop for a round soon. Requests made while
// one is pending coalesce into it.
func (n *Node) requestSync() {
	select {
	case n.syncReq <- struct{}{}:
	default:
	}
}

// syncLoop runs consensus when asked and every SyncInterval. It must be run
// as a goroutine (New does).
func (n *Node) syncLoop(ctx context.Context) {
	var tick <-chan time.Time
	if n.opts.SyncInterval > 0 {
		t := time.NewTicker(n.opts.SyncInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.syncReq:
		case <-tick:
		}
		n.forgetFailingPeers()
		// Failures are per peer and already recorded and logged. Peers
		// backed off after failing wait for a later round.
		_, _ = n.syncWith(ctx, func() []string { return n.peers.due(time.Now()) })
		// Requests arriving meanwhile coalesce into one more round after a
		// pause, so a stream of blocks "ahead" (cheap to make at difficulty
		// 2) cannot keep every peer busy serving us its chain.
		gap := time.NewTimer(minSyncGap)
		select {
		case <-ctx.Done():
			gap.Stop()
			return
		case <-gap.C:
		}
	}
}
