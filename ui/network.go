package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui/common"
)

// Network is the node serving the HTTP API beside the screen; *node.Node is
// one. It must be safe for concurrent use.
type Network interface {
	// Peers returns what the node knows of each peer.
	Peers() []node.PeerStatus
	// Events reports what the node did or saw; it is closed when the node
	// is closed.
	Events() <-chan node.Event
	// Announce sends a block mined here to every peer.
	Announce(ctx context.Context, b *blockchain.Block) (node.AnnounceResult, error)
}

// networkEventMsg carries one event of the node.
type networkEventMsg struct {
	ev     node.Event
	closed bool
}

// waitNetwork returns a command that waits for the node's next event.
func waitNetwork(ctx context.Context, n Network) tea.Cmd {
	return func() tea.Msg {
		select {
		case ev, ok := <-n.Events():
			return networkEventMsg{ev: ev, closed: !ok}
		case <-ctx.Done():
			return nil
		}
	}
}

// announce returns a command that sends b to the peers. It returns no
// message: the node reports the outcome as an event (EventBlockAnnounced),
// which the status line shows.
func announce(ctx context.Context, n Network, b *blockchain.Block) tea.Cmd {
	return func() tea.Msg {
		_, _ = n.Announce(ctx, b)
		return nil
	}
}

// networkView draws the network overlay: each peer with its chain length,
// last contact and state compared with ours.
// peerPick is the network view's selection: the peer picked, and the one
// d asks about ("" when none).
type peerPick struct {
	sel int
	ask string
}

func networkView(st common.Styles, n Network, api API, ourLen int64, received int, width int, now time.Time, peers []node.PeerStatus, pick peerPick) string {
	inner := width - 2
	lines := []string{"", " " + st.Label.Render("API    ") + api.state()}
	if n == nil {
		lines = append(lines, "", st.Dim.Render(" no node runs beside this screen: peers cannot reach it"), "")
		return st.Modal("Network", lines, width, len(lines)+2)
	}
	lines = append(lines,
		" "+st.Label.Render("chain  ")+common.Plural(ourLen, "block")+" here · "+common.Plural(int64(received), "block")+" received from peers since start",
		"")
	if len(peers) == 0 {
		lines = append(lines, st.Dim.Render(" no peers: start with --peer URL, or have another node register with this one"))
	} else {
		urlW := min(36, max(12, inner-48))
		lines = append(lines, st.Dim.Render(" "+common.PadRight("peer", urlW)+"  "+common.PadLeft("length", 8)+"  "+common.PadRight("last contact", 13)+"  state"))
		for i, p := range peers {
			contact := "never"
			if !p.LastContact.IsZero() {
				contact = common.Age(now, p.LastContact) + " ago"
			}
			length := "?"
			if p.Length > 0 {
				length = common.GroupDigits(int64(p.Length))
			}
			state := peerStateText(st, p)
			mark := " "
			if _, ok := n.(PeerRemover); ok && i == pick.sel {
				mark = "▸"
			}
			lines = append(lines, mark+common.Fit(p.URL, urlW)+"  "+common.PadLeft(length, 8)+"  "+common.PadRight(contact, 13)+"  "+state)
			if p.LastError != "" && (p.State == node.PeerUnreachable || p.State == node.PeerFaulty) {
				lines = append(lines, "   "+st.Dim.Render(common.Clip(common.OneLine(p.LastError), inner-4)))
			}
		}
	}
	lines = append(lines, reorgLines(st, n, inner, now)...)
	if pick.ask != "" {
		lines = append(lines, "", " "+st.Warn.Render("Remove peer "+common.Clip(pick.ask, inner-30)+"?")+" y removes it, n keeps it")
	} else {
		lines = append(lines, "", st.Dim.Render(" esc or w closes"))
	}
	return st.Modal("Network · "+common.Plural(int64(len(peers)), "peer"), lines, width, len(lines)+2)
}

// peerStateText names a peer's state with a glyph, never colour alone.
func peerStateText(st common.Styles, p node.PeerStatus) string {
	switch p.State {
	case node.PeerInSync:
		return st.Good.Render("✓ in sync")
	case node.PeerBehind:
		return st.Warn.Render("↓ behind")
	case node.PeerAhead:
		return st.Warn.Render("↑ ahead")
	case node.PeerForked:
		return st.Warn.Render("⑂ forked")
	case node.PeerUnreachable:
		return st.Bad.Render("✗ unreachable")
	case node.PeerFaulty:
		return st.Bad.Render("✗ faulty")
	}
	return st.Dim.Render("? not contacted yet")
}

// peerSummary is the header's note on the peers: "2 peers", "2 peers (1 unreachable)".
func peerSummary(peers []node.PeerStatus) string {
	down := 0
	for _, p := range peers {
		if p.State == node.PeerUnreachable || p.State == node.PeerFaulty {
			down++
		}
	}
	s := common.Plural(int64(len(peers)), "peer")
	if down > 0 {
		s += " (" + strconv.Itoa(down) + " down)"
	}
	return strings.TrimSpace(s)
}

func (m Model) networkEvent(msg networkEventMsg) (tea.Model, tea.Cmd) {
	if msg.closed {
		return m, nil // the node closed: nothing more will come
	}
	ev := msg.ev
	m.peers = m.opts.Network.Peers()
	switch ev.Kind {
	case node.EventBlockReceived:
		m.received++
		m.status = info(ev.Message)
	case node.EventBlockAnnounced:
		if ev.Index == m.lastMined && m.minedText != "" {
			m.status = info(m.minedText + " · " + ev.Message)
		} else {
			m.status = info(ev.Message)
		}
	case node.EventChainAdopted:
		m.received++
		m.status = info(ev.Message)
	case node.EventBlockRejected, node.EventPeerUnreachable, node.EventPeerFaulty:
		m.status = failure(ev.Message)
	default:
		if ev.Message != "" {
			m.status = info(ev.Message)
		}
	}
	return m, waitNetwork(m.ctx, m.opts.Network)
}
