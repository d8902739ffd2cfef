package localnet

import (
	"fmt"
	"time"

	"blockscope/node"
)

// EventKind names what happened in an Event.
type EventKind string

// The kinds of network events.
const (
	EventBlockFound    EventKind = "found"
	EventBlockAccepted EventKind = "accepted"
	EventAnnounced     EventKind = "announced"
	EventReorg         EventKind = "reorg"
	EventSplit         EventKind = "split"
	EventHeal          EventKind = "heal"
	EventShare         EventKind = "share"
	EventPause         EventKind = "pause"
	EventLatency       EventKind = "latency"
	EventTransaction   EventKind = "tx"
	EventTrouble       EventKind = "trouble"
)

// Event is one thing that happened in the network, for the event log.
type Event struct {
	Time time.Time
	Kind EventKind
	// Node is the name of the node it happened at ("" for the network).
	Node string
	// Height and Hash name the block, for block events; Height is the
	// fork height for reorgs.
	Height int64
	Hash   string
	// Depth and Returned are a reorg's replaced blocks and transactions
	// back to pending.
	Depth, Returned int
	// Message is the event as one sentence.
	Message string
}

// MaxEvents is how many events the network keeps.
const MaxEvents = 1000

// eventLog is the latest events, guarded by Network.mu.
type eventLog struct {
	list []Event
	seq  uint64 // events ever noted
}

// note stamps ev and adds it to the log.
func (nw *Network) note(ev Event) {
	ev.Time = time.Now()
	nw.mu.Lock()
	defer nw.mu.Unlock()
	if len(nw.events.list) >= MaxEvents {
		nw.events.list = append(nw.events.list[:0], nw.events.list[len(nw.events.list)-MaxEvents+1:]...)
	}
	nw.events.list = append(nw.events.list, ev)
	nw.events.seq++
}

// Events returns the latest events (at most MaxEvents), oldest first, and
// the number of events ever noted, which tells a reader whether anything
// is new.
func (nw *Network) Events() ([]Event, uint64) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	return append([]Event(nil), nw.events.list...), nw.events.seq
}

// forwardEvents turns local node m's own events into network events until
// the node closes its channel.
func (nw *Network) forwardEvents(m *member) {
	nw.bg.Add(1)
	go func() {
		defer nw.bg.Done()
		for {
			select {
			case <-nw.ctx.Done():
				return
			case ev, ok := <-m.node.Events():
				if !ok {
					return
				}
				nw.translate(m, ev)
			}
		}
	}()
}

// translate notes the node events a person watching the network cares
// about, in the network's names.
func (nw *Network) translate(m *member, ev node.Event) {
	switch ev.Kind {
	case node.EventBlockReceived:
		hash := ""
		if b := m.chain.Block(ev.Index); b != nil {
			hash = b.Hash()
		}
		nw.note(Event{Kind: EventBlockAccepted, Node: m.name, Height: ev.Index, Hash: hash,
			Message: fmt.Sprintf("%s accepted #%d %s%s", m.name, ev.Index, short(hash), nw.minedBy(hash))})
	case node.EventBlockAnnounced:
		nw.note(Event{Kind: EventAnnounced, Node: m.name, Height: ev.Index,
			Message: fmt.Sprintf("%s announced #%d: %d of %d peers took it", m.name, ev.Index, ev.Length, len(m.node.PeerURLs()))})
	case node.EventReorg:
		nw.noteReorg(m, ev)
	case node.EventPeerUnreachable, node.EventPeerFaulty:
		nw.note(Event{Kind: EventTrouble, Node: m.name, Message: fmt.Sprintf("%s: %s", m.name, nw.nameURLs(ev.Message))})
	}
}

// noteReorg notes a reorg with the record the node kept of it.
func (nw *Network) noteReorg(m *member, ev node.Event) {
	var r node.Reorg
	rs := m.node.Reorgs()
	for k := len(rs) - 1; k >= 0; k-- {
		if rs[k].ForkHeight == ev.Index && rs[k].Depth == ev.Length {
			r = rs[k]
			break
		}
	}
	by := nw.memberName(r.Peer)
	if fb, ok := nw.foundBlock(r.NewTip); ok {
		by = nw.locals[fb.Miner].name
	}
	nw.note(Event{Kind: EventReorg, Node: m.name, Height: r.ForkHeight, Hash: r.NewTip, Depth: r.Depth, Returned: len(r.Returned),
		Message: fmt.Sprintf("reorg at %s: %s replaced by %s's branch, %s back to pending",
			m.name, plural(r.Depth, "block"), by, plural(len(r.Returned), "transaction"))})
}

// minedBy returns " (X's)" for a block local node X mined, "" otherwise.
func (nw *Network) minedBy(hash string) string {
	if fb, ok := nw.foundBlock(hash); ok {
		return fmt.Sprintf(" (%s's)", nw.locals[fb.Miner].name)
	}
	return ""
}

func (nw *Network) foundBlock(hash string) (FoundBlock, bool) {
	nw.mu.Lock()
	defer nw.mu.Unlock()
	fb, ok := nw.found[hash]
	return fb, ok
}

// memberName returns the name of the member at a base URL, the URL itself
// when there is none.
func (nw *Network) memberName(u string) string {
	for _, m := range nw.all {
		if m.url == u {
			return m.name
		}
	}
	return u
}

// nameURLs replaces members' URLs in s by their names.
func (nw *Network) nameURLs(s string) string {
	for _, m := range nw.all {
		s = replaceAll(s, m.url, m.name)
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
