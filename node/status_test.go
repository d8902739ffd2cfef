package node

import (
	"context"
	"net/http"
	"testing"

	"blockscope/blockchain"
)

func TestStatusReportsTheCheck(t *testing.T) {
	tn := newMemNode(t, Options{})
	growChain(t, tn.chain, "alice", 3)
	if err := tn.chain.WaitCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	status, body := call(t, http.MethodGet, tn.url+"status", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /status: %d %s", status, body)
	}
	got := decodeObject(t, body)
	want := map[string]any{"length": blockchain.Int("4"), "checked": blockchain.Int("1"), "check_total": blockchain.Int("1"), "check_done": true}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v (%T), want %v in %s", k, got[k], got[k], v, body)
		}
	}
	if _, ok := got["damage"]; ok {
		t.Errorf("a sound chain reports damage: %s", body)
	}
}
