package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

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

// peerPick is the network view's selection: the peer picked, and the one
// d asks about ("" when none).
type peerPick struct {
	sel int
	ask string
}

// fromPeers counts the blocks this node took from its peers since start:
// one at a time as peers announced them, and in whole chains adopted.
type fromPeers struct {
	announced int // blocks appended as a peer announced each
	adopted   int // blocks new here in the chains adopted
	chains    int // chains adopted
}

// text says how many blocks came from peers.
func (f fromPeers) text() string {
	return common.Plural(int64(f.announced+f.adopted), "block") + " received from peers since start"
}

// how says how they came, when some came in adopted chains ("" when
// every one was announced).
func (f fromPeers) how() string {
	if f.chains == 0 {
		return ""
	}
	return common.GroupDigits(int64(f.announced)) + " announced one at a time, " + common.GroupDigits(int64(f.adopted)) + " in " + common.Plural(int64(f.chains), "adopted chain")
}

// askedPeer is a peer the screen's owner registers with (--peer), and how
// that went, for the network view: until the node lists the peer, it is
// the only word on it.
type askedPeer struct {
	url   string        // as given
	err   string        // why the last registration failed; "" when none did
	retry time.Duration // when a failed registration is tried again; 0: never
	done  bool          // registered: the node lists it now
}

// netInfo is what the network view shows besides the node's peers.
type netInfo struct {
	api      API
	ourLen   int64
	received fromPeers
	asked    []askedPeer
	now      time.Time
	pick     peerPick
	rows     int // the most the view may take, borders included; 0: no bound
}

// networkView draws the network overlay: each peer with its chain length,
// last contact and state compared with ours, and the --peer nodes not
// registered with (yet).
func networkView(st common.Styles, n Network, info netInfo, width int, peers []node.PeerStatus) string {
	inner := width - 2
	lines := []string{"", " " + st.Label.Render("API    ") + info.api.state()}
	if n == nil {
		lines = append(lines, "", st.Dim.Render(" no node runs beside this screen: peers cannot reach it"), "")
		return st.Modal("Network", lines, width, len(lines)+2)
	}
	lines = append(lines, " "+st.Label.Render("chain  ")+common.Plural(info.ourLen, "block")+" here · "+info.received.text())
	if how := info.received.how(); how != "" {
		lines = append(lines, "        "+st.Dim.Render(how))
	}
	lines = append(lines, "")
	waiting := unlistedAsked(info.asked, peers)
	if len(peers) == 0 && len(waiting) == 0 {
		lines = append(lines, st.Dim.Render(" no peers: start with --peer URL, or have another node register with this one"))
	} else {
		lines = append(lines, peerRows(st, n, info, inner, peers, waiting)...)
	}
	tail := []string{"", st.Dim.Render(" esc or w closes")}
	if info.pick.ask != "" {
		tail[1] = " " + st.Warn.Render("Remove peer "+common.Clip(info.pick.ask, inner-30)+"?") + " y removes it, n keeps it"
	}
	reorgRows := 0 // no bound
	if info.rows > 0 {
		reorgRows = max(1, info.rows-2-len(lines)-len(tail)) // 2: the borders
	}
	lines = append(append(lines, reorgLines(st, n, inner, reorgRows, info.now)...), tail...)
	return st.Modal("Network · "+peerSummary(peers, waiting), lines, width, len(lines)+2)
}

// peerURLWidth is the width of the peer table's URL column in a box
// inner cells wide.
func peerURLWidth(inner int) int { return min(36, max(12, inner-48)) }

// peerRows is the peer table: the node's peers, then the --peer nodes it
// does not list yet.
func peerRows(st common.Styles, n Network, info netInfo, inner int, peers []node.PeerStatus, waiting []askedPeer) []string {
	urlW := peerURLWidth(inner)
	lines := []string{st.Dim.Render(" " + common.PadRight("peer", urlW) + "  " + common.PadLeft("length", 8) + "  " + common.PadRight("last contact", 13) + "  state")}
	for i, p := range peers {
		contact := "never"
		if !p.LastContact.IsZero() {
			contact = common.Age(info.now, p.LastContact) + " ago"
		}
		length := "?"
		if p.Length > 0 {
			length = common.GroupDigits(int64(p.Length))
		}
		mark := " "
		if _, ok := n.(PeerRemover); ok && i == info.pick.sel {
			mark = "▸"
		}
		lines = append(lines, mark+common.Fit(p.URL, urlW)+"  "+common.PadLeft(length, 8)+"  "+common.PadRight(contact, 13)+"  "+peerStateText(st, p))
		if p.LastError != "" && (p.State == node.PeerUnreachable || p.State == node.PeerFaulty) {
			lines = append(lines, whyLines(st, p.LastError, inner)...)
		}
	}
	for _, a := range waiting {
		state := st.Dim.Render("? registering")
		if a.err != "" {
			state = st.Bad.Render("✗ unreachable")
		}
		lines = append(lines, " "+common.Fit(a.url, urlW)+"  "+common.PadLeft("?", 8)+"  "+common.PadRight("never", 13)+"  "+state)
		if a.err != "" {
			why := "--peer: registering failed: " + common.OneLine(a.err)
			if a.retry > 0 {
				why += " · tried again every " + a.retry.String()
			}
			lines = append(lines, whyLines(st, why, inner)...)
		}
	}
	return lines
}

// maxWhyLines bounds the lines a peer's failure takes in the table; the
// event log has it whole.
const maxWhyLines = 3

// whyLines is a peer's failure under its row, wrapped rather than cut, so
// that the cause at its end shows.
func whyLines(st common.Styles, why string, inner int) []string {
	wrapped := strings.Split(ansi.Wrap(common.OneLine(why), max(10, inner-4), " "), "\n")
	if len(wrapped) > maxWhyLines {
		wrapped = append(wrapped[:maxWhyLines-1], ansi.Truncate(wrapped[maxWhyLines-1], inner-4-common.Width(moreInLog), "")+moreInLog)
	}
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		out[i] = "   " + st.Dim.Render(strings.TrimSpace(l))
	}
	return out
}

// askedPeers are the --peer nodes, none registered with yet.
func askedPeers(urls []string) []askedPeer {
	out := make([]askedPeer, 0, len(urls))
	for _, u := range urls {
		out = append(out, askedPeer{url: u})
	}
	return out
}

// unlistedAsked returns the --peer nodes the node does not list: not
// registered with yet, or failing to.
func unlistedAsked(asked []askedPeer, peers []node.PeerStatus) []askedPeer {
	var out []askedPeer
	for _, a := range asked {
		if a.done || listed(a.url, peers) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// listed reports whether the node lists the peer at raw.
func listed(raw string, peers []node.PeerStatus) bool {
	u, err := node.NormalizeURL(raw)
	if err != nil {
		return false
	}
	for _, p := range peers {
		if p.URL == u {
			return true
		}
	}
	return false
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

// peerSummary is the peers' count the header and the network view's
// title both show, over the same set: the node's peers and the --peer
// nodes it does not list yet (waiting). "2 peers", "2 peers (1 down)":
// down are those unreachable or faulty, and --peer nodes whose
// registration failed.
func peerSummary(peers []node.PeerStatus, waiting []askedPeer) string {
	down := 0
	for _, p := range peers {
		if p.State == node.PeerUnreachable || p.State == node.PeerFaulty {
			down++
		}
	}
	for _, a := range waiting {
		if a.err != "" {
			down++
		}
	}
	s := common.Plural(int64(len(peers)+len(waiting)), "peer")
	if down > 0 {
		s += " (" + strconv.Itoa(down) + " down)"
	}
	return s
}

// networkEvent takes one event of the node: it goes to the event log
// whole and to the status line, and blocks from peers are counted.
func (m Model) networkEvent(msg networkEventMsg) (tea.Model, tea.Cmd) {
	if msg.closed {
		return m, nil // the node closed: nothing more will come
	}
	ev := msg.ev
	m.peers = m.opts.Network.Peers()
	kind, line := logPeer, info(ev.Message)
	switch ev.Kind {
	case node.EventBlockReceived:
		m.received.announced++
	case node.EventBlockAnnounced:
		if ev.Index == m.lastMined && m.minedText != "" {
			line = info(m.minedText + " · " + ev.Message)
		}
	case node.EventChainAdopted:
		// Index is the first height taken from the peer: the blocks
		// below it were ours already.
		m.received.adopted += max(0, ev.Length-int(ev.Index))
		m.received.chains++
	case node.EventBlockRejected, node.EventPeerUnreachable, node.EventPeerFaulty:
		kind, line = logFault, failure(ev.Message)
	}
	if ev.Message != "" {
		m = m.logged(kind, ev.Message)
		line.at = m.opts.Now() // logged above, as the node said it
		m.status = line
	}
	return m, waitNetwork(m.ctx, m.opts.Network)
}

// statusMsg takes a status line from the screen's owner; one about a
// --peer registration also updates that peer's row in the network view. A
// registration failing again as before goes to the event log only: the
// network view already says the peer is down and tried again.
func (m Model) statusMsg(msg StatusMsg) Model {
	if m.opts.Network != nil {
		m.peers = m.opts.Network.Peers()
	}
	line := statusLine{text: msg.Text, err: msg.Err}
	asked := append([]askedPeer(nil), m.asked...) // copies of the Model share none
	for i := range asked {
		if msg.Peer == "" || asked[i].url != msg.Peer {
			continue
		}
		if msg.Err && asked[i].err == msg.Why {
			m = m.logged(logError, msg.Text)
			line = m.status // unchanged
		}
		asked[i].done, asked[i].err, asked[i].retry = !msg.Err, "", 0
		if msg.Err {
			asked[i].err, asked[i].retry = msg.Why, msg.Retry
		}
	}
	m.asked, m.status = asked, line
	return m
}
