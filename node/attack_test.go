package node

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/internal/cputime"
)

// The attack suite: each test mounts one attack from the hardening review
// on loopback, bounded in count and time, and asserts its cost as a bound.

// TestAttackPoolFlood fills the pending pool by count and by bytes: beyond
// either bound the node answers 503 with Retry-After and the reason, and
// memory holds no more than the bound.
func TestAttackPoolFlood(t *testing.T) {
	big := strings.Repeat("x", 200<<10)
	tests := []struct {
		name     string
		opts     blockchain.ChainOptions
		content  func(i int) string
		accepted int
	}{
		{"count", blockchain.ChainOptions{MaxPendingCount: 50}, func(i int) string { return fmt.Sprint("tx ", i) }, 50},
		{"bytes", blockchain.ChainOptions{MaxPendingBytes: 1 << 20}, func(i int) string { return fmt.Sprint(i, big) }, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := startNode(t, blockchain.NewMemoryChain(tt.opts), nil, Options{})
			for i := range tt.accepted + 3 {
				body := []byte(fmt.Sprintf(`{"author": "flood", "content": %q}`, tt.content(i)))
				resp := postAs(t, tn.url+"new_transaction", "application/json", body)
				want := http.StatusCreated
				if i >= tt.accepted {
					want = http.StatusServiceUnavailable
				}
				if resp.status != want {
					t.Fatalf("transaction %d: status %d %s, want %d", i, resp.status, resp.body, want)
				}
				if want == http.StatusServiceUnavailable && (resp.header.Get("Retry-After") == "" || !strings.Contains(string(resp.body), "pending pool is full")) {
					t.Fatalf("transaction %d: a full pool must say so with Retry-After; got %v %s", i, resp.header, resp.body)
				}
			}
			if got := len(tn.Chain().Pending()); got != tt.accepted {
				t.Fatalf("%d pending, want %d", got, tt.accepted)
			}
		})
	}
}

// TestAttackRegisterWithSSRF turns /register_with inward: at internal
// services that answer secrets, redirect elsewhere, or sit at link-local,
// unspecified or our own addresses. Nothing an internal service says may
// come back to the caller, and refused targets are never dialled.
func TestAttackRegisterWithSSRF(t *testing.T) {
	const secret = "SECRET-METADATA-TOKEN"
	var elsewhereHits atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhereHits.Add(1)
	}))
	defer elsewhere.Close()
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/text/register_node":
			fmt.Fprint(w, secret)
		case "/json/register_node":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"error": %q}`, secret)
		case "/away/register_node":
			http.Redirect(w, r, elsewhere.URL+"/register_node", http.StatusTemporaryRedirect)
		default:
			http.Error(w, secret, http.StatusNotFound)
		}
	}))
	defer internal.Close()
	tn := newMemNode(t, Options{})
	own := strings.Replace(tn.url, "127.0.0.1", "localhost", 1)
	for _, target := range []string{
		internal.URL + "/text/", internal.URL + "/json/", internal.URL + "/missing/", internal.URL + "/away/",
		"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]:80/", "http://0.0.0.0:" + strings.TrimSuffix(strings.Split(tn.url, ":")[2], "/") + "/",
		own,
	} {
		got := postAs(t, tn.url+"register_with", "application/json", []byte(`{"node_address": "`+target+`"}`))
		if got.status < 400 || strings.Contains(string(got.body), secret) {
			t.Errorf("register_with %s: %d %s; want an error in the node's own words", target, got.status, got.body)
		}
	}
	if n := elsewhereHits.Load(); n != 0 {
		t.Errorf("a redirect to another host was followed %d times", n)
	}
	if peers := tn.PeerURLs(); len(peers) != 0 {
		t.Errorf("peers after the attack: %v", peers)
	}
}

// TestAttackSelfUnderOtherNames makes the node take itself for a peer: by
// another name (registered, then caught at the first contact) and behind a
// proxy (caught by the identity it sends and answers with).
func TestAttackSelfUnderOtherNames(t *testing.T) {
	tn := newMemNode(t, Options{})
	target, _ := url.Parse(tn.url)
	proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	defer proxy.Close()
	got := postAs(t, tn.url+"register_with", "application/json", []byte(`{"node_address": "`+proxy.URL+`"}`))
	if got.status == http.StatusOK || !strings.Contains(string(got.body), "this node itself") {
		t.Errorf("register_with a proxy to ourselves: %d %s", got.status, got.body)
	}
	for _, name := range []string{strings.Replace(tn.url, "127.0.0.1", "localhost", 1), proxy.URL + "/"} {
		if got := postAs(t, tn.url+"register_node", "application/json", []byte(`{"node_address": "`+name+`"}`)); got.status != http.StatusOK {
			t.Fatalf("register_node %s: %d %s", name, got.status, got.body)
		}
	}
	if _, err := tn.Sync(context.Background()); err == nil {
		t.Error("a round that reached only ourselves reported no failure")
	}
	if peers := tn.PeerURLs(); len(peers) != 0 {
		t.Errorf("the node kept itself as a peer: %v", peers)
	}
}

// TestAttackRegisterWithProbing makes the node contact many new addresses
// through /register_with: beyond a burst it answers 429 with Retry-After.
func TestAttackRegisterWithProbing(t *testing.T) {
	tn := newMemNode(t, Options{})
	limited := 0
	for i := range contactBurst + 5 {
		got := postAs(t, tn.url+"register_with", "application/json", []byte(fmt.Sprintf(`{"node_address": "http://127.0.0.1:%d/"}`, 1+i)))
		if got.status == http.StatusTooManyRequests {
			limited++
			if got.header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		}
	}
	if limited < 5 {
		t.Fatalf("%d of %d probes were limited, want at least 5", limited, contactBurst+5)
	}
}

// TestAttackJunkRegistrations fills the peer list with 10,000 addresses
// that never answer: a real peer can still join, and the junk is what
// makes room for it.
func TestAttackJunkRegistrations(t *testing.T) {
	a := newMemNode(t, Options{})
	// The first registrations go through the API; the rest take the same
	// path without answering the chain each time, which is not under test.
	for i := range 10_000 {
		junk := fmt.Sprintf("http://127.0.0.1:%d/junk/", 1+i%60000)
		if i < 500 {
			if status, _, body := callHandler(t, a.Node, "POST", "/register_node", `{"node_address": "`+junk+`"}`); status != http.StatusOK {
				t.Fatalf("junk registration %d: %d %s", i, status, body)
			}
			continue
		}
		if _, err := a.addPeer(junk, "junk"); err != nil {
			t.Fatalf("junk registration %d: %v", i, err)
		}
		a.requestSync()
	}
	if n := len(a.PeerURLs()); n > DefaultMaxPeers {
		t.Fatalf("%d peers, more than the bound of %d", n, DefaultMaxPeers)
	}
	b := newMemNode(t, Options{})
	growChain(t, b.Chain(), "b", 1)
	if _, err := b.RegisterWith(context.Background(), a.url); err != nil {
		t.Fatalf("a real peer could not join after the junk: %v", err)
	}
	waitFor(t, 10*time.Second, "the real peer's chain to be adopted", func() bool { return a.Chain().Len() == 2 })
	if !slices.Contains(a.PeerURLs(), b.url) {
		t.Fatalf("the real peer is not in the list: %v", a.PeerURLs())
	}
}

// openFDs counts this process's open file descriptors (Linux).
func openFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count descriptors: %v", err)
	}
	return len(entries)
}

// deadPeers starts n peers that accept connections and never answer (they
// drop a connection once the node gives up on it) and returns their URLs.
func deadPeers(t *testing.T, n int) []string {
	var urls []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					io.Copy(io.Discard, c)
					c.Close()
				}()
			}
		}()
		urls = append(urls, "http://"+ln.Addr().String()+"/")
	}
	return urls
}

// TestAttackDeadPeersAnnouncements mines 300 blocks with 64 peers that
// never answer: goroutines and descriptors stay bounded (before: one
// goroutine and one connection per block and peer).
func TestAttackDeadPeersAnnouncements(t *testing.T) {
	tn := newMemNode(t, Options{PeerTimeout: 500 * time.Millisecond})
	for _, u := range deadPeers(t, 64) {
		if _, err := tn.addPeer(u, "test"); err != nil {
			t.Fatal(err)
		}
	}
	baseG, baseFD := runtime.NumGoroutine(), openFDs(t)
	maxG, maxFD := 0, 0
	for i := range 300 {
		addTx(t, tn.Chain(), "m", fmt.Sprint("block ", i))
		if _, err := tn.Mine(context.Background()); err != nil {
			t.Fatal(err)
		}
		maxG, maxFD = max(maxG, runtime.NumGoroutine()-baseG), max(maxFD, openFDs(t))
	}
	t.Logf("300 blocks, 64 dead peers: at most %d goroutines over the %d before, %d descriptors (%d before)", maxG, baseG, maxFD, baseFD)
	// One sender per peer, one waiting announcement per block in flight,
	// and the dead peers' own goroutines in this process.
	if maxG > 400 {
		t.Errorf("%d goroutines over the baseline, want at most 400", maxG)
	}
	if maxFD >= 256 {
		t.Errorf("%d descriptors, want under 256", maxFD)
	}
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime(t testing.TB) time.Duration {
	d, ok := cputime.Process()
	if !ok {
		t.Skip("this platform does not report CPU time")
	}
	return d
}

// aheadBlock mines a block claiming a far-away index: valid work, cheap
// to make (56 hashes on average at the seed's difficulty).
func aheadBlock(t *testing.T, tag string) []byte {
	tmpl, err := blockchain.NewBlock(999_999_999, []any{map[string]any{"author": "x", "content": tag}}, blockchain.Int("1"), strings.Repeat("ab", 32), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, blockchain.SeedDifficulty)
	if err != nil {
		t.Fatal(err)
	}
	return b.Sealed().WireJSON()
}

// TestAttackReplayedAheadBlocks posts 300 blocks with valid work that
// claim an index far ahead, to a node with a peer of 200 blocks: the same
// block replayed, and fresh ones from one sender. They start at most one
// round per sender and interval (before: one every 250 ms), and the whole
// costs little CPU (before: 18 CPU-s for 300 over 20 s).
func TestAttackReplayedAheadBlocks(t *testing.T) {
	peer := newMemNode(t, Options{})
	growChain(t, peer.Chain(), "p", 200)
	tn := newMemNode(t, Options{})
	if _, err := tn.RegisterWith(context.Background(), peer.url); err != nil {
		t.Fatal(err)
	}
	if tn.Chain().Len() != 201 {
		t.Fatalf("registering adopted %d blocks, want 201", tn.Chain().Len())
	}
	replayed := aheadBlock(t, "replayed")
	fresh := make([][]byte, 300)
	for i := range fresh {
		fresh[i] = aheadBlock(t, fmt.Sprint("fresh ", i))
	}
	for _, tt := range []struct {
		name  string
		block func(i int) []byte
	}{
		{"same block", func(int) []byte { return replayed }},
		{"fresh blocks", func(i int) []byte { return fresh[i] }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rounds, cpu, start := tn.roundsRun.Load(), cpuTime(t), time.Now()
			// Paced as an attacker would, over 3 s: unpaced, the blocks
			// would coalesce into one round even without the gate.
			pace := time.NewTicker(10 * time.Millisecond)
			defer pace.Stop()
			for i := range 300 {
				<-pace.C
				if got := postAs(t, tn.url+"add_block", "application/json", tt.block(i)); got.status != http.StatusBadRequest {
					t.Fatalf("block %d: %d %s", i, got.status, got.body)
				}
			}
			elapsed := time.Since(start)
			ran := tn.roundsRun.Load() - rounds
			used := cpuTime(t) - cpu
			t.Logf("300 blocks in %s: %d rounds, %s CPU", elapsed.Round(time.Millisecond), ran, used.Round(time.Millisecond))
			if limit := 2 + int64(elapsed/roundTriggerGap); ran > limit {
				t.Errorf("%d rounds, want at most %d", ran, limit)
			}
			if used > 3*time.Second {
				t.Errorf("%s of CPU, want under 3 s", used)
			}
		})
	}
}

// TestAttackIdleConnections holds 3,000 connections open without using
// them, and 100 kept alive after a request, against a node capped at 1,024:
// a client is still answered within a second (before: 3,000 idle
// connections delayed it over 5 s, 22,000 by 12-30 s).
func TestAttackIdleConnections(t *testing.T) {
	tn := newMemNode(t, Options{})
	addr := strings.TrimSuffix(strings.TrimPrefix(tn.url, "http://"), "/")
	var held []net.Conn
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})
	for i := range 3_100 {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
		held = append(held, c)
		if i < 100 { // kept alive after one request
			fmt.Fprintf(c, "GET /pending_tx HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
			buf := make([]byte, 512)
			if _, err := c.Read(buf); err != nil {
				t.Fatal(err)
			}
		}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	// Once the node has taken them all, it holds no more than the cap.
	tn.selfMu.RLock()
	conns := tn.connCaps[0]
	tn.selfMu.RUnlock()
	waitFor(t, 30*time.Second, "the node to accept the idle connections", func() bool {
		_, shed := conns.counts()
		return shed >= len(held)-DefaultMaxConns
	})
	if kept, _ := conns.counts(); kept > DefaultMaxConns {
		t.Errorf("the node holds %d connections, more than %d", kept, DefaultMaxConns)
	}
	for i := range 5 {
		start := time.Now()
		resp, err := client.Get(tn.url + "chain")
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if took := time.Since(start); resp.StatusCode != http.StatusOK || took > time.Second {
			t.Fatalf("client %d: status %d after %s, want 200 within 1 s", i, resp.StatusCode, took)
		}
	}
}
