package localnet

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// PartitionError is what a node's request across a cut link fails with,
// as a refused connection would.
type PartitionError struct {
	From, To string
}

func (e *PartitionError) Error() string {
	return fmt.Sprintf("network partition: the link %s to %s is cut", e.From, e.To)
}

// links is the state of every link: its added one-way latency and whether
// the network is split. It is safe for concurrent use.
type links struct {
	mu      sync.RWMutex
	latency map[[2]int]time.Duration // by (from, to); absent: the default
	def     time.Duration
	split   bool
	side    func(i int) int // which half a node is in when split
}

// get returns the latency from one node to another and whether the link
// is cut.
func (l *links) get(from, to int) (time.Duration, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	d, ok := l.latency[[2]int{from, to}]
	if !ok {
		d = l.def
	}
	return d, l.split && l.side(from) != l.side(to)
}

// linkTransport carries one node's requests to its peers: it waits the
// link's latency before the request leaves and again before the answer
// arrives, and fails requests across a cut link. Requests to hosts it does
// not know (outside peers) count as going to node index -1.
type linkTransport struct {
	from  int
	net   *Network
	base  http.RoundTripper
	links *links
}

// RoundTrip implements http.RoundTripper.
func (t *linkTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	to := t.net.indexOfHost(req.URL.Host)
	d, cut := t.links.get(t.from, to)
	if cut {
		return nil, &PartitionError{From: t.net.name(t.from), To: t.net.name(to)}
	}
	if err := wait(req.Context(), d); err != nil {
		return nil, err
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if err := wait(req.Context(), d); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

// CloseIdleConnections passes the node's Close on to the base transport.
func (t *linkTransport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// wait waits d, or less when ctx ends first (then it returns ctx's error).
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
