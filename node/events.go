package node

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// EventKind names what happened in an Event.
type EventKind int

// The kinds of events a node reports.
const (
	// EventPeerAdded: a peer joined the peer list (Peer).
	EventPeerAdded EventKind = iota + 1
	// EventPeerRemoved: a peer left the peer list (Peer).
	EventPeerRemoved
	// EventBlockMined: this node mined block Index through GET /mine.
	EventBlockMined
	// EventBlockReceived: a block from Peer was appended to our chain.
	EventBlockReceived
	// EventBlockRejected: a block from Peer was refused (Err says why).
	EventBlockRejected
	// EventBlockAnnounced: block Index was sent to the peers; Length
	// of them accepted it.
	EventBlockAnnounced
	// EventChainAdopted: we adopted Peer's longer chain of Length blocks;
	// its blocks from height Index on are new here.
	EventChainAdopted
	// EventPeerUnreachable: Peer could not be reached (Err says why).
	// It is reported when the peer starts failing, not on every retry.
	EventPeerUnreachable
	// EventPeerFaulty: Peer answered with something unusable (Err).
	EventPeerFaulty
	// EventReorg: adopting Peer's chain replaced Length of our blocks
	// from height Index (see Node.Reorgs).
	EventReorg
)

var eventKindNames = map[EventKind]string{
	EventPeerAdded:       "peer-added",
	EventPeerRemoved:     "peer-removed",
	EventBlockMined:      "block-mined",
	EventBlockReceived:   "block-received",
	EventBlockRejected:   "block-rejected",
	EventBlockAnnounced:  "block-announced",
	EventChainAdopted:    "chain-adopted",
	EventPeerUnreachable: "peer-unreachable",
	EventPeerFaulty:      "peer-faulty",
	EventReorg:           "reorg",
}

func (k EventKind) String() string {
	if s, ok := eventKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event is one notable thing the node did or saw, for a status line.
type Event struct {
	Kind EventKind
	Time time.Time
	// Peer is the peer's URL, or the remote address of a caller of
	// /add_block (callers do not say which peer they are).
	Peer string
	// Index is the block's index for block events, and for
	// EventChainAdopted the first height taken from the peer.
	Index int64
	// Length is the adopted chain's length (EventChainAdopted) or the
	// number of peers that accepted a block (EventBlockAnnounced).
	Length int
	// Err is the failure, for rejections and failing peers.
	Err error
	// Message is the event as one human sentence, e.g.
	// "block #5 received from 127.0.0.1:53122".
	Message string
}

func (e Event) String() string { return e.Message }

// Events returns the channel on which the node reports events. It is
// buffered; when the reader falls behind, the oldest events are dropped, so
// the node never blocks on it. It is closed by Close.
func (n *Node) Events() <-chan Event { return n.events }

// emit logs ev and queues it on the events channel, dropping the oldest
// queued event when the buffer is full.
func (n *Node) emit(ev Event) {
	ev.Time = time.Now()
	attrs := []any{"event", ev.Kind.String()}
	if ev.Peer != "" {
		attrs = append(attrs, "peer", ev.Peer)
	}
	level := slog.LevelInfo
	if ev.Err != nil {
		level = slog.LevelWarn
		attrs = append(attrs, "err", ev.Err.Error())
	}
	n.log.Log(context.Background(), level, ev.Message, attrs...)

	n.eventMu.Lock()
	defer n.eventMu.Unlock()
	if n.eventsClosed {
		return
	}
	// Two rounds suffice: we hold eventMu, so after we take one event out
	// nobody else can fill the slot before our send.
	for range 2 {
		select {
		case n.events <- ev:
			return
		default:
		}
		select {
		case <-n.events:
		default:
		}
	}
}
