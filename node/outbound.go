package node

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// NodeIDHeader carries a node's random identity on every request it sends
// and every answer it gives, so that a node reaching itself under another
// name (localhost, 0.0.0.0, a second interface, a proxy) knows it.
const NodeIDHeader = "X-Blockscope-Node"

// ErrSelf is returned by an exchange that reached this node itself.
var ErrSelf = errors.New("that address reaches this node itself")

// errTargetRefused marks a peer address the node will not contact.
var errTargetRefused = errors.New("address refused")

// newNodeID returns a random identity for NodeIDHeader.
func newNodeID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// dialControl refuses connections no peer needs and an attacker wants: to
// link-local addresses (cloud metadata services at 169.254.169.254, fe80::),
// unspecified and multicast addresses, and our own listening port on this
// machine. It judges the address actually dialled, after name resolution,
// so a name that resolves inward is caught too.
func (n *Node) dialControl(_ context.Context, _, address string, _ syscall.RawConn) error {
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", errTargetRefused, address)
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return fmt.Errorf("%w: %s is not an IP address", errTargetRefused, host)
	}
	switch {
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return fmt.Errorf("%w: %s is link-local", errTargetRefused, ip)
	case ip.IsUnspecified():
		return fmt.Errorf("%w: %s is unspecified", errTargetRefused, ip)
	case ip.IsMulticast():
		return fmt.Errorf("%w: %s is multicast", errTargetRefused, ip)
	}
	port, _ := strconv.Atoi(portText)
	if n.isOwnAddress(ip, port) {
		return fmt.Errorf("%w: %s is this node's own address: %w", errTargetRefused, address, ErrSelf)
	}
	return nil
}

// isOwnAddress reports whether ip:port is a listener of this node: its
// port on loopback, on an address it listens on, or on one of this
// machine's interfaces when it listens on all of them.
func (n *Node) isOwnAddress(ip net.IP, port int) bool {
	n.selfMu.RLock()
	defer n.selfMu.RUnlock()
	for _, l := range n.listeners {
		if l.Port != port {
			continue
		}
		if ip.IsLoopback() || l.IP.Equal(ip) {
			return true
		}
		if l.IP.IsUnspecified() {
			for _, local := range n.localIPs {
				if local.Equal(ip) {
					return true
				}
			}
		}
	}
	return false
}

// sameHostRedirect lets a peer redirect only within its own scheme, host
// and port (a path that moved), never to another address the node would
// then post to.
func sameHostRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("too many redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("redirect from %s to %s://%s refused: only the same host and port are followed", first.Host, req.URL.Scheme, req.URL.Host)
	}
	return nil
}

// contactBudget bounds how often callers of the API can make the node
// contact an address it does not know yet (POST /register_with): a token
// bucket of burst tokens refilled one per every. It is safe for concurrent
// use.
type contactBudget struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	every  time.Duration
	last   time.Time
}

// Defaults of the contact budget: a person registering with a handful of
// nodes never notices; a script probing a network gets ten addresses a
// minute.
const (
	contactBurst = 10
	contactEvery = 6 * time.Second
)

func newContactBudget(burst int, every time.Duration) *contactBudget {
	return &contactBudget{tokens: float64(burst), burst: float64(burst), every: every}
}

// take spends a token and returns 0, or returns how long until one is due.
func (b *contactBudget) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+float64(now.Sub(b.last))/float64(b.every))
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(b.every))
}
