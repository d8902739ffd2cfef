package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"blockscope/ui/common"
)

// PeerRemover is a Network that can forget a peer; *node.Node is one. The
// network view offers d only when the node is one.
type PeerRemover interface {
	// RemovePeer drops the peer from the list and the store, reporting
	// whether it was there.
	RemovePeer(url string) (bool, error)
}

// peerKeys are the network view's keys: move between peers, remove one
// after a y/n question, close.
type peerKeys struct {
	Up, Down, Remove, Yes, No, Stale key.Binding
}

func newPeerKeys() peerKeys {
	return peerKeys{
		Up:     key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Remove: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove peer")),
		Yes:    key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "remove")),
		No:     key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "keep")),
		Stale:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "inspect stale blocks")),
	}
}

// peerRemovedMsg reports a removal made by the command removePeer.
type peerRemovedMsg struct {
	url     string
	removed bool
	err     error
}

// networkKey handles a key in the network view: j/k pick a peer, d asks
// whether to remove it, y removes it (off the Update path: the node writes
// its store), n or esc keeps it; esc or w closes the view.
func (m Model) networkKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	pk := m.pkeys
	if m.netAsk != "" {
		switch {
		case key.Matches(k, pk.Yes):
			url, remover := m.netAsk, m.opts.Network.(PeerRemover)
			m.netAsk = ""
			return m, func() tea.Msg {
				removed, err := remover.RemovePeer(url)
				return peerRemovedMsg{url: url, removed: removed, err: err}
			}
		case key.Matches(k, pk.No):
			m.netAsk = ""
		}
		return m, nil
	}
	if mv, ok := m.keys.Movement(k, len(m.peers)); ok {
		m.netSel = mv.Apply(m.netSel, len(m.peers))
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Help):
		m.modes = m.modes.push(modeHelp)
	case key.Matches(k, pk.Stale):
		m = m.openStale(0)
	case key.Matches(k, pk.Remove):
		if _, ok := m.opts.Network.(PeerRemover); ok && m.netSel >= 0 && m.netSel < len(m.peers) {
			m.netAsk = m.peers[m.netSel].URL
		}
	default:
		return m.closeKey(k, m.keys.Network)
	}
	return m, nil
}

// peerRemoved shows the outcome of a removal and the peers as they are now.
func (m Model) peerRemoved(msg peerRemovedMsg) Model {
	switch {
	case msg.err != nil:
		m.status = failure("could not remove peer " + msg.url + ": " + msg.err.Error())
	case !msg.removed:
		m.status = info("peer " + msg.url + " was already gone")
	default:
		m.status = info("removed peer " + msg.url + ": no more blocks are sent to it or fetched from it")
	}
	if m.opts.Network != nil {
		m.peers = m.opts.Network.Peers()
	}
	m.netSel = max(0, min(m.netSel, len(m.peers)-1))
	return m
}

// networkHelp is the help bar of the network view.
func (m Model) networkHelp() common.BindingsHelp {
	k, pk := m.keys, m.pkeys
	if m.netAsk != "" {
		return common.BindingsHelp{pk.Yes, pk.No}
	}
	bar := common.BindingsHelp{}
	if _, ok := m.opts.Network.(PeerRemover); ok && len(m.peers) > 0 {
		bar = append(bar, common.WithHelp(pk.Down, "j/k", "pick"), pk.Remove)
	}
	if _, ok := m.opts.Network.(reorgSource); ok {
		bar = append(bar, pk.Stale)
	}
	return append(bar, k.Help, common.WithHelp(k.Back, "esc/w", "close"), k.Quit)
}

// networkFullHelp is every key of the network view, for ?.
func (m Model) networkFullHelp() [][]key.Binding {
	k, pk := m.keys, m.pkeys
	var acts []key.Binding
	if _, ok := m.opts.Network.(PeerRemover); ok {
		// y and n only answer the question d asks: not keys of their own.
		acts = append(acts, common.WithHelp(pk.Remove, "d", "remove the peer (asks y/n)"))
	}
	if _, ok := m.opts.Network.(reorgSource); ok {
		acts = append(acts, pk.Stale)
	}
	groups := [][]key.Binding{k.NavKeys.Bindings()}
	if len(acts) > 0 {
		groups = append(groups, acts)
	}
	return append(groups, []key.Binding{k.Help, common.WithHelp(k.Back, "esc/w", "close"), k.Quit})
}

// peerAt is the peer whose row the network view draws on screen line y.
// The box is centred and its rows wrap a peer's failure under it, so the
// row is found in the drawn screen: the one line that holds the peer's URL
// in the URL column, as peerRows fits it, followed by the column gap.
func (m Model) peerAt(y int) (int, bool) {
	lines := strings.Split(m.View(), "\n")
	if y < 0 || y >= len(lines) {
		return 0, false
	}
	line := ansi.Strip(lines[y])
	urlW := peerURLWidth(m.lay.network - 2)
	for i, p := range m.peers {
		if strings.Contains(line, common.Fit(p.URL, urlW)+"  ") {
			return i, true
		}
	}
	return 0, false
}
