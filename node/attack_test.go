package node

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"blockscope/blockchain"
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
