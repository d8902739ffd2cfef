package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"blockscope/blockchain"
)

// drainEvents returns the events queued so far.
func drainEvents(n *Node) []Event {
	var out []Event
	for {
		select {
		case ev, ok := <-n.Events():
			if !ok {
				return out
			}
			out = append(out, ev)
		default:
			return out
		}
	}
}

func countEvents(evs []Event, kind EventKind) int {
	c := 0
	for _, ev := range evs {
		if ev.Kind == kind {
			c++
		}
	}
	return c
}

func TestRegisterWithAdoptsLongerChain(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	growChain(t, a.Chain(), "a", 3)
	addTx(t, b.Chain(), "b", "still pending")

	res, err := b.RegisterWith(context.Background(), strings.TrimSuffix(a.url, "/"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Adopted || res.Length != 4 || res.Peer != a.url || res.Nudged {
		t.Errorf("RegisterWith = %+v", res)
	}
	if got, want := hashes(chainBlocks(b.Chain())), hashes(chainBlocks(a.Chain())); !slices.Equal(got, want) {
		t.Errorf("b did not adopt a's chain:\n%v\n%v", got, want)
	}
	if p := b.Chain().Pending(); len(p) != 1 || p[0].Content() != "still pending" {
		t.Errorf("b's pending pool = %v", p)
	}
	// Both ways: b is a's peer and a is b's.
	if got := a.PeerURLs(); !slices.Equal(got, []string{b.url}) {
		t.Errorf("a's peers = %v, want [%s]", got, b.url)
	}
	if got := b.PeerURLs(); !slices.Equal(got, []string{a.url}) {
		t.Errorf("b's peers = %v, want [%s]", got, a.url)
	}
	st := b.Peers()
	if len(st) != 1 || st[0].State != PeerInSync || st[0].Length != 4 || st[0].LastContact.IsZero() {
		t.Errorf("b's view of a = %+v", st)
	}
	evs := drainEvents(b.Node)
	if countEvents(evs, EventChainAdopted) != 1 || countEvents(evs, EventPeerAdded) != 1 {
		t.Errorf("b's events = %v", evs)
	}
	// The event says which blocks are new here: b had only the genesis.
	for _, ev := range evs {
		if ev.Kind == EventChainAdopted && (ev.Index != 1 || ev.Length != 4) {
			t.Errorf("adopted event Index %d Length %d, want blocks 1..3 new (Index 1, Length 4)", ev.Index, ev.Length)
		}
	}
}

func TestRegisterWithNudgesShorterPeer(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	growChain(t, a.Chain(), "a", 3)

	res, err := a.RegisterWith(context.Background(), b.url)
	if err != nil {
		t.Fatal(err)
	}
	// b's answer to /register_node is its chain as it is when written, and
	// b starts a round with its new peer a at once: either b still had
	// only the genesis and a nudged it, or b's round won and the answer
	// was already a's chain, so there was nothing to nudge.
	nudged := !res.Adopted && res.Nudged && res.Length == 1
	alreadySynced := !res.Adopted && !res.Nudged && res.Length == 4
	if !nudged && !alreadySynced {
		t.Errorf("RegisterWith = %+v, want a nudge of a 1-block peer, or a peer already at 4 blocks", res)
	}
	// The nudge runs inside RegisterWith: b has a's chain when it returns.
	if got, want := hashes(chainBlocks(b.Chain())), hashes(chainBlocks(a.Chain())); !slices.Equal(got, want) {
		t.Errorf("b did not adopt a's longer chain:\n%v\n%v", got, want)
	}
	if !slices.Equal(a.PeerURLs(), []string{b.url}) || !slices.Equal(b.PeerURLs(), []string{a.url}) {
		t.Errorf("peers: a %v, b %v", a.PeerURLs(), b.PeerURLs())
	}
}

func TestRegisterWithLearnsPeersOfPeer(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	c := newMemNode(t, Options{})
	if _, err := c.RegisterWith(context.Background(), a.url); err != nil {
		t.Fatal(err)
	}
	res, err := b.RegisterWith(context.Background(), a.url)
	if err != nil {
		t.Fatal(err)
	}
	// a knows c and b; b learns c, and not itself.
	want := []string{a.url, c.url}
	slices.Sort(want)
	if res.PeersLearned != 1 || !slices.Equal(b.PeerURLs(), want) {
		t.Errorf("b learned %d peers: %v, want %v", res.PeersLearned, b.PeerURLs(), want)
	}
}

func TestRegisterWithItself(t *testing.T) {
	a := newMemNode(t, Options{})
	if _, err := a.RegisterWith(context.Background(), a.url); err == nil || !strings.Contains(err.Error(), "own URL") {
		t.Errorf("registering with ourselves: %v", err)
	}
	status, _, body := post(t, a.url+"register_with", []byte(`{"node_address": "`+a.url+`"}`), false)
	if status != 400 || !strings.Contains(string(body), "own URL") {
		t.Errorf("POST /register_with our own URL: %d %s", status, body)
	}
	if len(a.PeerURLs()) != 0 {
		t.Errorf("peers = %v", a.PeerURLs())
	}
}

func TestRegisterWithEndpoint(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	growChain(t, a.Chain(), "a", 2)
	status, _, body := post(t, b.url+"register_with", []byte(`{"node_address": "`+a.url+`"}`), false)
	obj := decodeObject(t, body)
	if status != 200 || obj["adopted"] != true || obj["length"] != blockchain.Int("3") || obj["status"] != "Registration successful" {
		t.Fatalf("POST /register_with: %d %s", status, body)
	}
	dead := "http://" + closedAddr(t) + "/"
	status, header, body := post(t, b.url+"register_with", []byte(`{"node_address": "`+dead+`"}`), false)
	wantError(t, "unreachable node", status, header, body, 502, "registration with "+dead+" failed: it could not be reached")
}

func TestAnnounceReachesPeers(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	c := newMemNode(t, Options{})
	for _, n := range []*testNode{b, c} {
		if _, err := n.RegisterWith(context.Background(), a.url); err != nil {
			t.Fatal(err)
		}
	}
	addTx(t, a.Chain(), "a", "announce me")
	if status, body := call(t, "GET", a.url+"mine", nil); status != 200 {
		t.Fatalf("GET /mine: %d %s", status, body)
	}
	tip := a.Chain().Tip().Hash()
	for _, n := range []*testNode{b, c} {
		waitFor(t, 5*time.Second, "the mined block to reach "+n.url, func() bool { return n.Chain().Tip().Hash() == tip })
	}
	waitFor(t, 5*time.Second, "a to see its peers in sync", func() bool {
		for _, s := range a.Peers() {
			if s.State != PeerInSync {
				return false
			}
		}
		return true
	})
	evs := drainEvents(b.Node)
	if countEvents(evs, EventBlockReceived) != 1 {
		t.Errorf("b's events = %v, want one block-received", evs)
	}

	// Announce directly, as the UI does after mining: every peer has the
	// block already, so each acknowledges it.
	res, err := a.Announce(context.Background(), a.Chain().Tip())
	if err != nil || res.Accepted != 2 {
		t.Errorf("Announce of a block the peers hold = %+v, %v", res, err)
	}
}

func TestAddBlockAheadTriggersConsensus(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	if _, err := b.RegisterWith(context.Background(), a.url); err != nil {
		t.Fatal(err)
	}
	growChain(t, a.Chain(), "a", 3) // b hears of none of them
	status, _, body := post(t, b.url+"add_block", a.Chain().Tip().WireJSON(), false)
	if status != 400 || !strings.Contains(string(body), "fetching the peers' chains") {
		t.Fatalf("POST /add_block of a block ahead: %d %s", status, body)
	}
	want := hashes(chainBlocks(a.Chain()))
	waitFor(t, 5*time.Second, "b to adopt a's chain", func() bool { return slices.Equal(hashes(chainBlocks(b.Chain())), want) })
}

func TestForkResolvesToLongerAndKeepsTransactions(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	// Apart: b mines one block of its own, a mines three.
	addTx(t, b.Chain(), "b", "only on b")
	addTx(t, b.Chain(), "shared", "on both")
	mineOn(t, b.Chain())
	addTx(t, b.Chain(), "b", "pending on b")
	growChain(t, a.Chain(), "a", 2)
	addTx(t, a.Chain(), "shared", "on both") // same author/content, another timestamp
	mineOn(t, a.Chain())

	res, err := b.RegisterWith(context.Background(), a.url)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Adopted || res.Replace.ForkHeight != 1 || res.Replace.Dropped != 1 || res.Replace.Restored != 2 {
		t.Errorf("RegisterWith = %+v", res)
	}
	inChain, pending := txKeys(b.Chain())
	for _, k := range []string{"b/only on b", "b/pending on b", "shared/on both"} {
		if inChain[k]+pending[k] == 0 {
			t.Errorf("transaction %s was lost", k)
		}
	}
	if pending["b/only on b"] != 1 || inChain["b/only on b"] != 0 {
		t.Errorf("the dropped block's transaction must be pending once: chain %d, pending %d", inChain["b/only on b"], pending["b/only on b"])
	}
}

// fakePeer serves handler on 127.0.0.1 and returns its base URL.
func fakePeer(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	ts := httptest.NewServer(handler)
	t.Cleanup(ts.Close)
	return ts.URL + "/"
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestBadPeers(t *testing.T) {
	otherGenesis, err := blockchain.NewBlock(0, nil, blockchain.Int("1"), "0", 0)
	if err != nil {
		t.Fatal(err)
	}
	var weak *blockchain.Block
	for nonce := int64(0); weak == nil; nonce++ {
		b, err := blockchain.NewBlock(1, []any{}, 1.5, blockchain.GenesisHash, nonce)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.Hash(), "0") {
			weak = b.Sealed()
		}
	}
	chainJSON := func(blocks ...*blockchain.Block) string {
		parts := make([]string, len(blocks))
		for i, b := range blocks {
			parts[i] = string(b.WireJSON())
		}
		return fmt.Sprintf(`{"length": %d, "chain": [%s], "peers": []}`, len(blocks), strings.Join(parts, ", "))
	}
	tests := []struct {
		name   string
		status int
		body   string
		header map[string]string
		text   string
	}{
		{name: "not JSON", status: 200, body: "<html>hello</html>", text: "the answer is not a chain"},
		{name: "no chain", status: 200, body: `{"length": 1}`, text: `"chain" must be a list of blocks`},
		{name: "empty chain", status: 200, body: `{"length": 0, "chain": []}`, text: "chain is empty"},
		{name: "a block not an object", status: 200, body: `{"chain": [7]}`, text: "chain[0]: block invalid"},
		{name: "another genesis", status: 200, body: chainJSON(otherGenesis.Sealed()), text: "not the seed's genesis"},
		{name: "a block without work", status: 200, body: chainJSON(blockchain.Genesis(), weak), text: "does not meet difficulty 2"},
		{name: "server error", status: 500, body: "boom", text: "status 500: boom"},
		{name: "JSON error", status: 404, body: `{"error": "no such thing"}`, text: "status 404: no such thing"},
		{name: "a block too large", status: 200, body: `{"chain": [{"a": "` + strings.Repeat("x", 8000) + `"}]}`, text: "larger than the limit of 4096 bytes"},
		{name: "redirect to ftp", status: 302, header: map[string]string{"Location": "ftp://127.0.0.1/chain"}, text: "only the same host and port are followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			peer := fakePeer(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			n := newMemNode(t, Options{MaxBlockBytes: 4096})
			growChain(t, n.Chain(), "n", 1)

			_, err := n.RegisterWith(context.Background(), peer)
			var pe *PeerError
			if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("RegisterWith: %v, want a PeerError mentioning %q", err, tt.text)
			}
			if len(n.PeerURLs()) != 0 {
				t.Errorf("a failed registration added a peer: %v", n.PeerURLs())
			}

			// As a known peer, it is skipped by consensus with the reason.
			if _, err := n.addPeer(peer, "test"); err != nil {
				t.Fatal(err)
			}
			res, err := n.Sync(context.Background())
			if err == nil || res.Answered != 0 || res.Adopted || res.Length != 2 {
				t.Errorf("Sync = %+v, %v", res, err)
			}
			st := n.Peers()
			wantState := PeerFaulty
			if !pe.Faulty {
				wantState = PeerUnreachable
			}
			if len(st) != 1 || st[0].State != wantState || !strings.Contains(st[0].LastError, tt.text) {
				t.Errorf("peer status = %+v, want %v mentioning %q", st, wantState, tt.text)
			}
			if blocks, _ := chainOf(t, n.url); len(blocks) != 2 {
				t.Errorf("our chain has %d blocks after the bad peer, want 2", len(blocks))
			}
		})
	}
}

// hangingPeer accepts connections and never answers. It returns its base
// URL; everything closes when the test ends.
func hangingPeer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/"
}

func TestHangingPeer(t *testing.T) {
	const timeout = 300 * time.Millisecond
	peer := hangingPeer(t)
	n := newMemNode(t, Options{PeerTimeout: timeout})
	growChain(t, n.Chain(), "n", 1)

	steps := []struct {
		name string
		run  func() error
	}{
		{"RegisterWith", func() error { _, err := n.RegisterWith(context.Background(), peer); return err }},
		{"Announce", func() error {
			if _, err := n.addPeer(peer, "test"); err != nil {
				return err
			}
			res, err := n.Announce(context.Background(), n.Chain().Tip())
			if res.Failed != 1 {
				return fmt.Errorf("announce result %+v", res)
			}
			return err
		}},
		{"Sync", func() error { _, err := n.Sync(context.Background()); return err }},
	}
	for _, s := range steps {
		start := time.Now()
		err := s.run()
		took := time.Since(start)
		if err == nil || !strings.Contains(err.Error(), "no answer within 300ms") {
			t.Errorf("%s: %v, want a timeout error", s.name, err)
		}
		// Ten timeouts: room for a loaded machine under -race, while a
		// step that waited for the peer (it never answers) or retried
		// past its timeout many times still fails.
		if took > 10*timeout {
			t.Errorf("%s took %s with a %s peer timeout", s.name, took, timeout)
		}
	}
	if st := n.Peers(); len(st) != 1 || st[0].State != PeerUnreachable {
		t.Errorf("peer status = %+v, want unreachable", st)
	}
	// The node kept serving throughout.
	if status, _ := call(t, "GET", n.url+"chain", nil); status != 200 {
		t.Errorf("GET /chain: %d", status)
	}
	evs := drainEvents(n.Node)
	if countEvents(evs, EventPeerUnreachable) != 1 {
		t.Errorf("events = %v, want the peer reported unreachable once", evs)
	}
}

func TestDownPeerRetriedAndRecovers(t *testing.T) {
	addr := closedAddr(t)
	n := newMemNode(t, Options{})
	if _, err := n.addPeer("http://"+addr+"/", "test"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := n.Sync(context.Background()); err == nil {
			t.Fatal("Sync with a down peer: want its error")
		}
	}
	if evs := drainEvents(n.Node); countEvents(evs, EventPeerUnreachable) != 1 {
		t.Errorf("events = %v, want one peer-unreachable for two failed rounds", evs)
	}
	// The peer comes up, longer: the next round adopts its chain.
	other := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, other, "o", 2)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot rebind %s: %v", addr, err)
	}
	peer, err := New(other, nil, Options{SelfURL: "http://" + addr + "/", SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	srv := peer.NewServer()
	go srv.Serve(ln)
	defer srv.Close()
	res, err := n.Sync(context.Background())
	if err != nil || !res.Adopted || res.Length != 3 {
		t.Errorf("Sync after the peer came back = %+v, %v", res, err)
	}
	if st := n.Peers(); st[0].State != PeerInSync || st[0].LastError != "" {
		t.Errorf("peer status = %+v", st[0])
	}
}

func TestPeersPersistAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	open := func() (*blockchain.Store, *blockchain.Chain) {
		store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
		if err != nil {
			store.Close()
			t.Fatal(err)
		}
		return store, chain
	}
	store, chain := open()
	n, err := New(chain, store, Options{SelfURL: "http://127.0.0.1:7/", SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"http://127.0.0.1:5001", "http://127.0.0.1:5002/", "http://127.0.0.1:5003/"} {
		status, _, body := callHandler(t, n, "POST", "/register_node", `{"node_address": "`+u+`"}`)
		if status != 200 {
			t.Fatalf("register %s: %d %s", u, status, body)
		}
	}
	if removed, err := n.RemovePeer("http://127.0.0.1:5002"); !removed || err != nil {
		t.Fatalf("RemovePeer = %v, %v", removed, err)
	}
	n.Close()
	store.Close()

	store, chain = open()
	defer store.Close()
	n, err = New(chain, store, Options{SelfURL: "http://127.0.0.1:7/", SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	want := []string{"http://127.0.0.1:5001/", "http://127.0.0.1:5003/"}
	if got := n.PeerURLs(); !slices.Equal(got, want) {
		t.Errorf("peers after restart = %v, want %v", got, want)
	}
	// A restart under a URL the list names does not make us our own peer.
	n2, err := New(chain, store, Options{SelfURL: "http://127.0.0.1:5001/", SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if got := n2.PeerURLs(); !slices.Equal(got, want[1:]) {
		t.Errorf("peers of a node at a listed URL = %v, want %v", got, want[1:])
	}
}

// callHandler runs one request through the node's handler in memory.
func callHandler(t *testing.T, n *Node, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "localhost" // httptest's example.com is not a name of the node
	req.Header.Set("Content-Type", "application/json")
	n.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func TestRegisterWithWaitsForServe(t *testing.T) {
	a := newMemNode(t, Options{})
	chain := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	n, err := New(chain, nil, Options{SyncInterval: -1, PeerTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	registered := make(chan error, 1)
	go func() {
		_, err := n.RegisterWith(context.Background(), a.url)
		registered <- err
	}()
	// Serve starts after RegisterWith: our URL comes from its listener.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- n.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-served
	}()
	if err := <-registered; err != nil {
		t.Fatalf("RegisterWith before Serve: %v", err)
	}
	if want := "http://" + ln.Addr().String() + "/"; !slices.Equal(a.PeerURLs(), []string{want}) {
		t.Errorf("a's peers = %v, want [%s]", a.PeerURLs(), want)
	}

	lonely, err := New(chain, nil, Options{SyncInterval: -1, PeerTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer lonely.Close()
	if _, err := lonely.RegisterWith(context.Background(), a.url); !errors.Is(err, ErrNoSelfURL) {
		t.Errorf("RegisterWith without a URL or Serve: %v, want ErrNoSelfURL", err)
	}
}

func TestPeriodicSync(t *testing.T) {
	b := newMemNode(t, Options{})
	growChain(t, b.Chain(), "b", 2)
	a := newMemNode(t, Options{SyncInterval: 20 * time.Millisecond})
	if _, err := a.addPeer(b.url, "test"); err != nil {
		t.Fatal(err)
	}
	want := hashes(chainBlocks(b.Chain()))
	waitFor(t, 5*time.Second, "the periodic round to adopt b's chain", func() bool { return slices.Equal(hashes(chainBlocks(a.Chain())), want) })
	growChain(t, b.Chain(), "b", 1)
	want = hashes(chainBlocks(b.Chain()))
	waitFor(t, 5*time.Second, "a later round to adopt b's new block", func() bool { return slices.Equal(hashes(chainBlocks(a.Chain())), want) })
}

// TestAnnouncingPeerIsNotBehind: a peer whose block we just took holds our
// chain; it is not listed as behind, even when it shares its host with
// another peer (every node here is on 127.0.0.1).
func TestAnnouncingPeerIsNotBehind(t *testing.T) {
	a := newMemNode(t, Options{SyncInterval: -1})
	b := newMemNode(t, Options{SyncInterval: -1})
	c := newMemNode(t, Options{SyncInterval: -1})
	for _, p := range []*testNode{a, c} {
		if _, err := b.RegisterWith(context.Background(), p.url); err != nil {
			t.Fatal(err)
		}
	}
	addTx(t, a.Chain(), "a", "pay b")
	mineOn(t, a.Chain())
	if res, err := a.Announce(context.Background(), a.Chain().Tip()); err != nil || res.Accepted != 1 {
		t.Fatalf("Announce = %+v, %v", res, err)
	}
	if b.Chain().Len() != 2 {
		t.Fatalf("b has %d blocks, want a's 2", b.Chain().Len())
	}
	for _, st := range b.Peers() {
		want := PeerInSync
		if st.URL == c.url {
			want = PeerBehind // c has only the genesis
		}
		if st.State != want {
			t.Errorf("b lists %s as %v (length %d), want %v", st.URL, st.State, st.Length, want)
		}
	}
	evs := drainEvents(b.Node)
	for _, ev := range evs {
		if ev.Kind == EventBlockReceived && ev.Peer != a.url {
			t.Errorf("the block is said to come from %q, want %s", ev.Peer, a.url)
		}
	}
}
