package blockchain

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openStoreChain opens the store in dir and the chain in it; both close at
// the end of the test unless the caller closes the store first.
func openStoreChain(t *testing.T, dir string) (*Store, *Chain) {
	t.Helper()
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := OpenChain(s, ChainOptions{Clock: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// buildStoredChain writes a chain of n mined blocks after the genesis, each
// with two transactions, plus one pending transaction, and closes the store.
func buildStoredChain(t *testing.T, dir string, n int) []*Block {
	t.Helper()
	s, c := openStoreChain(t, dir)
	for i := 1; i <= n; i++ {
		addTx(t, c, "alice", fmt.Sprintf("pay bob %d", i))
		addTx(t, c, "bob", fmt.Sprintf("héllo wörld ✓ 中文 😀 %d", i))
		mineNext(t, c)
	}
	addTx(t, c, "carol", "still pending")
	blocks := allBlocks(c)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// tamper edits the store file through bbolt itself, as an attacker or a bad
// disk could, outside blockscope's own code paths.
func tamper(t *testing.T, dir string, edit func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, StoreFileName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(edit); err != nil {
		t.Fatal(err)
	}
}

func TestStoreKeepsChainAndPending(t *testing.T) {
	dir := t.TempDir()
	s, c := openStoreChain(t, dir)
	addTx(t, c, "alice", "pay bob 5")
	addTx(t, c, "bob", "héllo wörld ✓ 中文 😀")
	mined := mineNext(t, c)
	p1 := addTx(t, c, "carol", "waiting <&> \"quoted\"")
	p2 := addTx(t, c, "dave", "second in line")
	wantBlocks, wantPending := allBlocks(c), c.Pending()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, c = openStoreChain(t, dir)
	if got := allBlocks(c); len(got) != len(wantBlocks) {
		t.Fatalf("reopened chain has %d blocks, want %d", len(got), len(wantBlocks))
	}
	for i, b := range allBlocks(c) {
		if !bytes.Equal(b.WireJSON(), wantBlocks[i].WireJSON()) {
			t.Errorf("block %d after reopening:\n got %s\nwant %s", i, b.WireJSON(), wantBlocks[i].WireJSON())
		}
	}
	got := c.Pending()
	if len(got) != 2 || got[0].Seq != p1.Seq || got[1].Seq != p2.Seq {
		t.Fatalf("pending after reopening = %+v, want seqs %d, %d", got, p1.Seq, p2.Seq)
	}
	for i, p := range got {
		if !bytes.Equal(p.Canonical, wantPending[i].Canonical) || p.Content() != wantPending[i].Content() {
			t.Errorf("pending %d: %s, want %s", i, p.Canonical, wantPending[i].Canonical)
		}
	}
	if tip := c.Tip(); c.Len() != 2 || tip.Hash() != mined.Hash() {
		t.Fatalf("reopened: %d blocks, tip %s; want 2, %s", c.Len(), short(tip.Hash()), short(mined.Hash()))
	}
	// A new transaction gets a sequence number after every stored one.
	if p3 := addTx(t, c, "erin", "after reopening"); p3.Seq <= p2.Seq {
		t.Fatalf("seq %d after reopening is not above %d", p3.Seq, p2.Seq)
	}
}

func TestStoreReplacePersists(t *testing.T) {
	dir := t.TempDir()
	s, ours := openStoreChain(t, dir)
	theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	addTx(t, ours, "s", "in both")
	addTx(t, theirs, "s", "in both")
	mineNext(t, ours)
	addTx(t, ours, "o", "only ours")
	dropped := mineNext(t, ours)
	addTx(t, ours, "p", "still pending")
	mineNext(t, theirs)
	for i := 2; i <= 4; i++ {
		addTx(t, theirs, "t", fmt.Sprintf("theirs %d", i))
		mineNext(t, theirs)
	}
	res, err := ours.Replace(allBlocks(theirs))
	if err != nil {
		t.Fatal(err)
	}
	if res.ForkHeight != 2 || res.Dropped != 1 || res.Restored != 1 {
		t.Fatalf("result %+v", res)
	}
	wantPending := ours.Pending()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	_, c := openStoreChain(t, dir)
	if c.Len() != 5 || c.Tip().Hash() != theirs.Tip().Hash() {
		t.Fatalf("reopened: %d blocks, tip %s; want 5, %s", c.Len(), short(c.Tip().Hash()), short(theirs.Tip().Hash()))
	}
	got := c.Pending()
	if len(got) != len(wantPending) {
		t.Fatalf("pending after reopening: %d, want %d", len(got), len(wantPending))
	}
	for i := range got {
		if got[i].Seq != wantPending[i].Seq || got[i].Content() != wantPending[i].Content() {
			t.Errorf("pending %d = #%d %q, want #%d %q", i, got[i].Seq, got[i].Content(), wantPending[i].Seq, wantPending[i].Content())
		}
	}
	for i, b := range allBlocks(theirs) {
		if got := c.Block(int64(i)); got == nil || got.Hash() != b.Hash() || got.Hash() == dropped.Hash() {
			t.Fatalf("block %d after reopening is not theirs", i)
		}
	}
}

func TestStoreRefusesGapsAndOverwrites(t *testing.T) {
	dir := t.TempDir()
	blocks := buildStoredChain(t, dir, 2)
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, b := range []*Block{blocks[1], blocks[2]} {
		if err := s.appendBlock(b, nil); err == nil || !strings.Contains(err.Error(), "next height is 3") {
			t.Errorf("appendBlock(block %d) on a 3-block store: %v, want a refusal naming height 3", b.Index(), err)
		}
	}
	gap, err := NewBlock(5, nil, 1.5, blocks[2].Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.appendBlock(gap, nil); err == nil {
		t.Error("appendBlock accepted block 5 after height 2")
	}
}

func TestStoreMeta(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		key   string
		set   []byte // stored first when setIt
		setIt bool
		want  []byte
	}{
		{key: "peers", want: nil},
		{key: "peers", set: []byte(`["http://127.0.0.1:8001/"]`), setIt: true, want: []byte(`["http://127.0.0.1:8001/"]`)},
		{key: "peers", set: []byte(`[]`), setIt: true, want: []byte(`[]`)},
		{key: "other", set: []byte("x"), setIt: true, want: []byte("x")},
		{key: "other", set: nil, setIt: true, want: nil},
	}
	for i, st := range steps {
		if st.setIt {
			if err := s.SetMeta(st.key, st.set); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		got, err := s.Meta(st.key)
		if err != nil || !bytes.Equal(got, st.want) || (got == nil) != (st.want == nil) {
			t.Fatalf("step %d: Meta(%q) = %q, %v; want %q", i, st.key, got, err, st.want)
		}
	}
	if err := s.SetMeta("", []byte("x")); err == nil {
		t.Error("SetMeta accepted an empty key")
	}
	got, _ := s.Meta("peers")
	got[0] = 'X' // the caller owns the copy
	if again, _ := s.Meta("peers"); again[0] != '[' {
		t.Fatal("Meta returned bbolt's memory, not a copy")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Meta("peers"); err != nil || string(got) != "[]" {
		t.Fatalf("Meta after reopening = %q, %v", got, err)
	}
}

func TestStoreInUse(t *testing.T) {
	dir := t.TempDir()
	first, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// bbolt's lock is flock(2), held per open file, so a second open in this
	// process contends exactly as another process would.
	start := time.Now()
	second, err := OpenStore(dir, StoreOptions{Timeout: 100 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("a second open of a store in use succeeded")
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("the second open took %s; the timeout is 100ms", waited)
	}
	var inUse *StoreInUseError
	if !errors.As(err, &inUse) || !errors.Is(err, bolt.ErrTimeout) {
		t.Fatalf("error %v (%T), want a *StoreInUseError wrapping bolt.ErrTimeout", err, err)
	}
	want := "store " + filepath.Join(dir, StoreFileName) + " is already in use by another blockscope ("
	if !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("message %q\ndoes not start with %q", err, want)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	third, err := OpenStore(dir, StoreOptions{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("open after the first closed: %v", err)
	}
	third.Close()
}

func TestStoreRefusesForeignFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"not a bbolt file", func(t *testing.T, dir string) {
			junk := bytes.Repeat([]byte("not a database "), 1000)
			if err := os.WriteFile(filepath.Join(dir, StoreFileName), junk, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"another program's bbolt file", func(t *testing.T, dir string) {
			tamper(t, dir, func(tx *bolt.Tx) error {
				for _, name := range []string{"blocks", "hashes", "pending", "meta", "store"} {
					if _, err := tx.CreateBucket([]byte(name)); err != nil {
						return err
					}
				}
				return tx.Bucket([]byte("store")).Put([]byte("format"), []byte("someone-else-3"))
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			before, err := os.ReadFile(filepath.Join(dir, StoreFileName))
			if err != nil {
				t.Fatal(err)
			}
			s, err := OpenStore(dir, StoreOptions{Timeout: 100 * time.Millisecond})
			if err == nil {
				s.Close()
				t.Fatal("OpenStore accepted it")
			}
			if !strings.Contains(err.Error(), StoreFileName) {
				t.Errorf("error %q does not name the file", err)
			}
			after, _ := os.ReadFile(filepath.Join(dir, StoreFileName))
			if !bytes.Equal(before, after) {
				t.Error("OpenStore changed the file it refused")
			}
		})
	}
}

func TestStoreReportsDamage(t *testing.T) {
	key := heightBytes
	tests := []struct {
		name       string
		edit       func(tx *bolt.Tx) error
		wantHeight int64  // the height the RuleError names
		wantIn     string // a part of the message
	}{
		{
			name: "one byte of a transaction changed",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				v := bytes.Clone(b.Get(key(2)))
				i := bytes.Index(v, []byte("pay bob 2"))
				v[i+len("pay bob ")] = '9'
				return b.Put(key(2), v)
			},
			wantHeight: 2,
			wantIn:     "does not match its contents",
		},
		{
			// The check compares the stored hash with the preimage's
			// sum in place: the hash bytes alone changed are damage
			// at their own height, not at the next block's link.
			name: "one byte of a stored hash changed",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				v := bytes.Clone(b.Get(key(2)))
				v[31] ^= 1
				return b.Put(key(2), v)
			},
			wantHeight: 2,
			wantIn:     "does not match its contents",
		},
		{
			name: "one byte of the genesis changed",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				v := bytes.Replace(b.Get(key(0)), []byte(`"timestamp": 0`), []byte(`"timestamp": 1`), 1)
				return b.Put(key(0), v)
			},
			wantHeight: 0,
			wantIn:     "genesis",
		},
		{
			name: "a nonce changed and the hash recomputed",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				sb, err := decodeStored(3, b.Get(key(3)))
				if err != nil {
					return err
				}
				blk, err := sb.Block()
				if err != nil {
					return err
				}
				// Sealed with a new hash: consistent alone, but no longer
				// mined, and block 4 no longer links to it.
				return b.Put(key(3), appendStored(nil, blk.WithNonce(blk.Nonce()+1)))
			},
			wantHeight: 3,
			wantIn:     "block 3",
		},
		{
			name:       "bad JSON in a value",
			edit:       func(tx *bolt.Tx) error { return tx.Bucket(bucketChain).Put(key(1), []byte(`{"hash": "00`)) },
			wantHeight: 1,
			wantIn:     "does not parse",
		},
		{
			name:       "a missing height",
			edit:       func(tx *bolt.Tx) error { return tx.Bucket(bucketChain).Delete(key(2)) },
			wantHeight: 2,
			wantIn:     "missing",
		},
		{
			// The check hashes blocks in batches: the damage below the
			// gap must still be the one reported.
			name: "a changed byte below a missing height",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				v := bytes.Clone(b.Get(key(1)))
				i := bytes.Index(v, []byte("pay bob 1"))
				v[i+len("pay bob ")] = '9'
				if err := b.Put(key(1), v); err != nil {
					return err
				}
				return b.Delete(key(3))
			},
			wantHeight: 1,
			wantIn:     "does not match its contents",
		},
		{
			name: "a block under another height",
			edit: func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketChain)
				return b.Put(key(4), bytes.Clone(b.Get(key(3))))
			},
			wantHeight: 4,
			wantIn:     "index is 3",
		},
		{
			name: "every block deleted",
			edit: func(tx *bolt.Tx) error {
				if err := tx.DeleteBucket(bucketChain); err != nil {
					return err
				}
				_, err := tx.CreateBucket(bucketChain)
				return err
			},
			wantHeight: 0,
			wantIn:     "missing from the store",
		},
		{
			name:       "a key that is not a height",
			edit:       func(tx *bolt.Tx) error { return tx.Bucket(bucketChain).Put([]byte("zz"), []byte("{}")) },
			wantHeight: -1,
			wantIn:     "not an 8-byte height",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			buildStoredChain(t, dir, 4)
			tamper(t, dir, tt.edit)
			before, err := os.ReadFile(filepath.Join(dir, StoreFileName))
			if err != nil {
				t.Fatal(err)
			}

			s, err := OpenStore(dir, StoreOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c, err := OpenChain(s, ChainOptions{})
			s.Close()
			if err == nil {
				t.Fatalf("a damaged store opened as a %d-block chain", c.Len())
			}
			t.Log(err)
			var d *DamagedStoreError
			var re RuleError
			if !errors.As(err, &d) || !errors.As(err, &re) {
				t.Fatalf("error %v (%T): want a *DamagedStoreError wrapping a RuleError", err, err)
			}
			if re.BlockIndex() != tt.wantHeight {
				t.Errorf("the error names block %d, want %d: %v", re.BlockIndex(), tt.wantHeight, err)
			}
			if !strings.Contains(err.Error(), tt.wantIn) || !strings.Contains(err.Error(), "damaged") {
				t.Errorf("message %q lacks %q or \"damaged\"", err, tt.wantIn)
			}
			after, err := os.ReadFile(filepath.Join(dir, StoreFileName))
			if err != nil || !bytes.Equal(before, after) {
				t.Fatalf("opening the damaged store rewrote its file (%v)", err)
			}
		})
	}
}

func TestStoreReportsDamagedPending(t *testing.T) {
	dir := t.TempDir()
	buildStoredChain(t, dir, 1)
	tamper(t, dir, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPending).Put(seqBytes(99), []byte(`{"author": "x", `))
	})
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = OpenChain(s, ChainOptions{})
	var d *DamagedStoreError
	if !errors.As(err, &d) || !strings.Contains(err.Error(), "pending transaction #99") {
		t.Fatalf("error %v, want a *DamagedStoreError naming pending transaction #99", err)
	}
}

func TestConcurrentTransactionsAreAllStored(t *testing.T) {
	const writers, each = 8, 10
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The real clock: the tests' fixedClock is not safe for concurrent use.
	c, err := OpenChain(s, ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := c.AddTransaction(map[string]any{"author": fmt.Sprint("w", w), "content": fmt.Sprint("tx ", i)}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	_, c = openStoreChain(t, dir)
	pending := c.Pending()
	if len(pending) != writers*each {
		t.Fatalf("%d pending after reopening, want %d", len(pending), writers*each)
	}
	seen := map[string]bool{}
	for i, p := range pending {
		if i > 0 && p.Seq <= pending[i-1].Seq {
			t.Fatalf("pending out of Seq order at %d: %d after %d", i, p.Seq, pending[i-1].Seq)
		}
		seen[p.Author()+"/"+p.Content()] = true
	}
	if len(seen) != writers*each {
		t.Fatalf("%d distinct transactions, want %d", len(seen), writers*each)
	}
}

func TestDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/xdg")
	if got, err := DefaultDataDir(); err != nil || got != "/data/xdg/blockscope" {
		t.Fatalf("with XDG_DATA_HOME: %q, %v", got, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/someone")
	if got, err := DefaultDataDir(); err != nil || got != "/home/someone/.local/share/blockscope" {
		t.Fatalf("without XDG_DATA_HOME: %q, %v", got, err)
	}
}
