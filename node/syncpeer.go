package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"blockscope/blockchain"
)

// peerFetch says what reading one peer's chain did.
type peerFetch struct {
	// Length and Tip are the peer's chain length and newest block's hash
	// as far as its answer showed (Tip "" when it held no block).
	Length int
	Tip    string
	// Adopted is true when blocks of the peer's chain replaced or extended
	// ours; Replace says what that changed.
	Adopted bool
	Replace blockchain.ReplaceResult
	// Peers are the peers the answer listed, as sent.
	Peers []string
	// Unfinished is true when the peer's chain was left for the next
	// round before its end, for a reason of ours (see leftForNextRound):
	// Length is then the length the answer states, 0 when it stated none
	// before, and Tip is not known.
	Unfinished bool
}

// fetchNew reads what is new in a peer's chain and adopts it when it makes
// ours longer. From a blockscope node it asks only for the blocks from our
// tip's height on (GET /chain?from=H): when the first of them is our tip,
// the rest extends our chain; when it is not, the chains forked, and it
// walks back from the tip in growing steps (1, 2, 4, ...) until the block
// at H is ours, then reads from there. A node that ignores the query (the
// tutorial's) answers its whole chain, which is read as it comes, our
// blocks skipped. A round between synced nodes thus costs one block.
func (n *Node) fetchNew(ctx context.Context, peer string) (peerFetch, error) {
	const op = "fetch chain"
	asked := time.Now()
	h := int64(n.chain.Len()) - 1
	for step := int64(1); ; step *= 2 {
		cs, err := n.openChain(ctx, op, http.MethodGet, peer, chainPath(h), nil)
		if err != nil {
			return peerFetch{}, n.fetchFailed(ctx, peer, err)
		}
		res, retry, err := n.readFrom(cs, h)
		cs.close()
		if err != nil {
			return res, n.fetchFailed(ctx, peer, err)
		}
		if !retry {
			n.peers.seen(peer, res.Length, res.Tip, asked)
			return res, nil
		}
		h = max(0, h-step)
	}
}

// fetchFailed records a failed exchange unless our own shutdown caused it.
func (n *Node) fetchFailed(ctx context.Context, peer string, err error) error {
	if ctx.Err() == nil {
		n.peerFailed(peer, err)
	}
	return err
}

// readFrom reads an answer to GET /chain?from=h and adopts what it brings.
// It returns retry when the answer's block h is not ours: the fork is
// further down.
func (n *Node) readFrom(cs *chainStream, h int64) (res peerFetch, retry bool, err error) {
	skipped, last, first, err := cs.skipOurs(n.chain)
	if err != nil {
		return res, false, err
	}
	a := &adopter{chain: n.chain, replace: func(blocks []*blockchain.Block) (blockchain.ReplaceResult, error) {
		return n.adopt(cs.peer, blocks)
	}, switchTo: func(st *blockchain.ForkStage) (blockchain.ReplaceResult, error) {
		return n.adoptStaged(cs.peer, st)
	}, staged: func(fork int64) {
		n.log.Info("staging a peer's chain in the store: it forks from ours deeper than we hold in memory", "peer", cs.peer, "fork", fork)
	}}
	if skipped > 0 {
		return n.readAfterOurs(cs, a, last, first)
	}
	switch {
	case first == nil:
		// No block at h: the peer's chain, of the length it says, is not
		// longer than ours. Every chain has a genesis.
		l, ok := cs.length()
		if h == 0 || !ok || l < 1 || int64(l) > h {
			return res, false, cs.faulty(errors.New("the chain is empty"))
		}
		res.Length = l
		return res, false, nil
	case first.Index() == 0:
		// The whole chain: the peer ignored the query, or we asked for it.
		err = n.adoptRest(cs, a, first)
		return fetched(cs, a), false, err
	case first.Index() != h:
		return res, false, cs.faulty(fmt.Errorf("asked for the chain from block #%d, the answer starts at #%d", h, first.Index()))
	case blockchain.Judge(n.chain.Block(h-1), first, n.chain.Difficulty()) != nil || !a.holds(first):
		return res, true, nil
	default:
		a.parent, a.last = first, first
	}
	err = n.adoptRest(cs, a, nil)
	return fetched(cs, a), false, err
}

// readAfterOurs goes on with a whole-chain answer whose blocks up to last
// are byte for byte ours (see skipOurs): from first, the block after last,
// or nowhere when the answer ended with last.
func (n *Node) readAfterOurs(cs *chainStream, a *adopter, last, first *blockchain.Block) (res peerFetch, retry bool, err error) {
	a.parent, a.last = last, last
	if first != nil {
		err = n.adoptRest(cs, a, first)
	}
	return fetched(cs, a), false, err
}

// fetched says what reading cs into a did. A round left unfinished did not
// see the peer's tip: it reports the length the answer states, when it
// does, and no tip.
func fetched(cs *chainStream, a *adopter) peerFetch {
	res := peerFetch{Adopted: a.adopted, Replace: a.result, Peers: cs.peers(), Unfinished: a.unfinished}
	switch l, ok := cs.length(); {
	case !a.unfinished && a.last != nil:
		res.Length, res.Tip = a.length(), a.last.Hash()
	case a.unfinished && ok && l >= a.length():
		res.Length = l
	}
	return res
}

// leftForNextRound reports whether err stopped the adoption of a peer's
// chain for a reason of ours, not the peer's: another peer's fork is being
// staged, our chain changed below a staged fork, or our store failed to
// delete a staged fork. The peer is asked again next round.
func leftForNextRound(err error) bool {
	return errors.Is(err, blockchain.ErrStageBusy) || errors.Is(err, errStagedLeft)
}

// adoptRest feeds first (when not nil) and the rest of the answer to a.
// The blocks adopted before a bad one stay adopted: they made a valid
// chain longer than ours. A chain left for the next round (see
// leftForNextRound) marks a unfinished and is no error.
func (n *Node) adoptRest(cs *chainStream, a *adopter, first *blockchain.Block) error {
	for b := first; ; b = nil {
		var err error
		if b == nil {
			b, err = cs.next()
		}
		switch {
		case err == nil && b == nil:
			err = a.flush(true)
			if err == nil || leftForNextRound(err) {
				return n.leaveRound(cs, a, err)
			}
			return &PeerError{Peer: cs.peer, Op: cs.op, Err: err}
		case err == nil:
			err = a.feed(b)
			switch {
			case err == nil:
				continue
			case leftForNextRound(err):
				return n.leaveRound(cs, a, err)
			case blockchain.IsRuleError(err):
				err = cs.faulty(fmt.Errorf("invalid chain: %w", err))
			default:
				err = &PeerError{Peer: cs.peer, Op: cs.op, Err: err}
			}
		}
		if ferr := a.flush(true); ferr != nil {
			n.log.Warn("adopting the valid part of a chain failed", "peer", cs.peer, "err", ferr.Error())
		}
		return err
	}
}

// leaveRound ends the reading of a peer's chain that why (nil when it
// ended) left for the next round: not the peer's failure.
func (n *Node) leaveRound(cs *chainStream, a *adopter, why error) error {
	if why != nil {
		n.log.Info("left a peer's deep fork for the next round", "peer", cs.peer, "why", why.Error())
		a.clearBatch()
		a.unfinished = true
	}
	return nil
}
