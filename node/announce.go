package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"blockscope/blockchain"
)

// AnnounceResult counts the peers' answers to an announced block.
type AnnounceResult struct {
	Accepted, Rejected, Failed int
	// Superseded counts the peers to which a newer block was sent instead:
	// a peer that gets block N+1 needs no N.
	Superseded int
	// Skipped counts the peers left out because they are backed off after
	// failing (see PeerStatus.Failures); consensus rounds retry them.
	Skipped int
}

// announcement is one block on its way to the peers.
type announcement struct {
	b    *blockchain.Block
	body []byte
	op   string
	// outcomes receives one outcome per peer it was queued for; it is
	// buffered for all of them, so senders never block.
	outcomes chan announceOutcome
}

type announceOutcome struct {
	kind int // one of the outcome constants
	err  error
}

const (
	outcomeAccepted = iota
	outcomeRejected
	outcomeFailed
	outcomeSuperseded
)

// announcer sends blocks to peers with at most one announcement in flight
// and one queued per peer: a newer block replaces the queued one. Each
// peer has at most one sending goroutine, and all of them together hold
// at most maxParallelPeers connections, whatever the peers do. It is safe
// for concurrent use; the node's mu-free fields are used read-only.
type announcer struct {
	mu     sync.Mutex
	queued map[string]*announcement // per peer: the next block to send
	active map[string]bool          // per peer: a sender is running
	sem    chan struct{}
}

func newAnnouncer() *announcer {
	return &announcer{queued: map[string]*announcement{}, active: map[string]bool{}, sem: make(chan struct{}, maxParallelPeers)}
}

// Announce sends b to every peer that is not backed off (POST
// {peer}add_block), each bounded by Options.PeerTimeout, and waits for
// their answers, or until ctx ends. A peer still busy with an earlier
// block gets b next; a newer block announced meanwhile replaces b for that
// peer (counted Superseded). A peer that refuses the block disagrees about
// the tip, so a consensus round is requested. The error joins the
// failures and refusals. The terminal UI calls it after mining a block;
// GET /mine calls it in the background.
func (n *Node) Announce(ctx context.Context, b *blockchain.Block) (AnnounceResult, error) {
	var res AnnounceResult
	peers := n.peers.due(time.Now())
	res.Skipped = len(n.peers.urls()) - len(peers)
	if len(peers) == 0 {
		return res, nil
	}
	a := &announcement{b: b, body: b.WireJSON(), op: fmt.Sprintf("announce block #%d", b.Index()), outcomes: make(chan announceOutcome, len(peers))}
	for _, p := range peers {
		n.enqueue(p, a)
	}
	var errs []error
	for range peers {
		var o announceOutcome
		select {
		case o = <-a.outcomes:
		case <-ctx.Done():
			return res, errors.Join(append(errs, ctx.Err())...)
		case <-n.ctx.Done():
			return res, errors.Join(append(errs, errors.New("the node is closing"))...)
		}
		switch o.kind {
		case outcomeAccepted:
			res.Accepted++
		case outcomeRejected:
			res.Rejected++
		case outcomeFailed:
			res.Failed++
		case outcomeSuperseded:
			res.Superseded++
		}
		if o.err != nil {
			errs = append(errs, o.err)
		}
	}
	n.emit(Event{Kind: EventBlockAnnounced, Index: b.Index(), Length: res.Accepted,
		Message: fmt.Sprintf("block #%d announced: %d of %d peers accepted it", b.Index(), res.Accepted, len(peers))})
	return res, errors.Join(errs...)
}

// enqueue puts a in peer's slot, superseding what waited there (or a
// itself, when what waited is newer), and starts the peer's sender if it
// is not running.
func (n *Node) enqueue(peer string, a *announcement) {
	an := n.announcer
	an.mu.Lock()
	defer an.mu.Unlock()
	if old := an.queued[peer]; old != nil {
		if old.b.Index() > a.b.Index() {
			a.outcomes <- announceOutcome{kind: outcomeSuperseded}
			return
		}
		old.outcomes <- announceOutcome{kind: outcomeSuperseded}
	}
	an.queued[peer] = a
	if an.active[peer] {
		return
	}
	an.active[peer] = true
	if !n.spawn(func(ctx context.Context) { n.sendQueued(ctx, peer) }) {
		delete(an.queued, peer)
		an.active[peer] = false
		a.outcomes <- announceOutcome{kind: outcomeFailed, err: errors.New("the node is closing")}
	}
}

// sendQueued is a peer's sender: it sends what is queued for the peer
// until nothing is, one block at a time.
func (n *Node) sendQueued(ctx context.Context, peer string) {
	an := n.announcer
	for {
		an.mu.Lock()
		a := an.queued[peer]
		delete(an.queued, peer)
		if a == nil || ctx.Err() != nil {
			delete(an.active, peer)
			an.mu.Unlock()
			if a != nil {
				a.outcomes <- announceOutcome{kind: outcomeFailed, err: ctx.Err()}
			}
			return
		}
		an.mu.Unlock()
		select {
		case an.sem <- struct{}{}:
		case <-ctx.Done():
			a.outcomes <- announceOutcome{kind: outcomeFailed, err: ctx.Err()}
			continue
		}
		a.outcomes <- n.sendBlock(ctx, peer, a)
		<-an.sem
	}
}

// sendBlock posts one announced block to one peer and records the outcome.
func (n *Node) sendBlock(ctx context.Context, p string, a *announcement) announceOutcome {
	asked := time.Now()
	status, data, err := n.exchange(ctx, a.op, http.MethodPost, p, "add_block", a.body, 64<<10)
	switch {
	case err != nil:
		if ctx.Err() == nil {
			n.peerFailed(p, err)
		}
		return announceOutcome{outcomeFailed, err}
	case status == http.StatusCreated || status == http.StatusOK:
		n.peers.seen(p, int(a.b.Index())+1, a.b.Hash(), asked)
		return announceOutcome{outcomeAccepted, nil}
	case status >= 500:
		err := &PeerError{Peer: p, Op: a.op, Faulty: true, Err: fmt.Errorf("status %d: %s", status, errorText(data))}
		n.peerFailed(p, err)
		return announceOutcome{outcomeFailed, err}
	default:
		n.peers.seen(p, 0, "", asked)
		n.requestSync()
		return announceOutcome{outcomeRejected, &PeerError{Peer: p, Op: a.op, Err: fmt.Errorf("refused (status %d): %s", status, errorText(data))}}
	}
}
