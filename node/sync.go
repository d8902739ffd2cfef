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

// maxParallelPeers bounds the exchanges with peers run at once, so a long
// peer list neither opens hundreds of connections nor holds hundreds of
// chains in memory.
const maxParallelPeers = 8

// SyncResult says what a consensus round did.
type SyncResult struct {
	// Asked and Answered count the peers asked for their chain and those
	// that sent a valid one.
	Asked, Answered int
	// Adopted is true when a longer chain replaced ours.
	Adopted bool
	// From is the peer whose chain was adopted.
	From string
	// Length is our chain's length after the round.
	Length int
	// Replace says what adopting changed (when Adopted).
	Replace blockchain.ReplaceResult
}

// Sync runs the consensus rule once: it reads what is new in every peer's
// chain (see fetchNew; at most maxParallelPeers at a time, each stopped
// after Options.PeerTimeout without progress) and adopts, as it arrives,
// each chain that is valid from our genesis and strictly longer than ours.
// Transactions of blocks we drop go back to pending. Failing peers are
// recorded and skipped; the error joins their failures and is nil when
// every peer answered with a valid chain.
func (n *Node) Sync(ctx context.Context) (SyncResult, error) {
	return n.syncWith(ctx, n.peers.urls)
}

// syncWith is Sync over the peers list returns when the round starts.
func (n *Node) syncWith(ctx context.Context, list func() []string) (SyncResult, error) {
	n.syncMu.Lock()
	defer n.syncMu.Unlock()
	n.roundsRun.Add(1)
	peers := list()
	res := SyncResult{Asked: len(peers)}
	if len(peers) == 0 {
		res.Length = n.chain.Len()
		return res, nil
	}

	type answer struct {
		peer string
		res  peerFetch
		err  error
	}
	answers := make(chan answer)
	sem := make(chan struct{}, maxParallelPeers)
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := n.fetchNew(ctx, p)
			answers <- answer{p, res, err}
		}()
	}
	go func() {
		wg.Wait()
		close(answers)
	}()

	// Each peer's chain is adopted as it arrives when it is longer; the
	// round reports the peer whose chain left ours the longest.
	var errs []error
	best := 0
	for a := range answers {
		if a.res.Adopted {
			n.emitAdopted(a.peer, a.res.Length, a.res.Replace)
			if a.res.Length > best {
				best, res.Adopted, res.From, res.Replace = a.res.Length, true, a.peer, a.res.Replace
			}
		}
		if a.err != nil {
			errs = append(errs, a.err)
			continue
		}
		res.Answered++
	}
	res.Length = n.chain.Len()
	return res, errors.Join(errs...)
}

func (n *Node) emitAdopted(peer string, length int, rr blockchain.ReplaceResult) {
	msg := fmt.Sprintf("adopted chain of %d blocks from %s", length, peer)
	if rr.Dropped > 0 {
		msg += fmt.Sprintf(" (dropped %d of ours, %s back to pending)", rr.Dropped, plural(rr.Restored, "transaction"))
	}
	n.emit(Event{Kind: EventChainAdopted, Peer: peer, Index: rr.ForkHeight, Length: length, Message: msg})
}

// ErrNoSelfURL is returned by RegisterWith when the node does not know the
// URL peers reach it at: Options.SelfURL was empty and Serve did not start.
var ErrNoSelfURL = errors.New("this node's own URL is not known yet: set Options.SelfURL or serve first")

// awaitSelfURL returns our URL, waiting up to Options.PeerTimeout for a
// Serve started alongside to derive it, so that a caller may start Serve
// and RegisterWith in goroutines of their own in any order.
func (n *Node) awaitSelfURL(ctx context.Context) (string, error) {
	timer := time.NewTimer(n.opts.PeerTimeout)
	defer timer.Stop()
	select {
	case <-n.selfKnown:
		return n.SelfURL(), nil
	case <-ctx.Done():
		return "", ctx.Err()
	case <-timer.C:
		return "", ErrNoSelfURL
	}
}

// RegisterResult says what RegisterWith did.
type RegisterResult struct {
	// Peer is the normalised URL registered with.
	Peer string
	// Length is the length of the peer's chain; when its reading was left
	// for a later round, the length its answer states (0 when none).
	Length int
	// Adopted is true when the peer's longer chain replaced ours.
	Adopted bool
	// Replace says what adopting changed (when Adopted).
	Replace blockchain.ReplaceResult
	// PeersLearned counts the peer's peers we added.
	PeersLearned int
	// Nudged is true when our chain was the longer one and the peer was
	// asked (through its /register_with) to fetch and adopt it.
	Nudged bool
}

// RegisterWith registers this node with the node at rawURL: it posts our URL
// to the peer's /register_node, so we become its peer, checks the chain it
// answers with and adopts it when it is longer than ours, then adds the peer
// and the peer's own peers (except us) to our list. When ours is the longer
// chain it asks the peer to register back (POST /register_with with our
// URL), which makes a tutorial node fetch and adopt ours; failing that is
// logged, not returned. Each exchange is bounded by Options.PeerTimeout.
func (n *Node) RegisterWith(ctx context.Context, rawURL string) (RegisterResult, error) {
	peer, err := NormalizeURL(rawURL)
	if err != nil {
		return RegisterResult{}, err
	}
	self, err := n.awaitSelfURL(ctx)
	if err != nil {
		return RegisterResult{}, err
	}
	if peer == self {
		return RegisterResult{}, fmt.Errorf("%s is this node's own URL: a node cannot register with itself", peer)
	}
	body, err := blockchain.Canonical(map[string]any{"node_address": self})
	if err != nil {
		return RegisterResult{}, fmt.Errorf("register with %s: %w", peer, err)
	}
	const op = "register"
	asked := time.Now()
	cs, err := n.openChain(ctx, op, http.MethodPost, peer, "register_node", body)
	var fetched peerFetch
	if err == nil {
		fetched, _, err = n.readFrom(cs, 0)
		cs.close()
	}
	if err != nil {
		if n.peers.has(peer) && ctx.Err() == nil {
			n.peerFailed(peer, err)
		}
		return RegisterResult{}, err
	}

	res := RegisterResult{Peer: peer, Length: fetched.Length, Adopted: fetched.Adopted, Replace: fetched.Replace}
	if fetched.Adopted {
		n.emitAdopted(peer, fetched.Length, fetched.Replace)
	}
	if _, err := n.addPeer(peer, "registered with it"); err != nil {
		return res, fmt.Errorf("register with %s: %w", peer, err)
	}
	n.peers.seen(peer, fetched.Length, fetched.Tip, asked)
	n.peers.setID(peer, cs.peerID) // it was not our peer yet when it answered
	for _, raw := range fetched.Peers {
		u, err := NormalizeURL(raw)
		if err != nil || u == self || u == peer {
			continue
		}
		added, err := n.addPeer(u, "learned from "+peer)
		if err != nil {
			n.log.Warn("not adding a peer's peer", "peer", u, "from", peer, "err", err.Error())
			continue
		}
		if added {
			res.PeersLearned++
		}
	}
	if !fetched.Unfinished && n.chain.Len() > fetched.Length {
		res.Nudged = n.nudge(ctx, peer, self)
	}
	return res, nil
}

// nudge asks peer to register with us, which makes it fetch our chain and
// adopt it when it is longer: the tutorial's nodes have no other way to be
// told to sync. It reports whether the peer agreed.
func (n *Node) nudge(ctx context.Context, peer, self string) bool {
	body, err := blockchain.Canonical(map[string]any{"node_address": self})
	if err != nil {
		return false
	}
	status, data, err := n.exchange(ctx, "ask to register back", http.MethodPost, peer, "register_with", body, 64<<10)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("status %d: %s", status, errorText(data))
	}
	if err != nil {
		n.log.Warn("could not ask a shorter peer to fetch our chain", "peer", peer, "err", err.Error())
		return false
	}
	n.log.Info("asked a shorter peer to fetch our chain", "peer", peer)
	return true
}

// ErrNothingToMine is returned by Mine when no transaction is pending.
var ErrNothingToMine = errors.New("no transactions to mine")

// maxMineAttempts bounds how often Mine starts over when a block from a
// peer takes the tip while it searches.
const maxMineAttempts = 3

// Mine mines every pending transaction into the next block with the
// configured Miner and difficulty, appends it and announces it to the peers
// in the background. One Mine runs at a time. When a peer's block takes the
// tip meanwhile it starts over on the new tip (if anything is still
// pending). It returns ErrNothingToMine when the pool is empty.
func (n *Node) Mine(ctx context.Context) (*blockchain.Block, error) {
	n.mineMu.Lock()
	defer n.mineMu.Unlock()
	for range maxMineAttempts {
		tmpl, err := n.chain.Template()
		if err != nil {
			return nil, fmt.Errorf("mine: build template: %w", err)
		}
		if tmpl == nil {
			return nil, ErrNothingToMine
		}
		b, err := n.miner(ctx, tmpl, n.difficulty)
		if err != nil {
			return nil, fmt.Errorf("mine block #%d: %w", tmpl.Index(), err)
		}
		err = n.chain.AddBlock(b)
		var ie *blockchain.IndexError
		var pe *blockchain.PreviousHashError
		if errors.As(err, &ie) || errors.As(err, &pe) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("add mined block #%d: %w", b.Index(), err)
		}
		n.emit(Event{Kind: EventBlockMined, Index: b.Index(), Message: fmt.Sprintf("block #%d mined (%s, nonce %d)", b.Index(), plural(len(b.Transactions()), "transaction"), b.Nonce())})
		n.spawn(func(ctx context.Context) {
			// Failures are recorded per peer and logged.
			_, _ = n.Announce(ctx, b)
		})
		return b, nil
	}
	return nil, fmt.Errorf("mine: the tip changed %d times while mining; giving up", maxMineAttempts)
}
