package blockchain

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// seqsOf lists the Seqs of a pool snapshot.
func seqsOf(pending []PendingTx) []uint64 {
	out := make([]uint64, len(pending))
	for i, p := range pending {
		out[i] = p.Seq
	}
	return out
}

func sameSeqs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDropPendingIsDurable drops pool entries from a stored chain, the one
// of two identical copies too, and reopens the store: what was dropped
// stays gone, the rest stays pending in order, and a mined block takes
// only what is left.
func TestDropPendingIsDurable(t *testing.T) {
	same := func() time.Time { return time.Unix(1764000000, 0) }
	tests := []struct {
		name string
		drop []int // indexes into the pool as first added
		keep []int
	}{
		{"the first", []int{0}, []int{1, 2, 3}},
		{"one of two identical copies, the newer", []int{2}, []int{0, 1, 3}},
		{"one of two identical copies, the older", []int{1}, []int{0, 2, 3}},
		{"both copies and the last", []int{1, 2, 3}, []int{0}},
		{"all", []int{3, 0, 2, 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := OpenStore(dir, StoreOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := OpenChain(s, ChainOptions{Clock: same})
			if err != nil {
				t.Fatal(err)
			}
			added := []PendingTx{addTx(t, c, "alice", "pay bob 5"), addTx(t, c, "bob", "twice"), addTx(t, c, "bob", "twice"), addTx(t, c, "carol", "last")}
			if string(added[1].Canonical) != string(added[2].Canonical) {
				t.Fatal("the test needs two byte-identical copies")
			}
			for _, i := range tt.drop {
				if err := c.DropPending(added[i]); err != nil {
					t.Fatalf("drop %d: %v", i, err)
				}
			}
			want := make([]uint64, 0, len(tt.keep))
			for _, i := range tt.keep {
				want = append(want, added[i].Seq)
			}
			if got := seqsOf(c.Pending()); !sameSeqs(got, want) {
				t.Fatalf("pending after the drop = %v, want %v", got, want)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			_, c = openStoreChain(t, dir)
			if got := seqsOf(c.Pending()); !sameSeqs(got, want) {
				t.Fatalf("pending after reopening = %v, want %v", got, want)
			}
			if len(want) == 0 {
				if tmpl, _ := c.Template(); tmpl != nil {
					t.Fatal("a dropped transaction is still offered to the miner")
				}
				return
			}
			if b := mineNext(t, c); len(b.Transactions()) != len(want) || len(c.Pending()) != 0 {
				t.Fatalf("mined %d transactions, %d left pending; want %d, 0", len(b.Transactions()), len(c.Pending()), len(want))
			}
		})
	}
}

// TestDropPendingNotPending: an entry a block took, one dropped already,
// and one whose bytes do not match its Seq are not dropped, and the error
// names the block when one holds the transaction.
func TestDropPendingNotPending(t *testing.T) {
	c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	mined := addTx(t, c, "alice", "mined meanwhile")
	b := mineNext(t, c)
	dropped := addTx(t, c, "bob", "dropped before")
	if err := c.DropPending(dropped); err != nil {
		t.Fatal(err)
	}
	kept := addTx(t, c, "carol", "still pending")
	forged := kept
	forged.Canonical = dropped.Canonical
	copyOfKept := kept
	copyOfKept.Seq = 998 // as if a replaced chain had put it back as a new entry
	tests := []struct {
		name   string
		p      PendingTx
		block  int64
		copies int
	}{
		{"taken by a block", mined, b.Index(), 0},
		{"dropped already", dropped, -1, 0},
		{"its Seq with other bytes", forged, -1, 0},
		{"never added", PendingTx{Seq: 999, Canonical: []byte(`{}`)}, -1, 0},
		{"its bytes pending under another entry", copyOfKept, -1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version := c.Version()
			err := c.DropPending(tt.p)
			var np *NotPendingError
			if !errors.As(err, &np) || np.Block != tt.block || np.Seq != tt.p.Seq || np.Copies != tt.copies {
				t.Fatalf("DropPending = %+v, want a NotPendingError for #%d naming block %d, %d copies", err, tt.p.Seq, tt.block, tt.copies)
			}
			if got := seqsOf(c.Pending()); !sameSeqs(got, []uint64{kept.Seq}) || c.Version() != version {
				t.Fatalf("a refused drop changed the pool: %v (version %d -> %d)", got, version, c.Version())
			}
		})
	}
}

// TestDropPendingFreesThePool: a dropped transaction's place and bytes go
// back to the pool's budget.
func TestDropPendingFreesThePool(t *testing.T) {
	c := NewMemoryChain(ChainOptions{Clock: fixedClock(), MaxPendingCount: 2})
	first := addTx(t, c, "alice", "one")
	addTx(t, c, "alice", "two")
	var pf *PoolFullError
	if _, err := c.AddTransaction(map[string]any{"author": "alice", "content": "three"}); !errors.As(err, &pf) {
		t.Fatalf("a third transaction: %v, want PoolFullError", err)
	}
	if err := c.DropPending(first); err != nil {
		t.Fatal(err)
	}
	addTx(t, c, "alice", "three")
}

// TestDropPendingRacesBlocks drops every pending transaction while blocks
// mine the pool (under -race): a drop that fails names the block that took
// the transaction, and at the end nothing is left pending. (A drop between
// a template and its block succeeds and the block still holds the
// transaction: a template is a snapshot.)
func TestDropPendingRacesBlocks(t *testing.T) {
	c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	const n = 40
	for i := 0; i < n; i++ {
		addTx(t, c, "alice", "tx "+string(rune('A'+i)))
	}
	pool := c.Pending()
	var wg sync.WaitGroup
	results := make([]error, n)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range pool {
			results[i] = c.DropPending(pool[i])
		}
	}()
	var mineErr error
	for len(c.Pending()) > 0 && mineErr == nil {
		tmpl, err := c.Template()
		if err != nil || tmpl == nil {
			break
		}
		b, err := Mine(context.Background(), tmpl, c.Difficulty())
		if err != nil {
			mineErr = err
			break
		}
		if err := c.AddBlock(b); err != nil {
			mineErr = err
		}
	}
	wg.Wait()
	if mineErr != nil {
		t.Fatal(mineErr)
	}
	if left := c.Pending(); len(left) != 0 {
		t.Fatalf("%d transactions left pending", len(left))
	}
	inBlocks := map[string]int64{}
	for _, b := range allBlocks(c)[1:] {
		for _, tx := range b.Transactions() {
			cb, _ := Canonical(tx)
			inBlocks[string(cb)] = b.Index()
		}
	}
	for i, err := range results {
		h, mined := inBlocks[string(pool[i].Canonical)]
		var np *NotPendingError
		switch {
		case err == nil && mined:
			// Dropped after the template was built: the block still holds
			// it, which is why a caller stops its own search first.
		case err == nil:
		case errors.As(err, &np) && mined && np.Block == h:
		default:
			t.Errorf("tx %d: drop %v, in block %v (%d)", i, err, mined, h)
		}
	}
}
