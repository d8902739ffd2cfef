package node

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"blockscope/blockchain"
)

// concatPeerScript is the reference node with the tutorial's /register_with,
// which builds node_address + "/register_node".
var concatPeerScript = filepath.Join("testdata", "concat_peer.py")

// TestInteropOddValuesRoundTrip is the network's own test of parity: a
// Python node mines a transaction with a lone surrogate, NaN and 1e400,
// which it reads and hashes; we adopt its chain, and serve it back byte for
// byte so that the Python node's chain_error accepts ours again.
func TestInteropOddValuesRoundTrip(t *testing.T) {
	t.Parallel()
	py := startPython(t)
	tx := []byte(`{"author": "a\ud800", "content": "x\udc00y", "big": 1e400, "n": NaN, "neg": -Infinity}`)
	if status, _, body := post(t, py+"new_transaction", tx, false); status != http.StatusCreated {
		t.Fatalf("the Python node refused the transaction: %d %s", status, body)
	}
	apiMine(t, py)

	n := newMemNode(t, Options{})
	res, err := n.RegisterWith(context.Background(), py)
	if err != nil {
		t.Fatalf("RegisterWith(python holding odd values): %v", err)
	}
	if !res.Adopted || res.Length != 2 {
		t.Fatalf("RegisterWith = %+v, want the Python node's 2 blocks adopted", res)
	}
	if !sameChain(t, py, n.Chain()) {
		t.Fatal("our chain differs from the Python node's")
	}
	_, ours := call(t, http.MethodGet, n.url+"chain", nil)
	for _, want := range []string{`"author": "a\ud800"`, `"big": Infinity`, `"n": NaN`, `"neg": -Infinity`} {
		if !bytes.Contains(ours, []byte(want)) {
			t.Errorf("our /chain lacks %s:\n%s", want, ours)
		}
	}
	// One more block of ours, so the Python node adopts our chain: it runs
	// chain_error on what we serve, answering 502 when it finds it invalid.
	growChain(t, n.Chain(), "go", 1)
	body, _ := blockchain.Canonical(map[string]any{"node_address": n.url})
	if status, _, data := post(t, py+"register_with", body, false); status != http.StatusOK {
		t.Fatalf("the Python node judged our /chain invalid: %d %s", status, data)
	}
	if !sameChain(t, py, n.Chain()) {
		t.Error("the Python node did not adopt our longer chain")
	}
}

// TestInteropNudgeConcatenatingPeer: a node that builds node_address +
// "/register_node" (the tutorial's) asks us for //register_node when we
// nudge it, and must still get our chain and adopt it.
func TestInteropNudgeConcatenatingPeer(t *testing.T) {
	t.Parallel()
	py := startPythonScript(t, concatPeerScript, filepath.Dir(seedNodeScript))
	n := newMemNode(t, Options{})
	for _, addr := range []string{py, py[:len(py)-1]} { // with and without the trailing slash
		growChain(t, n.Chain(), "go", 1) // ours is the longer chain each time
		res, err := n.RegisterWith(context.Background(), addr)
		if err != nil {
			t.Fatalf("RegisterWith(%s): %v", addr, err)
		}
		if !res.Nudged {
			t.Errorf("RegisterWith(%s) = %+v, want the shorter peer nudged", addr, res)
		}
		if !sameChain(t, py, n.Chain()) {
			t.Errorf("after RegisterWith(%s) the concatenating peer has not adopted our longer chain", addr)
		}
	}
	_, data := call(t, http.MethodGet, py+"asked", nil)
	v, err := blockchain.DecodePython(data)
	list, _ := v.([]any)
	if err != nil || len(list) == 0 || !slices.Contains(list, any(n.url+"/register_node")) {
		t.Errorf("the peer asked %s, want %s//register_node among them", data, n.url)
	}
}

func TestDoubledSlashesAndHead(t *testing.T) {
	tn := newMemNode(t, Options{})
	body, _ := blockchain.Canonical(map[string]any{"node_address": "http://127.0.0.1:1/"})
	for _, path := range []string{"register_node", "/register_node", "//register_node"} { // after the URL's own "/"
		req, _ := http.NewRequest(http.MethodPost, tn.url+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := httpClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("POST %s: %d, want 200", req.URL.Path, resp.StatusCode)
		}
	}
	for _, path := range []string{"chain", "/chain", "pending_tx"} {
		resp, err := httpClient.Head(tn.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("HEAD %s: %d %q, want 200 application/json", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
