package node

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"blockscope/blockchain"
)

// post sends body; with chunked it hides the length, as a streaming client
// does, so only the read limit can stop it.
func post(t *testing.T, url string, body []byte, chunked bool) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if chunked {
		rd = io.MultiReader(bytes.NewReader(body))
	}
	req, err := http.NewRequest(http.MethodPost, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, data
}

// wantError checks an error answer: status, JSON content type and an
// "error" field that says what was wrong.
func wantError(t *testing.T, name string, status int, header http.Header, body []byte, wantStatus int, wantText string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("%s: status %d, want %d (body %s)", name, status, wantStatus, body)
		return
	}
	if ct := header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", name, ct)
	}
	obj := decodeObject(t, body)
	msg, _ := obj["error"].(string)
	if !strings.Contains(msg, wantText) {
		t.Errorf("%s: error %q, want it to mention %q", name, msg, wantText)
	}
}

func TestNewTransactionBadInput(t *testing.T) {
	tn := newMemNode(t, Options{})
	huge := append([]byte(`{"author": "a", "content": "`), bytes.Repeat([]byte("x"), 2<<20)...)
	huge = append(huge, `"}`...)
	tests := []struct {
		name    string
		body    []byte
		chunked bool
		status  int
		text    string
	}{
		{"truncated JSON", []byte(`{"author": "a", "content": "c"`), false, 400, "malformed JSON"},
		{"empty body", nil, false, 400, "malformed JSON"},
		{"NaN", []byte(`{"author": "a", "content": "c", "x": NaN}`), false, 400, "NaN"},
		{"invalid UTF-8", []byte("{\"author\": \"\xff\", \"content\": \"c\"}"), false, 400, "malformed JSON"},
		{"trailing garbage", []byte(`{"author": "a", "content": "c"} x`), false, 400, "malformed JSON"},
		{"a list", []byte(`[{"author": "a", "content": "c"}]`), false, 400, "must be a JSON object, not a list"},
		{"author a number", []byte(`{"author": 5, "content": "c"}`), false, 400, "author must be a string, not an integer"},
		{"content null", []byte(`{"author": "a", "content": null}`), false, 400, "content must be a string, not null"},
		{"empty author", []byte(`{"author": "", "content": "c"}`), false, 400, "author must not be empty"},
		{"blank content", []byte(`{"author": "a", "content": " \t "}`), false, 400, "content must not be empty"},
		{"missing content", []byte(`{"author": "a"}`), false, 400, "content is missing"},
		{"huge body", huge, false, 413, "larger than the limit of 1048576 bytes"},
		{"huge body, chunked", huge, true, 413, "larger than the limit"},
	}
	for _, tt := range tests {
		status, header, body := post(t, tn.url+"new_transaction", tt.body, tt.chunked)
		wantError(t, tt.name, status, header, body, tt.status, tt.text)
	}
	if p := tn.Chain().Pending(); len(p) != 0 {
		t.Errorf("bad transactions reached the pool: %v", p)
	}
	// The node keeps serving, and still takes a good transaction.
	if status, _, body := post(t, tn.url+"new_transaction", []byte(`{"author": "a", "content": "fine"}`), false); status != 201 {
		t.Fatalf("a good transaction after the bad ones: %d %s", status, body)
	}
	if blocks, _ := chainOf(t, tn.url); len(blocks) != 1 {
		t.Errorf("chain length %d, want 1", len(blocks))
	}
}

func TestRoutes(t *testing.T) {
	tn := newMemNode(t, Options{})
	tests := []struct {
		method, path string
		status       int
		text, allow  string
	}{
		{"GET", "nope", 404, "no endpoint /nope", ""},
		{"GET", "new_transaction", 405, "/new_transaction takes POST, not GET", "POST"},
		{"POST", "chain", 405, "/chain takes GET, HEAD", "GET, HEAD"},
		{"DELETE", "add_block", 405, "takes POST", "POST"},
		{"POST", "mine", 405, "takes GET", "GET, HEAD"},
		{"POST", "//chain", 405, "/chain takes GET", "GET, HEAD"},
		{"GET", "/nope", 404, "no endpoint //nope", ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, tn.url+tt.path, strings.NewReader("{}"))
		resp, err := httpClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantError(t, tt.method+" /"+tt.path, resp.StatusCode, resp.Header, body, tt.status, tt.text)
		if got := resp.Header.Get("Allow"); got != tt.allow {
			t.Errorf("%s /%s: Allow %q, want %q", tt.method, tt.path, got, tt.allow)
		}
	}
}

func TestTransactionMineChainRoundTrip(t *testing.T) {
	tn := newMemNode(t, Options{})
	// Numbers keep their kind and text: 0 stays 0, 0.0 stays 0.0, a big
	// integer stays exact, non-ASCII is escaped as Python does.
	tx := []byte(`{"author": "alice", "content": "h\u00e9llo", "amount": 0, "ratio": 0.0, "big": 123456789012345678901234567890, "tiny": 1e-05}`)
	if status, _, body := post(t, tn.url+"new_transaction", tx, false); status != 201 {
		t.Fatalf("POST /new_transaction: %d %s", status, body)
	}
	status, pending := call(t, "GET", tn.url+"pending_tx", nil)
	want := `"amount": 0, "author": "alice", "big": 123456789012345678901234567890, "content": "h\u00e9llo", "ratio": 0.0, "timestamp": `
	if status != 200 || !bytes.Contains(pending, []byte(want)) || !bytes.Contains(pending, []byte(`"tiny": 1e-05}]`)) {
		t.Fatalf("GET /pending_tx: %d %s\nwant it to contain %s", status, pending, want)
	}

	status, body := call(t, "GET", tn.url+"mine", nil)
	obj := decodeObject(t, body)
	if status != 200 || obj["message"] != "Block #1 is mined." || obj["index"] != blockchain.Int("1") {
		t.Fatalf("GET /mine: %d %s", status, body)
	}
	status, body = call(t, "GET", tn.url+"chain", nil)
	if status != 200 || !bytes.HasPrefix(body, []byte(`{"length": 2, "chain": [{"hash": "6dbf2312`)) {
		t.Fatalf("GET /chain: %d %.120s", status, body)
	}
	if !bytes.Contains(body, []byte(`"timestamp": 0, "transactions": []}`)) {
		t.Error("the genesis timestamp must stay the integer 0")
	}
	if !bytes.Contains(body, []byte(`"ratio": 0.0`)) || !bytes.Contains(body, []byte(`"big": 123456789012345678901234567890`)) {
		t.Error("the mined transaction lost its number kinds on /chain")
	}
	blocks, _ := chainOf(t, tn.url)
	if err := blockchain.ValidateChain(blocks, 2); err != nil || len(blocks) != 2 {
		t.Fatalf("served chain: %d blocks, %v", len(blocks), err)
	}
	if ts, ok := blocks[1].Timestamp().(float64); !ok || ts < 1e9 {
		t.Errorf("block timestamp %#v, want float seconds", blocks[1].Timestamp())
	}
	if _, p := call(t, "GET", tn.url+"pending_tx", nil); string(p) != "[]" {
		t.Errorf("pending after mining: %s", p)
	}
	if status, body := call(t, "GET", tn.url+"mine", nil); status != 200 || string(body) != `{"message": "No transactions to mine"}` {
		t.Errorf("GET /mine with nothing pending: %d %s", status, body)
	}
}

func TestInjectedMiner(t *testing.T) {
	var calls atomic.Int32
	miner := func(ctx context.Context, tmpl *blockchain.Block, difficulty int) (*blockchain.Block, error) {
		calls.Add(1)
		return blockchain.Mine(ctx, tmpl, difficulty)
	}
	tn := newMemNode(t, Options{Miner: miner, Difficulty: 3})
	addTx(t, tn.Chain(), "a", "b")
	if status, body := call(t, "GET", tn.url+"mine", nil); status != 200 {
		t.Fatalf("GET /mine: %d %s", status, body)
	}
	if calls.Load() != 1 {
		t.Errorf("the injected miner ran %d times, want 1", calls.Load())
	}
	if h := tn.Chain().Tip().Hash(); !strings.HasPrefix(h, "000") {
		t.Errorf("block mined at difficulty 3 has hash %s", h)
	}
	chain := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	for _, d := range []int{1, 65} {
		if _, err := New(chain, nil, Options{Difficulty: d}); err == nil {
			t.Errorf("New with difficulty %d: want an error", d)
		}
	}
}

// forged builds blocks that break each rule against a chain.
type forged struct {
	chain *blockchain.Chain
}

func (f forged) next(t *testing.T, content string) *blockchain.Block {
	t.Helper()
	tip := f.chain.Tip()
	tmpl, err := blockchain.NewBlock(tip.Index()+1, []any{map[string]any{"author": "mallory", "content": content}}, 1700000000.25, tip.Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withField returns b's wire JSON with one field replaced (or removed when
// value is nil and remove is set).
func withField(t *testing.T, b *blockchain.Block, field string, value any, remove bool) []byte {
	t.Helper()
	m := b.Map()
	if remove {
		delete(m, field)
	} else {
		m[field] = value
	}
	data, err := blockchain.Canonical(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestAddBlockRules(t *testing.T) {
	tn := newMemNode(t, Options{})
	ours := tn.Chain()
	growChain(t, ours, "us", 1) // our tip is #1
	f := forged{ours}
	good := f.next(t, "good")

	// Another chain from the same genesis, two blocks long, for blocks that
	// are valid on their own but do not fit our tip.
	other := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, other, "them", 4)

	var weak *blockchain.Block // a sealed block #2 on our tip without the work
	tip := ours.Tip()
	for nonce := int64(0); ; nonce++ {
		b, err := blockchain.NewBlock(2, []any{}, 1.5, tip.Hash(), nonce)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.Hash(), "0") {
			weak = b.Sealed()
			break
		}
	}
	fakeHash := "00" + strings.Repeat("ab", 31)

	tests := []struct {
		name   string
		body   []byte
		status int
		text   string
	}{
		{"not JSON", []byte("{index: 2}"), 400, "malformed JSON"},
		{"not an object", []byte(`[1, 2]`), 400, "a block must be a JSON object, not a list"},
		{"missing nonce", withField(t, good, "nonce", nil, true), 400, `missing field "nonce"`},
		{"missing hash", withField(t, good, "hash", nil, true), 400, `missing field "hash"`},
		// Python reads these values and hashes them as read: the hash no
		// longer matches, and that is the verdict.
		{"index a string", withField(t, good, "index", "2", false), 400, "does not match its contents"},
		{"transactions an object", withField(t, good, "transactions", map[string]any{}, false), 400, "transactions must be a list, not an object"},
		{"nonce a float", withField(t, good, "nonce", 1.0, false), 400, "does not match its contents"},
		{"hash a number", withField(t, good, "hash", blockchain.Int("7"), false), 400, "hash 7 does not match its contents"},
		{"hash mismatch", withField(t, good, "hash", fakeHash, false), 400, "does not match its contents"},
		{"tampered content", withField(t, good, "transactions", []any{map[string]any{"author": "mallory", "content": "evil"}}, false), 400, "does not match its contents"},
		{"insufficient work", weak.WireJSON(), 400, "does not meet difficulty 2"},
		{"index behind, another block", other.Block(1).WireJSON(), 400, "conflicts with our block #1"},
		{"index ahead", other.Block(4).WireJSON(), 400, "ahead of our tip #1"},
		{"previous_hash of another branch", other.Block(2).WireJSON(), 400, "previous_hash"},
	}
	for _, tt := range tests {
		status, header, body := post(t, tn.url+"add_block", tt.body, false)
		wantError(t, tt.name, status, header, body, tt.status, tt.text)
	}
	if ours.Len() != 2 {
		t.Fatalf("rejected blocks changed the chain: length %d", ours.Len())
	}
	// A duplicate of our tip is acknowledged, not an error.
	if status, _, body := post(t, tn.url+"add_block", ours.Tip().WireJSON(), false); status != 200 {
		t.Errorf("our own tip again: %d %s, want 200", status, body)
	}
	// The node kept serving: the good block goes in.
	if status, _, body := post(t, tn.url+"add_block", good.WireJSON(), false); status != 201 {
		t.Fatalf("a valid next block: %d %s", status, body)
	}
	if ours.Len() != 3 || ours.Tip().Hash() != good.Hash() {
		t.Errorf("after the good block: length %d, tip %s", ours.Len(), ours.Tip().Hash())
	}
}

func TestRegisterNodeInput(t *testing.T) {
	tn := newMemNode(t, Options{MaxPeers: 2})
	tests := []struct {
		name   string
		body   string
		status int
		text   string
	}{
		{"not JSON", `node_address=http://x/`, 400, "malformed JSON"},
		{"not an object", `"http://127.0.0.1:1/"`, 400, "must be a JSON object"},
		{"missing", `{}`, 400, "node_address is missing"},
		{"a number", `{"node_address": 5000}`, 400, "node_address must be a string"},
		{"no scheme", `{"node_address": "127.0.0.1:5000"}`, 400, "must start with http://"},
		{"ftp", `{"node_address": "ftp://127.0.0.1:5000/"}`, 400, `scheme "ftp" is not allowed`},
		{"ourselves", `{"node_address": "` + strings.TrimSuffix(tn.url, "/") + `"}`, 400, "this node's own URL"},
	}
	for _, tt := range tests {
		status, header, body := post(t, tn.url+"register_node", []byte(tt.body), false)
		wantError(t, tt.name, status, header, body, tt.status, tt.text)
	}
	// Both forms of a URL are one peer, stored with the trailing slash.
	for _, addr := range []string{"http://127.0.0.1:1", "http://127.0.0.1:1/"} {
		status, _, body := post(t, tn.url+"register_node", []byte(`{"node_address": "`+addr+`"}`), false)
		if status != 200 {
			t.Fatalf("register %s: %d %s", addr, status, body)
		}
		obj := decodeObject(t, body)
		if obj["length"] != blockchain.Int("1") || len(obj["chain"].([]any)) != 1 {
			t.Errorf("register %s answered %s, want our chain", addr, body)
		}
	}
	if got := tn.PeerURLs(); len(got) != 1 || got[0] != "http://127.0.0.1:1/" {
		t.Errorf("peers = %v, want [http://127.0.0.1:1/]", got)
	}
	if _, peers := chainOf(t, tn.url); len(peers) != 1 || peers[0] != "http://127.0.0.1:1/" {
		t.Errorf("/chain peers = %v", peers)
	}
	// Beyond MaxPeers the oldest peer never heard from makes room (a full
	// list of answering peers refuses with 409: see TestPeerBookEviction).
	post(t, tn.url+"register_node", []byte(`{"node_address": "http://127.0.0.1:2/"}`), false)
	status, _, body := post(t, tn.url+"register_node", []byte(`{"node_address": "http://127.0.0.1:3/"}`), false)
	if got := tn.PeerURLs(); status != 200 || len(got) != 2 || got[0] != "http://127.0.0.1:2/" || got[1] != "http://127.0.0.1:3/" {
		t.Errorf("beyond MaxPeers: %d %s, peers %v; want the first untried peer evicted", status, body, got)
	}
}

func TestServeShutdownCancelsMining(t *testing.T) {
	started := make(chan struct{})
	stopped := make(chan error, 1)
	miner := func(ctx context.Context, _ *blockchain.Block, _ int) (*blockchain.Block, error) {
		close(started)
		<-ctx.Done()
		stopped <- ctx.Err()
		return nil, ctx.Err()
	}
	chain := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	addTx(t, chain, "a", "b")
	n, err := New(chain, nil, Options{Miner: miner, SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- n.Serve(ctx, ln) }()
	go func() {
		// The answer, if any, is not the point: Serve must not wait for it.
		resp, err := httpClient.Get("http://" + ln.Addr().String() + "/mine")
		if err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	if want := "http://" + ln.Addr().String() + "/"; n.SelfURL() != want {
		t.Errorf("SelfURL = %q, want %q derived from the listener", n.SelfURL(), want)
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(shutdownTimeout):
		t.Fatal("Serve did not return after its context ended")
	}
	if err := <-stopped; !errors.Is(err, context.Canceled) {
		t.Errorf("the miner saw %v, want context.Canceled", err)
	}
	if chain.Len() != 1 {
		t.Error("a cancelled /mine added a block")
	}
}

func TestEventsDropOldest(t *testing.T) {
	chain := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	n, err := New(chain, nil, Options{EventBuffer: 2, SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		n.emit(Event{Kind: EventBlockMined, Index: int64(i), Message: "x"})
	}
	if got := len(n.Events()); got != 2 {
		t.Fatalf("%d events queued, want 2", got)
	}
	for _, want := range []int64{3, 4} {
		if ev := <-n.Events(); ev.Index != want || ev.Time.IsZero() {
			t.Errorf("event %+v, want index %d (the newest kept)", ev, want)
		}
	}
	n.Close()
	n.emit(Event{Kind: EventBlockMined}) // after Close: dropped, no panic
	if _, open := <-n.Events(); open {
		t.Error("Events is not closed after Close")
	}
}

func TestSenderName(t *testing.T) {
	// Loopback peers only, and no background sync: nothing here is contacted.
	n := newMemNode(t, Options{SyncInterval: -1})
	for _, p := range []string{"http://127.0.0.2:8000/", "http://127.0.0.3:8001/", "http://127.0.0.3:8002/"} {
		if _, err := n.addPeer(p, "test"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ remote, want string }{
		{"127.0.0.2:51234", "http://127.0.0.2:8000/"}, // one peer on that host: named
		{"127.0.0.3:40000", "127.0.0.3"},              // two peers share it: the IP only
		{"127.0.0.4:40000", "127.0.0.4"},              // no peer there
		{"not an address", "not an address"},
	}
	for _, tt := range tests {
		if got := n.senderName(tt.remote); got != tt.want {
			t.Errorf("senderName(%q) = %q, want %q", tt.remote, got, tt.want)
		}
	}
}
