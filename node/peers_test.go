package node

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "http://127.0.0.1:5000", want: "http://127.0.0.1:5000/"},
		{in: "http://127.0.0.1:5000/", want: "http://127.0.0.1:5000/"},
		{in: "http://127.0.0.1:5000//", want: "http://127.0.0.1:5000/"},
		{in: "  HTTP://LocalHost:8000  ", want: "http://localhost:8000/"},
		{in: "https://node.example/api", want: "https://node.example/api/"},
		{in: "http://[::1]:8000", want: "http://[::1]:8000/"},
		{in: "", err: "empty"},
		{in: "127.0.0.1:5000", err: "must start with http://"},
		{in: "localhost", err: "must start with http://"},
		{in: "ftp://127.0.0.1/", err: `scheme "ftp" is not allowed`},
		{in: "file:///etc/passwd", err: "not allowed"},
		{in: "javascript:alert(1)", err: "must start with http://"},
		{in: "http://", err: "no host"},
		{in: "http://:8000/", err: "no host"},
		{in: "http://user:pw@127.0.0.1:8000/", err: "user name"},
		{in: "http://127.0.0.1:8000/?x=1", err: "query"},
		{in: "http://127.0.0.1:8000/#top", err: "fragment"},
		{in: "http://127.0.0.1:99999/", err: "port"},
		{in: "http://127.0.0.1:/", err: "empty port"},
		{in: "http://127.0.0.1:8000/" + strings.Repeat("a", 3000), err: "longer than"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NormalizeURL(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestURLForListenAddr(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1:8000", "http://127.0.0.1:8000/"},
		{":8000", "http://127.0.0.1:8000/"},
		{"0.0.0.0:8000", "http://127.0.0.1:8000/"},
		{"[::]:8000", "http://127.0.0.1:8000/"},
		{"[::1]:8000", "http://[::1]:8000/"},
		{"localhost:9", "http://localhost:9/"},
	}
	for _, tt := range tests {
		if got, err := URLForListenAddr(tt.addr); err != nil || got != tt.want {
			t.Errorf("URLForListenAddr(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	if _, err := URLForListenAddr("no-port"); err == nil {
		t.Error("URLForListenAddr without a port: want an error")
	}
}

func TestPeerStates(t *testing.T) {
	b := newPeerBook(10)
	now := time.Unix(1700000000, 0)
	peers := map[string]PeerState{
		"http://a/": PeerUnknown,
		"http://b/": PeerInSync,
		"http://c/": PeerBehind,
		"http://d/": PeerAhead,
		"http://e/": PeerForked,
		"http://f/": PeerUnreachable,
		"http://g/": PeerFaulty,
	}
	for u := range peers {
		if added, _, err := b.add(u, now); !added || err != nil {
			t.Fatalf("add %s = %v, %v", u, added, err)
		}
	}
	b.seen("http://b/", 5, "tip", now)
	b.seen("http://c/", 3, "old", now)
	b.seen("http://d/", 9, "new", now)
	b.seen("http://e/", 5, "other", now)
	if !b.failed("http://f/", "connection refused", false, now) {
		t.Error("a first failure must be reported")
	}
	if b.failed("http://f/", "connection refused", false, now) {
		t.Error("a repeated failure must not be reported again")
	}
	b.seen("http://g/", 5, "tip", now)
	if !b.failed("http://g/", "not JSON", true, now) {
		t.Error("a peer that starts sending garbage must be reported")
	}
	got := b.status(5, "tip")
	if len(got) != len(peers) {
		t.Fatalf("status lists %d peers, want %d", len(got), len(peers))
	}
	for i, s := range got {
		if i > 0 && got[i-1].URL >= s.URL {
			t.Errorf("status not sorted: %s before %s", got[i-1].URL, s.URL)
		}
		if s.State != peers[s.URL] {
			t.Errorf("%s: state %v, want %v", s.URL, s.State, peers[s.URL])
		}
	}
	if got[5].LastError != "connection refused" || !got[5].LastContact.IsZero() || got[5].LastAttempt != now {
		t.Errorf("unreachable peer status = %+v", got[5])
	}
	// A success clears the failure.
	b.seen("http://f/", 5, "tip", now)
	if s := b.status(5, "tip")[5]; s.State != PeerInSync || s.LastError != "" {
		t.Errorf("after recovering: %+v", s)
	}
	// Removed peers are not resurrected by late records.
	b.remove("http://a/")
	b.seen("http://a/", 5, "tip", now)
	if b.has("http://a/") {
		t.Error("a late record re-added a removed peer")
	}
}

// TestPeerBookEviction fills a book of two and adds a third peer: the
// worst peer that is not working makes room, never a working one.
func TestPeerBookEviction(t *testing.T) {
	now := time.Unix(1700000000, 0)
	const (
		working = iota
		untried
		failing
		failingMore
	)
	set := func(b *peerBook, u string, kind int) {
		b.add(u, now)
		switch kind {
		case working:
			b.seen(u, 3, "tip", now)
		case failing:
			b.failed(u, "refused", false, now)
		case failingMore:
			b.failed(u, "refused", false, now)
			b.failed(u, "refused", false, now)
		}
	}
	tests := []struct {
		name    string
		a, b    int
		evicted string // "" with errPeersFull
	}{
		{"both working", working, working, ""},
		{"an untried one goes", working, untried, "http://b/"},
		{"a failing one goes before an untried one", failing, untried, "http://a/"},
		{"the one failing most goes", failing, failingMore, "http://b/"},
		{"of two untried, the first added", untried, untried, "http://a/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newPeerBook(2)
			set(b, "http://a/", tt.a)
			now = now.Add(time.Second)
			set(b, "http://b/", tt.b)
			if added, _, err := b.add("http://a/", now); added || err != nil {
				t.Fatalf("re-adding a peer = %v, %v; want false, nil", added, err)
			}
			added, evicted, err := b.add("http://c/", now)
			if tt.evicted == "" {
				if added || !errors.Is(err, errPeersFull) {
					t.Fatalf("adding to a full book of working peers: %v, %v; want errPeersFull", added, err)
				}
				return
			}
			if !added || err != nil || evicted != tt.evicted || b.has(tt.evicted) || !b.has("http://c/") {
				t.Fatalf("add = %v, %q, %v; want %s evicted", added, evicted, err, tt.evicted)
			}
		})
	}
}

// TestPeerBookBackoffAndForgetting follows a peer that keeps failing: it
// is backed off longer after each failure, and forgotten after long enough.
func TestPeerBookBackoffAndForgetting(t *testing.T) {
	now := time.Unix(1700000000, 0)
	b := newPeerBook(4)
	b.add("http://dead/", now)
	b.add("http://alive/", now)
	b.seen("http://alive/", 2, "tip", now)
	for i := range 6 {
		b.failed("http://dead/", "refused", false, now)
		if i+1 < backoffAfter {
			if due := b.due(now); len(due) != 2 {
				t.Fatalf("after %d failures, a peer must still be tried at once: %v", i+1, due)
			}
			continue
		}
		if due := b.due(now.Add(backoff(i+1) - time.Millisecond)); len(due) != 1 {
			t.Fatalf("after %d failures, due just before the backoff: %v", i+1, due)
		}
		if due := b.due(now.Add(backoff(i + 1))); len(due) != 2 {
			t.Fatalf("after %d failures, due once the backoff passed: %v", i+1, due)
		}
		now = now.Add(time.Hour)
	}
	if gone := b.forgetFailing(now, 5*time.Hour); len(gone) != 0 {
		t.Fatalf("forgotten too early: %v", gone)
	}
	if gone := b.forgetFailing(now, 3*time.Hour); len(gone) != 1 || gone[0] != "http://dead/" || !b.has("http://alive/") {
		t.Fatalf("forgetFailing = %v; want only the dead peer", gone)
	}
}
