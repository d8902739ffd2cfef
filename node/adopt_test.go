package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"blockscope/blockchain"
)

// countingPeer serves n's API and records each request's URI and the
// bytes of each answer.
type countingPeer struct {
	url   string
	mu    sync.Mutex
	uris  []string
	sizes []int64
}

func newCountingPeer(t *testing.T, n *Node) *countingPeer {
	t.Helper()
	cp := &countingPeer{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		n.Handler().ServeHTTP(cw, r)
		cp.mu.Lock()
		cp.uris = append(cp.uris, r.URL.RequestURI())
		cp.sizes = append(cp.sizes, cw.n)
		cp.mu.Unlock()
	}))
	t.Cleanup(ts.Close)
	cp.url = ts.URL + "/"
	return cp
}

// take returns the requests recorded since the last call.
func (cp *countingPeer) take() ([]string, []int64) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	uris, sizes := cp.uris, cp.sizes
	cp.uris, cp.sizes = nil, nil
	return uris, sizes
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.ResponseWriter.Write(p)
}

// TestIncrementalSync checks what a round asks for: the whole chain when
// we hold only the genesis, then one block while in sync, only the new
// blocks when the peer grew, and a walk back in growing steps to the fork.
func TestIncrementalSync(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	growChain(t, a.Chain(), "a", 40) // heights 0..40
	peer := newCountingPeer(t, a.Node)
	if _, err := b.addPeer(peer.url, "test"); err != nil {
		t.Fatal(err)
	}
	round := func(name string, wantURIs []string, wantLen int) []int64 {
		t.Helper()
		res, err := b.Sync(context.Background())
		if err != nil || res.Length != wantLen {
			t.Fatalf("%s: Sync = %+v, %v; want length %d", name, res, err, wantLen)
		}
		uris, sizes := peer.take()
		if !slices.Equal(uris, wantURIs) {
			t.Errorf("%s: asked %q, want %q", name, uris, wantURIs)
		}
		if got, want := hashes(chainBlocks(b.Chain())), hashes(chainBlocks(a.Chain())); !slices.Equal(got, want) {
			t.Errorf("%s: chains differ", name)
		}
		return sizes
	}
	round("first round", []string{"/chain"}, 41)
	if sizes := round("in sync", []string{"/chain?from=40"}, 41); sizes[0] > 2048 {
		t.Errorf("a round in sync was answered %d bytes, want one block's", sizes[0])
	}
	growChain(t, a.Chain(), "a2", 3)
	round("the peer grew", []string{"/chain?from=40"}, 44)

	// Apart: b mines two blocks of its own on 43, a five. They share
	// heights 0..43; the walk back asks from 45, 44, then 42.
	growChain(t, b.Chain(), "b", 2)
	growChain(t, a.Chain(), "a3", 5)
	round("forked", []string{"/chain?from=45", "/chain?from=44", "/chain?from=42"}, 49)
	_, pending := txKeys(b.Chain())
	if pending["b/b block i"] != 1 || pending["b/b block ii"] != 1 {
		t.Errorf("b's dropped blocks' transactions are not pending: %v", pending)
	}
}

// TestAdoptionStopsAtFirstBadBlock: the blocks before a bad one are
// adopted (they make a valid, longer chain), nothing after it.
func TestAdoptionStopsAtFirstBadBlock(t *testing.T) {
	src := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, src, "s", 12)
	blocks := chainBlocks(src)
	parts := make([]string, len(blocks))
	for i, blk := range blocks {
		parts[i] = string(blk.WireJSON())
	}
	parts[8] = strings.Replace(parts[8], `"content": "s block`, `"content": "S block`, 1)
	body := fmt.Sprintf(`{"length": %d, "chain": [%s], "peers": []}`, len(parts), strings.Join(parts, ", "))
	peer := fakePeer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, body)
	})
	n := newMemNode(t, Options{})
	if _, err := n.addPeer(peer, "test"); err != nil {
		t.Fatal(err)
	}
	_, err := n.Sync(context.Background())
	var pe *PeerError
	if !errors.As(err, &pe) || !pe.Faulty || !strings.Contains(err.Error(), "block 8") {
		t.Fatalf("Sync: %v, want a faulty peer naming block 8", err)
	}
	if got, want := hashes(chainBlocks(n.Chain())), hashes(blocks[:8]); !slices.Equal(got, want) {
		t.Errorf("adopted %d blocks, want the 8 before the bad one", len(got))
	}
}
