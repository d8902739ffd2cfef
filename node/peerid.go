package node

import (
	"fmt"
	"net/http"
	"time"

	"blockscope/blockchain"
)

// A blockscope node sends its NodeIDHeader on every request and answer. The
// peer book learns each peer's identity from the answers to our own
// requests to the peer's URL, so that a request the peer sends us (a block
// it announces) names the peer even when several peers share a host, which
// their ephemeral source ports cannot tell apart. Identities are learned
// only from answers, never from what a caller claims, so a caller can name
// itself only as a peer whose answers it can forge.

// setID records id as the identity of peer u, when u is a peer and id is
// not empty.
func (b *peerBook) setID(u, id string) {
	if id == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p, ok := b.peers[u]; ok {
		p.id = id
	}
}

// byID returns the URL of the peer whose identity is id.
func (b *peerBook) byID(id string) (string, bool) {
	if id == "" {
		return "", false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for u, p := range b.peers {
		if p.id == id {
			return u, true
		}
	}
	return "", false
}

// sender names the sender of r: the peer whose identity its NodeIDHeader
// carries, else as senderName does from its address.
func (n *Node) sender(r *http.Request) string {
	if u, ok := n.peers.byID(r.Header.Get(NodeIDHeader)); ok {
		return u
	}
	return n.senderName(r.RemoteAddr)
}

// blockReceived records block b, appended to our chain, as sent by from.
// A peer holds the block it sent: its chain is at least as long as ours
// now, not the shorter one we last heard of, so it is not listed as behind.
func (n *Node) blockReceived(from string, b *blockchain.Block) {
	n.peers.seen(from, int(b.Index())+1, b.Hash(), time.Now())
	n.emit(Event{Kind: EventBlockReceived, Peer: from, Index: b.Index(),
		Message: fmt.Sprintf("block #%d received from %s", b.Index(), from)})
}
