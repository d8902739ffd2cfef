package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// nodeStart says how to start a node beside a chain; the terminal UI and
// serve both start theirs with startNode.
type nodeStart struct {
	// ln is the API's listener, opened by the caller (the UI shows why it
	// could not listen; serve gives up); the node takes it over.
	ln net.Listener
	// self is the URL sent to peers when registering; "" means the
	// listener's own (http://host:port/).
	self string
	// opts are the node's options; startNode sets SelfURL.
	opts node.Options
}

// startedNode is a node serving its API, and how to stop it.
type startedNode struct {
	*node.Node
	// URL is the API's base URL, from its listener.
	URL string

	served      chan error
	registering sync.WaitGroup
}

// startNode creates the node over chain and store and serves the API on
// s.ln until ctx ends. On an error the listener is closed and nothing runs.
func startNode(ctx context.Context, chain *blockchain.Chain, store *blockchain.Store, s nodeStart) (*startedNode, error) {
	url, err := node.URLForListenAddr(s.ln.Addr().String())
	if err != nil {
		s.ln.Close()
		return nil, err
	}
	// The URL is set before Serve starts, so that registering with the
	// peers never races its derivation.
	s.opts.SelfURL = s.self
	if s.opts.SelfURL == "" {
		s.opts.SelfURL = url
	}
	nd, err := node.New(chain, store, s.opts)
	if err != nil {
		s.ln.Close()
		return nil, fmt.Errorf("start the node: %w", err)
	}
	sn := &startedNode{Node: nd, URL: url, served: make(chan error, 1)}
	go func() { sn.served <- nd.Serve(ctx, s.ln) }()
	return sn, nil
}

// registerRetry is how long Register waits before it tries again the
// peers it could not reach: a peer started after this node is found then.
const registerRetry = node.DefaultSyncInterval

// registered is the outcome of one try at registering with a --peer node.
type registered struct {
	peer  string
	res   node.RegisterResult
	err   error
	retry time.Duration // when a failed try is made again; 0: never
}

// Register registers with each of peers in turn, in the background, and
// reports each outcome to report (from that goroutine) until ctx ends.
// A peer that could not be reached or answered wrongly (a *node.PeerError)
// is tried again every retry, when retry > 0, until it is registered with.
func (sn *startedNode) Register(ctx context.Context, peers []string, retry time.Duration, report func(registered)) {
	sn.registering.Add(1)
	go func() {
		defer sn.registering.Done()
		for len(peers) > 0 {
			var again []string
			for _, p := range peers {
				res, err := sn.RegisterWith(ctx, p)
				if ctx.Err() != nil {
					return
				}
				r := registered{peer: p, res: res, err: err}
				var pe *node.PeerError
				if errors.As(err, &pe) && retry > 0 {
					r.retry = retry
					again = append(again, p)
				}
				report(r)
			}
			peers = again
			if len(peers) > 0 && !waitOrDone(ctx, retry) {
				return
			}
		}
	}()
}

// waitOrDone waits d and reports true, or false when ctx ends first.
func waitOrDone(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Wait waits until the API has stopped (ctx ended, or it failed) and the
// registrations have returned, closes the node and returns why the API
// stopped when it failed. Call it once.
func (sn *startedNode) Wait() error {
	err := <-sn.served
	sn.registering.Wait()
	sn.Close()
	return err
}

// listenAPI opens the API's listener on addr; "off" (or "") means none,
// and returns a nil listener and error.
func listenAPI(addr string) (net.Listener, error) {
	if addr == "" || addr == "off" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// isLoopback reports whether a listener's address is on the loopback
// interface only. An unspecified address (0.0.0.0, ::) listens everywhere.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
