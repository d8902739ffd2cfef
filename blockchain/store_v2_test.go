package blockchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeV1Store writes blocks and pending transactions in the first layout
// (blocks as wire JSON, a hash index), as an older blockscope left them.
func writeV1Store(t testing.TB, dir string, blocks []*Block, pending [][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, StoreFileName), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		bs := map[string]*bolt.Bucket{}
		for _, name := range []string{"blocks", "hashes", "pending", "meta", "store"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			bs[name] = b
		}
		for _, b := range blocks {
			h := b.HashBytes()
			if err := bs["blocks"].Put(heightBytes(b.Index()), b.WireJSON()); err != nil {
				return err
			}
			if err := bs["hashes"].Put(h[:], heightBytes(b.Index())); err != nil {
				return err
			}
		}
		for _, p := range pending {
			if _, err := putPending(bs["pending"], p); err != nil {
				return err
			}
		}
		return bs["store"].Put(keyFormat, []byte(storeFormatV1))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// storeFormatOf reads a closed store's format and bucket names.
func storeFormatOf(t *testing.T, dir string) (string, []string) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, StoreFileName), 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var format string
	var names []string
	db.View(func(tx *bolt.Tx) error {
		format = string(tx.Bucket(bucketStore).Get(keyFormat))
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, string(name))
			return nil
		})
	})
	return format, names
}

func TestMigrateFromTheFirstLayout(t *testing.T) {
	defer func(old int) { migrateBatch = old }(migrateBatch)
	migrateBatch = 2 // several batches even for a short chain
	blocks := allBlocks(threeBlockChain(t))
	dir := t.TempDir()
	tx := []byte(`{"author": "carol", "content": "still pending", "timestamp": 1764000000.5}`)
	writeV1Store(t, dir, blocks, [][]byte{tx})

	s, c := openStoreChain(t, dir)
	if c.Len() != len(blocks) {
		t.Fatalf("migrated chain has %d blocks, want %d", c.Len(), len(blocks))
	}
	for i, want := range blocks {
		if got := c.Block(int64(i)); got == nil || !bytes.Equal(got.WireJSON(), want.WireJSON()) {
			t.Fatalf("block %d after migration differs", i)
		}
	}
	if p := c.Pending(); len(p) != 1 || !bytes.Equal(p[0].Canonical, tx) {
		t.Fatalf("pending after migration: %+v", p)
	}
	s.Close()
	format, names := storeFormatOf(t, dir)
	if format != storeFormat || strings.Contains(strings.Join(names, ","), "blocks") || strings.Contains(strings.Join(names, ","), "hashes") {
		t.Fatalf("after migration: format %q, buckets %v", format, names)
	}
}

func TestMigrateRefusesADamagedStoreUnchanged(t *testing.T) {
	blocks := allBlocks(threeBlockChain(t))
	dir := t.TempDir()
	writeV1Store(t, dir, blocks, nil)
	tamper(t, dir, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("blocks")).Put(heightBytes(2), []byte(`{"hash": 5}`))
	})
	_, err := OpenStore(dir, StoreOptions{})
	var re RuleError
	if !errors.As(err, &re) || re.BlockIndex() != 2 || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("OpenStore of a damaged old store: %v; want damage at block 2", err)
	}
	format, names := storeFormatOf(t, dir)
	if format != storeFormatV1 || strings.Contains(strings.Join(names, ","), "chain") {
		t.Fatalf("after a refused migration: format %q, buckets %v", format, names)
	}
}

// checkInBackground makes OpenChain check every chain in the background.
func checkInBackground(t *testing.T) {
	old := SyncCheckLimit
	SyncCheckLimit = 0
	t.Cleanup(func() { SyncCheckLimit = old })
}

func TestBackgroundCheckPasses(t *testing.T) {
	checkInBackground(t)
	dir := t.TempDir()
	buildStoredChain(t, dir, 5)
	_, c := openStoreChain(t, dir)
	if err := c.WaitCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := c.CheckProgress(); !p.Done || p.Checked != 6 || p.Total != 6 || p.Err != nil {
		t.Fatalf("progress after the check: %+v", p)
	}
	addTx(t, c, "erin", "after the check")
	mineNext(t, c)
}

func TestBackgroundCheckStopsTheChainAtDamage(t *testing.T) {
	checkInBackground(t)
	dir := t.TempDir()
	buildStoredChain(t, dir, 5)
	tamper(t, dir, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChain)
		v := bytes.Clone(b.Get(heightBytes(3)))
		i := bytes.Index(v, []byte("pay bob 3"))
		v[i+len("pay bob ")] = '9'
		return b.Put(heightBytes(3), v)
	})
	s, c := openStoreChain(t, dir)
	err := c.WaitCheck(context.Background())
	var re RuleError
	if !errors.As(err, &re) || re.BlockIndex() != 3 || !strings.Contains(err.Error(), "does not match its contents") {
		t.Fatalf("check: %v; want block 3's hash mismatch", err)
	}
	if c.Len() != 3 || c.Tip().Index() != 2 || c.Block(3) != nil || c.Damage() == nil {
		t.Fatalf("after damage at 3: %d blocks, tip %d", c.Len(), c.Tip().Index())
	}
	r := c.ReadBlocks(0)
	n := 0
	for r.Next() {
		n++
	}
	if n != 3 || r.Err() != nil {
		t.Fatalf("a reader gave %d blocks (%v), want the 3 below the damage", n, r.Err())
	}
	addTx(t, c, "erin", "not minable")
	tmpl, _ := c.Template()
	b, _ := Mine(context.Background(), tmpl, SeedDifficulty)
	if err := c.AddBlock(b); !errors.As(err, new(*DamagedStoreError)) {
		t.Fatalf("AddBlock on a damaged chain: %v", err)
	}
	if _, err := c.Replace(allBlocks(threeBlockChain(t))); err == nil {
		t.Fatal("Replace on a damaged chain succeeded")
	}
	s.Close()
	s, err = OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.blockCount(); err != nil || n != 6 {
		t.Fatalf("the store holds %d blocks (%v) after the damage was found, want all 6 kept", n, err)
	}
}

func TestBlockReader(t *testing.T) {
	defer func(old int) { readerChunkBytes = old }(readerChunkBytes)
	readerChunkBytes = 1 // one block per snapshot
	c := threeBlockChain(t)
	for _, from := range []int64{0, 2, 3, 9, -1} {
		t.Run(fmt.Sprint("from ", from), func(t *testing.T) {
			r := c.ReadBlocks(from)
			var got []string
			for r.Next() {
				got = append(got, string(r.Block().AppendWire(nil)))
			}
			if r.Err() != nil || r.Length() != int64(c.Len()) {
				t.Fatalf("err %v, length %d", r.Err(), r.Length())
			}
			var want []string
			for h := max(from, 0); h < int64(c.Len()); h++ {
				want = append(want, string(c.Block(h).WireJSON()))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestBlockReaderNoticesAReplace(t *testing.T) {
	defer func(old int) { readerChunkBytes = old }(readerChunkBytes)
	readerChunkBytes = 1
	ours := threeBlockChain(t)
	theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	for i := range 5 {
		addTx(t, theirs, "t", fmt.Sprint("theirs ", i))
		mineNext(t, theirs)
	}
	r := ours.ReadBlocks(0)
	if !r.Next() || !r.Next() {
		t.Fatal(r.Err())
	}
	if _, err := ours.Replace(allBlocks(theirs)); err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	if !errors.Is(r.Err(), ErrChainChanged) {
		t.Fatalf("reading across a Replace: %v, want ErrChainChanged", r.Err())
	}
}
