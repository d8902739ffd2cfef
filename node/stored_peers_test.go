package node

import (
	"slices"
	"testing"
	"time"

	"blockscope/blockchain"
)

// TestStoredPeers reads back, from a closed store, the peers a node saved.
func TestStoredPeers(t *testing.T) {
	dir := t.TempDir()
	if got, err := StoredPeers(dir, time.Second); err == nil || got != nil {
		t.Errorf("StoredPeers without a store = %v, %v; want an error", got, err)
	}
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := New(chain, store, Options{SelfURL: "http://127.0.0.1:7/", SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := StoredPeers(dir, 10*time.Millisecond); err == nil {
		t.Errorf("StoredPeers of a store in use = %v; want an error", got)
	}
	for _, u := range []string{"http://127.0.0.1:5001", "http://127.0.0.1:5002/"} {
		if status, _, body := callHandler(t, n, "POST", "/register_node", `{"node_address": "`+u+`"}`); status != 200 {
			t.Fatalf("register %s: %d %s", u, status, body)
		}
	}
	n.Close()
	store.Close()

	got, err := StoredPeers(dir, time.Second)
	want := []string{"http://127.0.0.1:5001/", "http://127.0.0.1:5002/"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("StoredPeers = %v, %v; want %v", got, err, want)
	}
}
