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
		if err := a.feed(first); err != nil {
			return res, false, cs.faulty(fmt.Errorf("invalid chain: %w", err))
		}
	case first.Index() != h:
		return res, false, cs.faulty(fmt.Errorf("asked for the chain from block #%d, the answer starts at #%d", h, first.Index()))
	case blockchain.Judge(n.chain.Block(h-1), first, n.chain.Difficulty()) != nil || !a.holds(first):
		return res, true, nil
	default:
		a.parent, a.last = first, first
	}
	err = n.adoptRest(cs, a)
	res = peerFetch{Length: a.length(), Tip: a.last.Hash(), Adopted: a.adopted, Replace: a.result, Peers: cs.peers()}
	return res, false, err
}

// readAfterOurs goes on with a whole-chain answer whose blocks up to last
// are byte for byte ours (see skipOurs): from first, the block after last,
// or nowhere when the answer ended with last.
func (n *Node) readAfterOurs(cs *chainStream, a *adopter, last, first *blockchain.Block) (res peerFetch, retry bool, err error) {
	a.parent, a.last = last, last
	if first != nil {
		if err := a.feed(first); blockchain.IsRuleError(err) {
			return res, false, cs.faulty(fmt.Errorf("invalid chain: %w", err))
		} else if err != nil {
			return res, false, &PeerError{Peer: cs.peer, Op: cs.op, Err: err}
		}
		err = n.adoptRest(cs, a)
	}
	res = peerFetch{Length: a.length(), Tip: a.last.Hash(), Adopted: a.adopted, Replace: a.result, Peers: cs.peers()}
	return res, false, err
}

// adoptRest feeds the rest of the answer to a. The blocks adopted before a
// bad one stay adopted: they made a valid chain longer than ours.
func (n *Node) adoptRest(cs *chainStream, a *adopter) error {
	for {
		b, err := cs.next()
		if err == nil && b == nil {
			if err := a.flush(true); err != nil {
				return &PeerError{Peer: cs.peer, Op: cs.op, Err: err}
			}
			return nil
		}
		if err == nil {
			err = a.feed(b)
			switch {
			case errors.Is(err, blockchain.ErrStageBusy):
				// Not the peer's fault: it is asked again next round,
				// once the other fork is adopted or discarded.
				n.log.Info("not reading a peer's deep fork while another peer's is staged", "peer", cs.peer)
				a.clearBatch()
				return nil
			case blockchain.IsRuleError(err):
				err = cs.faulty(fmt.Errorf("invalid chain: %w", err))
			case err != nil:
				err = &PeerError{Peer: cs.peer, Op: cs.op, Err: err}
			}
		}
		if err != nil {
			if ferr := a.flush(true); ferr != nil {
				n.log.Warn("adopting the valid part of a chain failed", "peer", cs.peer, "err", ferr.Error())
			}
			return err
		}
	}
}
