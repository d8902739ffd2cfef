package node

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
)

// testNode is a node serving on a real loopback listener.
type testNode struct {
	*Node
	url string // base URL, ending in "/"
}

// startNode serves a node over chain on 127.0.0.1 and stops it (server and
// node) when the test ends.
func startNode(t testing.TB, chain *blockchain.Chain, store *blockchain.Store, opts Options) *testNode {
	t.Helper()
	if opts.SyncInterval == 0 {
		opts.SyncInterval = -1 // tests ask for consensus explicitly
	}
	if opts.PeerTimeout == 0 {
		opts.PeerTimeout = 3 * time.Second
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, err := URLForListenAddr(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if opts.SelfURL == "" {
		opts.SelfURL = u
	}
	n, err := New(chain, store, opts)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- n.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		n.Close()
	})
	return &testNode{Node: n, url: u}
}

// newMemNode starts a node over a fresh memory chain.
func newMemNode(t testing.TB, opts Options) *testNode {
	return startNode(t, blockchain.NewMemoryChain(blockchain.ChainOptions{}), nil, opts)
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

// call sends a request and returns the status and body.
func call(t testing.TB, method, url string, body []byte) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return resp.StatusCode, data
}

// decodeObject decodes a JSON object answer.
func decodeObject(t testing.TB, data []byte) map[string]any {
	t.Helper()
	v, err := blockchain.Decode(data)
	if err != nil {
		t.Fatalf("answer %q is not JSON: %v", data, err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("answer %q is not an object", data)
	}
	return obj
}

// chainOf fetches a node's /chain and returns its blocks.
func chainOf(t testing.TB, base string) ([]*blockchain.Block, []string) {
	t.Helper()
	status, data := call(t, http.MethodGet, base+"chain", nil)
	if status != http.StatusOK {
		t.Fatalf("GET %schain: %d %s", base, status, data)
	}
	pc, err := parseChainAnswer(data, blockchain.SeedDifficulty)
	if err != nil {
		t.Fatalf("GET %schain: %v", base, err)
	}
	return pc.blocks, pc.peers
}

// hashes lists the blocks' hashes.
func hashes(blocks []*blockchain.Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.Hash()
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// addTx adds a transaction to a chain directly.
func addTx(t testing.TB, c *blockchain.Chain, author, content string) {
	t.Helper()
	if _, err := c.AddTransaction(map[string]any{"author": author, "content": content}); err != nil {
		t.Fatal(err)
	}
}

// mineOn mines the pending pool of c into a block and appends it.
func mineOn(t testing.TB, c *blockchain.Chain) *blockchain.Block {
	t.Helper()
	tmpl, err := c.Template()
	if err != nil || tmpl == nil {
		t.Fatalf("Template = %v, %v", tmpl, err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, c.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// growChain adds n blocks of one transaction each, tagged with who.
func growChain(t testing.TB, c *blockchain.Chain, who string, n int) {
	t.Helper()
	for i := range n {
		addTx(t, c, who, who+" block "+strings.Repeat("i", i+1))
		mineOn(t, c)
	}
}

// txKeys lists "author/content" of every transaction in the chain and the
// pending pool of c.
func txKeys(c *blockchain.Chain) (inChain, pending map[string]int) {
	inChain, pending = map[string]int{}, map[string]int{}
	for _, b := range chainBlocks(c) {
		for _, tx := range b.Transactions() {
			inChain[blockchain.TxAuthor(tx)+"/"+blockchain.TxContent(tx)]++
		}
	}
	for _, p := range c.Pending() {
		pending[p.Author()+"/"+p.Content()]++
	}
	return inChain, pending
}

// peerChain is a /chain (or /register_node) answer, read whole and judged,
// for tests.
type peerChain struct {
	blocks []*blockchain.Block
	peers  []string // as sent, not yet normalised
}

// parseChainAnswer reads {"length", "chain", "peers"} (or a bare list of
// blocks) and judges the chain as the seed's Python nodes do (see
// blockchain.ParseChainDump): the error is the first rule it breaks, or why
// the answer holds no chain.
func parseChainAnswer(data []byte, difficulty int) (*peerChain, error) {
	d, err := blockchain.ParseChainDump(data, difficulty)
	if err != nil {
		return nil, err
	}
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("invalid chain: %w", err)
	}
	return &peerChain{blocks: d.Blocks, peers: d.Peers}, nil
}

// chainBlocks reads a test chain's every block.
func chainBlocks(c *blockchain.Chain) []*blockchain.Block {
	blocks, _ := c.Range(0, int64(c.Len()))
	return blocks
}

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// postAs sends body with the given Content-Type and reads the answer.
func postAs(t testing.TB, url, contentType string, body []byte) answer {
	t.Helper()
	return send(t, http.MethodPost, url, body, http.Header{"Content-Type": {contentType}})
}

// send sends a request with the given headers (a "Host" entry sets the
// Host header) and reads the answer.
func send(t testing.TB, method, url string, body []byte, header http.Header) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		if k == "Host" {
			req.Host = vs[0]
			continue
		}
		req.Header[k] = vs
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return answer{resp.StatusCode, resp.Header, data}
}
