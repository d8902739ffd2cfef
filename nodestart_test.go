package main

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// loopbackNode starts a node on ln (a loopback listener) over a fresh
// memory chain; it stops when the test ends.
func loopbackNode(t *testing.T, ln net.Listener) *startedNode {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sn, err := startNode(ctx, blockchain.NewMemoryChain(blockchain.ChainOptions{}), nil, nodeStart{ln: ln, opts: node.Options{SyncInterval: -1}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = sn.Wait()
	})
	return sn
}

// TestRegisterRetriesAPeerThatWasDown: a --peer that refuses connections
// is reported with when it is tried again, and is registered with once it
// is up.
func TestRegisterRetriesAPeerThatWasDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	us := loopbackNode(t, ln)
	// A port with nothing on it: taken, then freed.
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := dead.Addr().String()
	dead.Close()

	reports := make(chan registered, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	us.Register(ctx, []string{"http://" + addr}, 10*time.Millisecond, func(r registered) { reports <- r })
	first := <-reports
	var pe *node.PeerError
	if !errors.As(first.err, &pe) || first.retry != 10*time.Millisecond {
		t.Fatalf("first try: err %v, retry %s; want a peer error tried again in 10ms", first.err, first.retry)
	}
	// The peer comes up on that port.
	up, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the freed port was taken meanwhile: %v", err)
	}
	peer := loopbackNode(t, up)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case r := <-reports:
			if r.err == nil {
				if r.res.Peer != peer.URL {
					t.Fatalf("registered with %q, want %q", r.res.Peer, peer.URL)
				}
				return
			}
		case <-deadline:
			t.Fatal("never registered with the peer once it was up")
		}
	}
}

func TestRegisteredStatus(t *testing.T) {
	refused := &node.PeerError{Peer: "http://127.0.0.1:9/", Op: "register", Err: errors.New("connection refused")}
	tests := []struct {
		name     string
		r        registered
		text     string
		err      bool
		retry    time.Duration
		whyWords string
	}{
		{"refused, tried again", registered{peer: "http://127.0.0.1:9", err: refused, retry: 30 * time.Second},
			"register with http://127.0.0.1:9: peer http://127.0.0.1:9/: register: connection refused (tried again every 30s)", true, 30 * time.Second, "connection refused"},
		{"a bad URL, not tried again", registered{peer: "ftp://x", err: errors.New("scheme not allowed")},
			"register with ftp://x: scheme not allowed", true, 0, "scheme not allowed"},
		{"registered", registered{peer: "http://127.0.0.1:5001", res: node.RegisterResult{Peer: "http://127.0.0.1:5001/", Length: 1}},
			"registered with http://127.0.0.1:5001/ (its chain: 1 block)", false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := registeredStatus(tt.r)
			if msg.Text != tt.text || msg.Err != tt.err || msg.Retry != tt.retry || msg.Peer != tt.r.peer || !strings.Contains(msg.Why, tt.whyWords) {
				t.Errorf("got %+v", msg)
			}
		})
	}
}
