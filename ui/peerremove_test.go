package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/node"
)

// removableNetwork is a scriptNetwork whose peers can be removed.
type removableNetwork struct {
	scriptNetwork
	mu      sync.Mutex
	removed []string
	err     error
}

func (n *removableNetwork) Peers() []node.PeerStatus {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]node.PeerStatus(nil), n.peers...)
}

func (n *removableNetwork) RemovePeer(url string) (bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err != nil {
		return false, n.err
	}
	for i, p := range n.peers {
		if p.URL == url {
			n.peers = append(n.peers[:i], n.peers[i+1:]...)
			n.removed = append(n.removed, url)
			return true, nil
		}
	}
	return false, nil
}

// TestNetworkViewRemovesAPeer: in the network view j picks a peer, d asks,
// n keeps it, and d then y removes it through the node, and the view and
// the status line say so.
func TestNetworkViewRemovesAPeer(t *testing.T) {
	net := &removableNetwork{scriptNetwork: scriptNetwork{events: make(chan node.Event), peers: []node.PeerStatus{
		{URL: "http://127.0.0.1:9001/"}, {URL: "http://127.0.0.1:9002/"},
	}}}
	h := newHarness(t, func(o *Options) { o.Network = net })
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.keys("w", "j", "d")
	h.mustContain("Remove peer http://127.0.0.1:9002/?", "y removes it")
	h.keys("n")
	if strings.Contains(h.view(), "Remove peer") || len(net.Peers()) != 2 {
		t.Fatal("n did not keep the peer")
	}
	h.keys("d", "y")
	h.until("removed", func(m Model) bool { return strings.Contains(m.View(), "removed peer http://127.0.0.1:9002/") })
	if len(net.removed) != 1 || net.removed[0] != "http://127.0.0.1:9002/" {
		t.Fatalf("removed %v, want the second peer", net.removed)
	}
	h.mustContain("Network · 1 peer")
	if !h.m.modes.has(modeNetwork) {
		t.Fatal("removing a peer closed the network view")
	}

	net.err = errors.New("disk full")
	h.keys("d", "y")
	h.until("failure shown", func(m Model) bool {
		return strings.Contains(m.View(), "could not remove peer http://127.0.0.1:9001/: disk full")
	})
}

// TestNetworkViewClickPicksAPeer: with the mouse, a click on a peer's row
// in the network view picks that peer (the row d then asks about); a click
// elsewhere in the box leaves the pick alone.
func TestNetworkViewClickPicksAPeer(t *testing.T) {
	peers := []node.PeerStatus{{URL: "http://127.0.0.1:9001/"}, {URL: "http://127.0.0.1:9002/"}, {URL: "http://127.0.0.1:900/"}}
	tests := []struct {
		name     string
		clickURL string // the peer whose row is clicked; "" clicks the title line
		want     int
	}{
		{"second row", "http://127.0.0.1:9002/", 1},
		{"a URL close to another", "http://127.0.0.1:900/", 2},
		{"not a row", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net := &removableNetwork{scriptNetwork: scriptNetwork{events: make(chan node.Event), peers: append([]node.PeerStatus(nil), peers...)}}
			h := newHarness(t, func(o *Options) { o.Network = net })
			h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
			h.keys("w")
			y := lineWith(t, h.view(), "Network ·")
			if tc.clickURL != "" {
				y = lineWith(t, h.view(), tc.clickURL+" ")
			}
			h.send(tea.MouseMsg{X: 30, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
			h.keys("d")
			want := "Remove peer " + peers[tc.want].URL + "?"
			if !strings.Contains(h.view(), want) {
				t.Errorf("after the click, d asks about another peer; want %q:\n%s", want, h.view())
			}
		})
	}
}

// lineWith is the index of the first line of view that holds s.
func lineWith(t *testing.T, view, s string) int {
	t.Helper()
	for i, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	t.Fatalf("no line holds %q:\n%s", s, view)
	return 0
}
