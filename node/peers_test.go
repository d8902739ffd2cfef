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
		if added, err := b.add(u); !added || err != nil {
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

func TestPeerBookLimit(t *testing.T) {
	b := newPeerBook(2)
	for _, u := range []string{"http://a/", "http://b/"} {
		if _, err := b.add(u); err != nil {
			t.Fatal(err)
		}
	}
	if added, err := b.add("http://a/"); added || err != nil {
		t.Errorf("re-adding a peer = %v, %v; want false, nil", added, err)
	}
	if _, err := b.add("http://c/"); !errors.Is(err, errPeersFull) {
		t.Errorf("adding beyond the limit: %v, want errPeersFull", err)
	}
}
