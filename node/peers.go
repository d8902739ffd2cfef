package node

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxURLLength bounds a peer URL; nothing legitimate comes near it, and it
// keeps a hostile /register_node from parking megabytes in the peer list.
const maxURLLength = 2048

// NormalizeURL returns the one form under which a peer's base URL is stored
// and compared: scheme http or https, lowercase scheme and host, no user
// info, query or fragment, and a path ending in "/", as the tutorial's nodes
// write peers so that "{peer}chain" is the peer's /chain.
// "http://127.0.0.1:5000" and "http://127.0.0.1:5000/" both become the latter.
func NormalizeURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", errors.New("peer URL is empty")
	}
	if len(s) > maxURLLength {
		return "", fmt.Errorf("peer URL is longer than %d characters", maxURLLength)
	}
	if !strings.Contains(s, "://") {
		return "", fmt.Errorf("peer URL %q must start with http:// or https://", raw)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("peer URL %q does not parse: %w", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("peer URL %q: scheme %q is not allowed, only http and https", raw, u.Scheme)
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("peer URL %q has no host", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("peer URL %q must not carry a user name or password", raw)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", fmt.Errorf("peer URL %q must not have a query or fragment", raw)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("peer URL %q: port %q is not between 1 and 65535", raw, p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("peer URL %q has an empty port", raw)
	}
	u.Scheme = scheme
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u.String(), nil
}

// URLForListenAddr returns the base URL peers reach a node listening on addr
// (host:port) at, e.g. "http://127.0.0.1:8000/". An unspecified host
// (":8000", "0.0.0.0:8000", "[::]:8000") becomes 127.0.0.1, the one address
// certain to reach the listener; a node that wants to be reached from other
// machines sets its URL explicitly.
func URLForListenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return NormalizeURL("http://" + net.JoinHostPort(host, port) + "/")
}

// PeerState says how a peer's chain compares with ours, as far as this node
// last heard.
type PeerState int

// The states of a peer.
const (
	// PeerUnknown: not contacted since this node started.
	PeerUnknown PeerState = iota
	// PeerInSync: the same chain as ours, as far as we last heard.
	PeerInSync
	// PeerBehind: a shorter chain than ours.
	PeerBehind
	// PeerAhead: a longer chain than ours.
	PeerAhead
	// PeerForked: as long as ours, but with another tip.
	PeerForked
	// PeerUnreachable: the last exchange failed (refused, timed out).
	PeerUnreachable
	// PeerFaulty: it answered, with something we cannot use (not JSON,
	// an invalid chain, an error status).
	PeerFaulty
)

var peerStateNames = [...]string{"unknown", "in sync", "behind", "ahead", "forked", "unreachable", "faulty"}

func (s PeerState) String() string {
	if s < 0 || int(s) >= len(peerStateNames) {
		return fmt.Sprintf("PeerState(%d)", int(s))
	}
	return peerStateNames[s]
}

// PeerStatus is what this node knows of one peer.
type PeerStatus struct {
	// URL is the peer's normalised base URL (ending in "/").
	URL string
	// State compares the peer's chain, as last seen, with ours now.
	State PeerState
	// Length is the peer's chain length when we last heard, 0 when unknown.
	Length int
	// TipHash is the hash of the peer's newest block when we last heard.
	TipHash string
	// LastContact is when the peer last answered usefully (zero: never).
	LastContact time.Time
	// LastAttempt is when we last tried to reach it (zero: never).
	LastAttempt time.Time
	// LastError says why the last exchange failed, "" when it succeeded.
	LastError string
	// Failures counts the exchanges that failed since the last success.
	Failures int
}

// errPeersFull is returned when the peer list has reached Options.MaxPeers.
var errPeersFull = errors.New("the peer list is full")

// peerInfo is the mutable record of one peer, guarded by peerBook.mu.
type peerInfo struct {
	length      int
	tip         string
	observedAt  time.Time // when the exchange that told us length and tip began
	lastContact time.Time
	lastAttempt time.Time
	lastErr     string
	faulty      bool
	added       time.Time
	failures    int       // failed exchanges since the last success
	failingSo   time.Time // when the current run of failures began (zero: none)
	id          string    // the peer's NodeIDHeader, from its answers (see peerid.go)
}

// working reports whether the peer answered usefully the last time.
func (p *peerInfo) working() bool { return p.lastErr == "" && !p.lastContact.IsZero() }

// worse reports whether p is a better candidate for eviction than q:
// failing peers before untried ones, then the one failing most (or, among
// untried, the one added first).
func (p *peerInfo) worse(q *peerInfo) bool {
	pf, qf := p.lastErr != "", q.lastErr != ""
	switch {
	case pf != qf:
		return pf
	case pf && p.failures != q.failures:
		return p.failures > q.failures
	case pf:
		return p.failingSo.Before(q.failingSo)
	}
	return p.added.Before(q.added)
}

// peerBook is the set of peers and what we last heard from each. It is safe
// for concurrent use. Records of a peer removed while an exchange with it was
// under way are dropped, not resurrected.
type peerBook struct {
	mu    sync.Mutex
	peers map[string]*peerInfo
	max   int
}

func newPeerBook(max int) *peerBook {
	return &peerBook{peers: map[string]*peerInfo{}, max: max}
}

// add adds a normalised URL; it reports whether the URL is new. When the
// list is full it evicts the worst peer that is not working (failing, else
// untried: see worse) and returns its URL; when every peer works the list
// stays as it is and add returns errPeersFull.
func (b *peerBook) add(u string, now time.Time) (added bool, evicted string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.peers[u]; ok {
		return false, "", nil
	}
	if len(b.peers) >= b.max {
		var victim *peerInfo
		for v, p := range b.peers {
			if !p.working() && (victim == nil || p.worse(victim)) {
				victim, evicted = p, v
			}
		}
		if victim == nil {
			return false, "", fmt.Errorf("%w (%d peers, all answering)", errPeersFull, b.max)
		}
		delete(b.peers, evicted)
	}
	b.peers[u] = &peerInfo{added: now}
	return true, evicted, nil
}

// due returns the peers not backed off at now: a peer that failed k >=
// backoffAfter times in a row waits backoffBase·2^(k-backoffAfter), at most
// backoffMax, after its last attempt. A peer that failed once or twice (a
// restart, a partition healing) is still tried at once.
func (b *peerBook) due(now time.Time) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.peers))
	for u, p := range b.peers {
		if p.failures < backoffAfter || !now.Before(p.lastAttempt.Add(backoff(p.failures))) {
			out = append(out, u)
		}
	}
	sort.Strings(out)
	return out
}

// Backoff of failing peers: after backoffAfter failures in a row,
// announcements and rounds skip them for backoffBase, doubled per further
// failure, up to backoffMax.
const (
	backoffAfter = 3
	backoffBase  = 2 * time.Second
	backoffMax   = 5 * time.Minute
)

func backoff(failures int) time.Duration {
	if failures < backoffAfter {
		return 0
	}
	return min(backoffMax, backoffBase<<min(failures-backoffAfter, 20))
}

// forgetFailing removes the peers that have failed every exchange for at
// least after (and at least three times) and returns them.
func (b *peerBook) forgetFailing(now time.Time, after time.Duration) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var gone []string
	for u, p := range b.peers {
		if p.failures >= 3 && !p.failingSo.IsZero() && now.Sub(p.failingSo) >= after {
			delete(b.peers, u)
			gone = append(gone, u)
		}
	}
	sort.Strings(gone)
	return gone
}

func (b *peerBook) remove(u string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.peers[u]
	delete(b.peers, u)
	return ok
}

func (b *peerBook) has(u string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.peers[u]
	return ok
}

// urls returns the peers' URLs, sorted.
func (b *peerBook) urls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.peers))
	for u := range b.peers {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// seen records a successful exchange that began at asked; length 0 means
// it told us nothing about the peer's chain. Exchanges overlap (a consensus
// round, an announcement), so an answer older than the one already recorded
// does not overwrite it.
func (b *peerBook) seen(u string, length int, tip string, asked time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.peers[u]
	if !ok {
		return
	}
	if length > 0 && !asked.Before(p.observedAt) {
		p.length, p.tip, p.observedAt = length, tip, asked
	}
	now := time.Now()
	p.lastContact, p.lastAttempt = now, now
	p.lastErr, p.faulty = "", false
	p.failures, p.failingSo = 0, time.Time{}
}

// failed records a failed exchange and reports whether the peer was fine
// before, so that a peer that stays down is reported once, not on every retry.
func (b *peerBook) failed(u string, why string, faulty bool, at time.Time) (newlyFailing bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p, ok := b.peers[u]
	if !ok {
		return false
	}
	newlyFailing = p.lastErr == "" || p.faulty != faulty
	p.lastAttempt = at
	p.lastErr, p.faulty = why, faulty
	p.failures++
	if p.failingSo.IsZero() {
		p.failingSo = at
	}
	return newlyFailing
}

// status returns every peer's status against our chain's length and tip.
func (b *peerBook) status(ourLen int, ourTip string) []PeerStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]PeerStatus, 0, len(b.peers))
	for u, p := range b.peers {
		s := PeerStatus{URL: u, Length: p.length, TipHash: p.tip, LastContact: p.lastContact, LastAttempt: p.lastAttempt, LastError: p.lastErr, Failures: p.failures}
		switch {
		case p.lastErr != "" && p.faulty:
			s.State = PeerFaulty
		case p.lastErr != "":
			s.State = PeerUnreachable
		case p.length == 0:
			s.State = PeerUnknown
		case p.length < ourLen:
			s.State = PeerBehind
		case p.length > ourLen:
			s.State = PeerAhead
		case p.tip != ourTip:
			s.State = PeerForked
		default:
			s.State = PeerInSync
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}
