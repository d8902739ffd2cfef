package ui

import (
	"strings"
	"testing"
	"time"

	"blockscope/node"
)

func TestPeerSummary(t *testing.T) {
	dead := askedPeer{url: "http://127.0.0.1:1", err: "connection refused"}
	tests := []struct {
		name    string
		peers   []node.PeerStatus
		waiting []askedPeer
		want    string
	}{
		{"none", nil, nil, "0 peers"},
		{"a --peer still registering", nil, []askedPeer{{url: "http://127.0.0.1:1"}}, "1 peer"},
		{"a --peer refused", nil, []askedPeer{dead}, "1 peer (1 down)"},
		{"a live node and a refused --peer", []node.PeerStatus{{URL: "http://127.0.0.1:5001/", State: node.PeerInSync}}, []askedPeer{dead}, "2 peers (1 down)"},
		{"listed peers down", []node.PeerStatus{{State: node.PeerUnreachable}, {State: node.PeerFaulty}, {State: node.PeerBehind}}, nil, "3 peers (2 down)"},
	}
	for _, tt := range tests {
		if got := peerSummary(tt.peers, tt.waiting); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGoldenNetworkPeerCount: the header and the network view's title
// count the same peers: with only a dead --peer, and once a live node has
// registered beside it.
func TestGoldenNetworkPeerCount(t *testing.T) {
	tests := []struct {
		name  string
		peers []node.PeerStatus
		want  string
	}{
		{"DeadPeerOnly", nil, "1 peer (1 down)"},
		{"LiveNodeAndDeadPeer", []node.PeerStatus{{URL: "http://127.0.0.1:5001/", State: node.PeerInSync, Length: 4, LastContact: testNow.Add(-2 * time.Second)}}, "2 peers (1 down)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := &scriptNetwork{events: make(chan node.Event, 4), peers: tt.peers}
			g := startGolden(t, 100, 30, func(o *Options) {
				o.Network = net
				o.Peers = []string{"http://127.0.0.1:1"}
			})
			g.waitScreen(t, "pay bob 5")
			g.tm.Send(StatusMsg{Text: "register with http://127.0.0.1:1: connection refused", Err: true,
				Peer: "http://127.0.0.1:1", Why: "connection refused", Retry: 30 * time.Second})
			g.keys("w")
			g.waitScreen(t, "tried again")
			view := g.finishView(t)
			header, _, _ := strings.Cut(view, "\n")
			if !strings.Contains(header, tt.want) || !strings.Contains(view, "Network · "+tt.want) {
				t.Errorf("header and title should both say %q:\n%s", tt.want, view)
			}
		})
	}
}
