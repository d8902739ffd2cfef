package node

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"blockscope/blockchain"
)

func TestChainFrom(t *testing.T) {
	tn := newMemNode(t, Options{})
	growChain(t, tn.chain, "alice", 5) // heights 0..5
	all := chainBlocks(tn.chain)
	tests := []struct {
		query     string
		status    int
		wantFirst int64 // -1: an empty "chain"
		wantText  string
	}{
		{"", 200, 0, ""},
		{"?from=0", 200, 0, ""},
		{"?from=3", 200, 3, ""},
		{"?from=5", 200, 5, ""},
		{"?from=6", 200, -1, ""},
		{"?from=1000000", 200, -1, ""},
		{"?from=-1", 400, 0, "want a height"},
		{"?from=two", 400, 0, "want a height"},
		{"?from=1.0", 400, 0, "want a height"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, body := call(t, http.MethodGet, tn.url+"chain"+tt.query, nil)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %.200s", status, tt.status, body)
			}
			if tt.status != 200 {
				if !strings.Contains(string(body), tt.wantText) {
					t.Errorf("answer %s, want it to say %q", body, tt.wantText)
				}
				return
			}
			obj := decodeObject(t, body)
			if obj["length"] != blockchain.Int("6") {
				t.Errorf("length %v, want the whole chain's 6", obj["length"])
			}
			list, _ := obj["chain"].([]any)
			want := 0
			if tt.wantFirst >= 0 {
				want = len(all) - int(tt.wantFirst)
			}
			if len(list) != want {
				t.Fatalf("%d blocks, want %d", len(list), want)
			}
			for i, v := range list {
				b, err := blockchain.BlockFromValue(v)
				if err != nil {
					t.Fatal(err)
				}
				if wantB := all[tt.wantFirst+int64(i)]; b.Hash() != wantB.Hash() || string(b.WireJSON()) != string(wantB.WireJSON()) {
					t.Errorf("block %d differs from the chain's", i)
				}
			}
		})
	}
}

// discardResponse is a ResponseWriter that keeps nothing of the body, so a
// test can count what serving an answer allocates.
type discardResponse struct {
	header http.Header
	status int
	n      int64
}

func (d *discardResponse) Header() http.Header         { return d.header }
func (d *discardResponse) WriteHeader(status int)      { d.status = status }
func (d *discardResponse) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

// allocsServingChain returns the bytes allocated by one GET /chain and the
// size of the answer.
func allocsServingChain(n *Node) (alloc uint64, size int64) {
	req := httptest.NewRequest(http.MethodGet, "/chain", nil)
	req.Host = "localhost" // httptest's example.com is not a name of the node
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	w := &discardResponse{header: http.Header{}}
	n.Handler().ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, w.n
}

// TestChainAnswerMemoryFlat checks that serving /chain allocates the same
// whatever the chain's length: the answer is written as it is read.
func TestChainAnswerMemoryFlat(t *testing.T) {
	tn := newMemNode(t, Options{})
	measure := func(blocks int) (uint64, int64) {
		growChain(t, tn.chain, "bob", blocks-tn.chain.Len())
		allocsServingChain(tn.Node) // warm up
		best, size := allocsServingChain(tn.Node)
		for range 2 {
			a, _ := allocsServingChain(tn.Node)
			best = min(best, a)
		}
		return best, size
	}
	smallAlloc, smallSize := measure(50)
	bigAlloc, bigSize := measure(1500)
	t.Logf("50 blocks: %d bytes answered, %d allocated; 1500 blocks: %d answered, %d allocated", smallSize, smallAlloc, bigSize, bigAlloc)
	if bigSize < 20*smallSize {
		t.Fatalf("the long answer (%d bytes) is not much longer than the short one (%d)", bigSize, smallSize)
	}
	// The write buffer and a scratch block are the whole cost.
	if bigAlloc > smallAlloc+64<<10 {
		t.Errorf("serving %d bytes allocated %d bytes, %d more than serving %d bytes", bigSize, bigAlloc, bigAlloc-smallAlloc, smallSize)
	}
}

func TestRegisterNodeAnswersWholeChain(t *testing.T) {
	tn := newMemNode(t, Options{})
	growChain(t, tn.chain, "carol", 3)
	status, _, body := post(t, tn.url+"register_node", []byte(`{"node_address": "http://127.0.0.1:1/"}`), false)
	if status != 200 {
		t.Fatalf("POST /register_node: %d %s", status, body)
	}
	pc, err := parseChainAnswer(body, blockchain.SeedDifficulty)
	if err != nil || len(pc.blocks) != 4 || fmt.Sprint(pc.peers) != "[http://127.0.0.1:1/]" {
		t.Fatalf("answer %v, %v: %.200s", pc, err, body)
	}
}
