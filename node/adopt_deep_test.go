package node

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"

	bolt "go.etcd.io/bbolt"
)

// deepForks makes a fork held in memory past a few blocks go to the store,
// and adoption batches small.
func deepForks(t *testing.T) {
	held, blocks := maxHeldForkBytes, adoptBatchBlocks
	maxHeldForkBytes, adoptBatchBlocks = 2<<10, 8
	t.Cleanup(func() { maxHeldForkBytes, adoptBatchBlocks = held, blocks })
}

// stagingLeft reports whether the closed store in dir holds staged or
// set-aside blocks, read with bbolt itself (opening a Store deletes them).
func stagingLeft(t *testing.T, dir string) bool {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, blockchain.StoreFileName), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	left := false
	db.View(func(tx *bolt.Tx) error {
		left = tx.Bucket([]byte("staging")) != nil || tx.Bucket([]byte("discard")) != nil
		return nil
	})
	return left
}

// reopenChecked opens the store in dir again, waits for its check and
// returns its chain's hashes and pending contents.
func reopenChecked(t *testing.T, dir string) ([]string, []string) {
	t.Helper()
	store, chain := openStoreChain(t, dir)
	defer store.Close()
	if err := chain.WaitCheck(context.Background()); err != nil {
		t.Fatalf("the reopened store does not pass the check: %v", err)
	}
	var pending []string
	for _, p := range chain.Pending() {
		pending = append(pending, p.Content())
	}
	return hashes(chainBlocks(chain)), pending
}

// TestDeepForkAdopted: a peer's chain that forks from ours at height 1,
// deeper than we hold in memory, is staged in the store and adopted once
// longer; the dropped blocks' transactions go back to pending, the
// pending one stays, and the store reopens valid.
func TestDeepForkAdopted(t *testing.T) {
	deepForks(t)
	dir := t.TempDir()
	store, chain := openStoreChain(t, dir)
	growChain(t, chain, "ours", 30)
	addTx(t, chain, "p", "stays")
	peer := newMemNode(t, Options{})
	growChain(t, peer.Chain(), "theirs", 60)
	want := hashes(chainBlocks(peer.Chain()))
	wantPending := []string{"stays"}
	for i := range 30 {
		wantPending = append(wantPending, "ours block "+strings.Repeat("i", i+1))
	}

	t.Run("sync", func(t *testing.T) {
		logs := &lockedBuffer{}
		n := startNode(t, chain, store, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
		if _, err := n.addPeer(peer.url, "test"); err != nil {
			t.Fatal(err)
		}
		res, err := n.Sync(context.Background())
		if err != nil || !res.Adopted || res.Length != 61 {
			t.Fatalf("Sync = %+v, %v; want the peer's 61 blocks adopted", res, err)
		}
		if wantRR := (blockchain.ReplaceResult{ForkHeight: 1, Dropped: 30, Restored: 30}); res.Replace != wantRR {
			t.Errorf("Replace = %+v, want %+v", res.Replace, wantRR)
		}
		if !strings.Contains(logs.String(), "staging a peer's chain in the store") {
			t.Errorf("the fork was not staged in the store; log:\n%s", logs)
		}
		if r := n.Reorgs(); len(r) != 1 || r[0].Depth != 30 || len(r[0].Returned) != 30 || r[0].NewLength <= 31 || r[0].OldLength != 31 {
			t.Errorf("reorgs recorded: %+v", r)
		}
	})
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	if stagingLeft(t, dir) {
		t.Error("staged blocks are left in the store")
	}
	got, pending := reopenChecked(t, dir)
	if !slices.Equal(got, want) {
		t.Errorf("the reopened store holds %d blocks, not the peer's %d", len(got), len(want))
	}
	if !slices.Equal(pending, wantPending) {
		t.Errorf("pending %q, want %q", pending, wantPending)
	}
}

// TestDeepForkNotAdopted: a deep fork that is not longer than ours when
// the peer's answer ends, or that breaks the rules before it is, leaves our
// chain and pending pool as they were and nothing staged.
func TestDeepForkNotAdopted(t *testing.T) {
	deepForks(t)
	src := newMemNode(t, Options{})
	growChain(t, src.Chain(), "theirs", 60)
	theirs := chainBlocks(src.Chain())
	tests := []struct {
		name   string
		blocks int    // of theirs sent
		bad    int    // the block altered, or 0
		errHas string // in Sync's error, or "" for none
	}{
		{name: "shorter than ours", blocks: 31},
		{name: "a bad block before it is longer", blocks: 61, bad: 35, errHas: "block 35"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := make([]string, tt.blocks)
			for i, b := range theirs[:tt.blocks] {
				parts[i] = string(b.WireJSON())
			}
			if tt.bad > 0 {
				parts[tt.bad] = strings.Replace(parts[tt.bad], `"content": "theirs`, `"content": "THEIRS`, 1)
			}
			body := fmt.Sprintf(`{"length": %d, "chain": [%s], "peers": []}`, len(parts), strings.Join(parts, ", "))
			peer := fakePeer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })

			dir := t.TempDir()
			store, chain := openStoreChain(t, dir)
			growChain(t, chain, "ours", 40)
			addTx(t, chain, "p", "stays")
			old := hashes(chainBlocks(chain))
			t.Run("sync", func(t *testing.T) {
				logs := &lockedBuffer{}
				n := startNode(t, chain, store, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
				if _, err := n.addPeer(peer, "test"); err != nil {
					t.Fatal(err)
				}
				res, err := n.Sync(context.Background())
				if res.Adopted || (err == nil) != (tt.errHas == "") || err != nil && !strings.Contains(err.Error(), tt.errHas) {
					t.Errorf("Sync = %+v, %v; want nothing adopted and an error naming %q", res, err, tt.errHas)
				}
				if !strings.Contains(logs.String(), "staging a peer's chain in the store") {
					t.Errorf("the fork was not staged in the store; log:\n%s", logs)
				}
			})
			if err := store.Close(); err != nil {
				t.Fatal(err)
			}
			if stagingLeft(t, dir) {
				t.Error("staged blocks are left in the store")
			}
			got, pending := reopenChecked(t, dir)
			if !slices.Equal(got, old) || !slices.Equal(pending, []string{"stays"}) {
				t.Errorf("our chain or pool changed: %d blocks, pending %q", len(got), pending)
			}
		})
	}
}

// TestDeepForkWhileAnotherIsStaged: while one peer's deep fork is staged,
// another's is not read on, without counting against that peer, and is
// adopted in the round after.
func TestDeepForkWhileAnotherIsStaged(t *testing.T) {
	deepForks(t)
	store, chain := openStoreChain(t, t.TempDir())
	defer store.Close()
	growChain(t, chain, "ours", 30)
	other := blockchain.NewMemoryChain(blockchain.ChainOptions{})
	growChain(t, other, "other", 5)
	st, err := chain.StageFork(chainBlocks(other)[1:])
	if err != nil {
		t.Fatal(err)
	}
	peer := newMemNode(t, Options{})
	growChain(t, peer.Chain(), "theirs", 60)
	logs := &lockedBuffer{}
	n := startNode(t, chain, store, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if _, err := n.addPeer(peer.url, "test"); err != nil {
		t.Fatal(err)
	}
	res, err := n.Sync(context.Background())
	if err != nil || res.Adopted || res.Length != 31 {
		t.Fatalf("Sync while another fork is staged = %+v, %v; want nothing adopted, no error", res, err)
	}
	if !strings.Contains(logs.String(), "while another peer's is staged") {
		t.Errorf("the log does not say why; log:\n%s", logs)
	}
	if err := st.Discard(); err != nil {
		t.Fatal(err)
	}
	if res, err = n.Sync(context.Background()); err != nil || !res.Adopted || res.Length != 61 {
		t.Fatalf("Sync after = %+v, %v; want the peer's 61 blocks", res, err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestIdleReaderTimesOnlyTheWait: a peer's answer times out only while
// the node waits for it, not while the node works on what arrived.
func TestIdleReaderTimesOnlyTheWait(t *testing.T) {
	idle := time.AfterFunc(time.Hour, func() {})
	idle.Stop()
	armed := false
	r := &idleReader{idle: idle, d: time.Hour, r: readerFunc(func(p []byte) (int, error) {
		if armed = idle.Stop(); armed {
			idle.Reset(time.Hour)
		}
		return copy(p, "x"), nil
	})}
	if _, err := r.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	if !armed {
		t.Error("the deadline did not run while the read waited")
	}
	if idle.Stop() {
		t.Error("the deadline runs on after the data arrived")
	}
}
