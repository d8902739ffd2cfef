package node

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultMaxConns is Options.MaxConns's default: far more than peers and
// a screen need, far fewer than the descriptors a process may open.
const DefaultMaxConns = 1024

// connCap holds the server's connections to a bound. At the bound, a new
// connection takes the place of the one idle the longest (opened and
// never used, or kept alive between requests); when every connection is
// busy with a request, the new one is closed at once. Thousands of idle
// connections thus cost nothing to a client that wants an answer. It is
// safe for concurrent use.
type connCap struct {
	mu    sync.Mutex
	max   int
	conns map[net.Conn]connRecord
	shed  int // connections closed to make room (for tests and logs)
}

type connRecord struct {
	busy  bool
	since time.Time // when it became idle
}

func newConnCap(max int) *connCap {
	return &connCap{max: max, conns: map[net.Conn]connRecord{}}
}

// track follows the server's connection states (http.Server.ConnState).
func (c *connCap) track(conn net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch state {
	case http.StateNew, http.StateIdle:
		if _, kept := c.conns[conn]; !kept && state == http.StateIdle {
			return // closed to make room meanwhile
		}
		c.conns[conn] = connRecord{since: time.Now()}
	case http.StateActive:
		if _, ok := c.conns[conn]; ok {
			c.conns[conn] = connRecord{busy: true}
		}
	default: // closed or hijacked
		delete(c.conns, conn)
	}
}

// admit reports whether a connection just accepted may be served, making
// room by closing the connection idle the longest when at the bound.
func (c *connCap) admit() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.conns) < c.max {
		return true
	}
	var oldest net.Conn
	var since time.Time
	for conn, r := range c.conns {
		if !r.busy && (oldest == nil || r.since.Before(since)) {
			oldest, since = conn, r.since
		}
	}
	if oldest == nil {
		return false
	}
	delete(c.conns, oldest)
	c.shed++
	oldest.Close()
	return true
}

// counts returns the connections held and those closed to make room.
func (c *connCap) counts() (held, shed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.conns), c.shed
}

// cappedListener accepts through a connCap.
type cappedListener struct {
	net.Listener
	cap *connCap
}

func (l cappedListener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.cap.admit() {
			return conn, nil
		}
		conn.Close() // every connection is busy: this one waits its turn elsewhere
	}
}
