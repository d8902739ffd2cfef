package blockchain

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StoreFileName is the name of the bbolt file inside a store directory.
const StoreFileName = "chain.db"

// storeFormat is written once into a new store so that a later, incompatible
// layout can recognise (and refuse) files written by this one.
const storeFormat = "blockscope-store-1"

// The store's buckets. Keys of blocks and pending are 8-byte big-endian
// numbers, so bbolt's byte order is height order and arrival order.
var (
	bucketBlocks  = []byte("blocks")  // height -> block WireJSON
	bucketHashes  = []byte("hashes")  // raw 32-byte hash -> height
	bucketPending = []byte("pending") // Seq -> canonical transaction JSON
	bucketMeta    = []byte("meta")    // caller's key -> caller's value
	bucketStore   = []byte("store")   // the store's own bookkeeping
	keyFormat     = []byte("format")
)

// batchDelay bounds how long AddTransaction waits for other writers to share
// its fsync. bbolt's default (10 ms) would make a lone writer wait much
// longer than the fsync itself; writers that arrive while a commit is under
// way still end up in the next batch.
const batchDelay = 2 * time.Millisecond

// StoreOptions configure OpenStore.
type StoreOptions struct {
	// Timeout bounds the wait for another process's lock on the store;
	// zero means one second.
	Timeout time.Duration
}

// Store keeps blocks, the pending pool and metadata in a bbolt file. Every
// change is durable (fsynced) when the method making it returns. It is safe
// for concurrent use; one process at a time may hold a store open.
type Store struct {
	path string
	db   *bolt.DB
}

// StoreInUseError reports a store whose file lock another process (or
// another Store in this process) holds.
type StoreInUseError struct {
	Path    string
	Waited  time.Duration
	LockErr error
}

func (e *StoreInUseError) Error() string {
	return fmt.Sprintf("store %s is already in use by another blockscope (no lock after waiting %s; quit the other one, or pick another --data-dir or --mem)", e.Path, e.Waited)
}

func (e *StoreInUseError) Unwrap() error { return e.LockErr }

// DefaultDataDir returns $XDG_DATA_HOME/blockscope, else ~/.local/share/blockscope.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "blockscope"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "blockscope"), nil
}

// OpenStore opens (creating when needed) the store file StoreFileName in
// directory dir. When another process holds the store it gives up after
// opts.Timeout with a *StoreInUseError instead of waiting forever. It does
// not check the stored chain; OpenChain does.
func OpenStore(dir string, opts StoreOptions) (*Store, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store in %s: %w", dir, err)
	}
	path := filepath.Join(dir, StoreFileName)
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &StoreInUseError{Path: path, Waited: timeout, LockErr: err}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.MaxBatchDelay = batchDelay
	s := &Store{path: path, db: db}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if created {
		// A new file's directory entry must be durable too, or a crash could
		// lose the whole store along with everything acknowledged in it.
		if err := syncDir(dir); err != nil {
			db.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	return s, nil
}

// init creates the buckets of a new store and checks the format of an
// existing one. An existing store is only read, so that opening a damaged
// store to report on it changes nothing in the file.
func (s *Store) init() error {
	names := [][]byte{bucketBlocks, bucketHashes, bucketPending, bucketMeta, bucketStore}
	complete := false
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range names {
			if tx.Bucket(name) == nil {
				return nil
			}
		}
		complete = true
		return checkFormat(tx.Bucket(bucketStore).Get(keyFormat))
	})
	if err != nil || complete {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range names {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		st := tx.Bucket(bucketStore)
		if format := st.Get(keyFormat); format != nil {
			return checkFormat(format)
		}
		return st.Put(keyFormat, []byte(storeFormat))
	})
}

func checkFormat(format []byte) error {
	if string(format) != storeFormat {
		return fmt.Errorf("not a blockscope store: format %q, want %q", format, storeFormat)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// Path returns the store file's path.
func (s *Store) Path() string { return s.path }

// Close waits for running transactions and closes the store file, releasing
// its lock.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// Meta returns a copy of the value stored under key, or nil when there is none.
func (s *Store) Meta(key string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get([]byte(key)); v != nil {
			out = append([]byte{}, v...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read meta %q: %w", key, err)
	}
	return out, nil
}

// SetMeta stores value under key durably; a nil value removes the key.
func (s *Store) SetMeta(key string, value []byte) error {
	if key == "" {
		return errors.New("set meta: empty key")
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if value == nil {
			return tx.Bucket(bucketMeta).Delete([]byte(key))
		}
		return tx.Bucket(bucketMeta).Put([]byte(key), value)
	})
	if err != nil {
		return fmt.Errorf("set meta %q in %s: %w", key, s.path, err)
	}
	return nil
}

// Height returns the height of the newest stored block, or -1 when the store
// holds none. It reads one key, whatever the chain's length.
func (s *Store) Height() (int64, error) {
	height := int64(-1)
	err := s.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketBlocks).Cursor().Last()
		if k == nil {
			return nil
		}
		h, err := heightKey(k)
		if err != nil {
			return err
		}
		height = h
		return nil
	})
	if err != nil {
		return -1, fmt.Errorf("read height of %s: %w", s.path, err)
	}
	return height, nil
}

// LastBlocks returns the newest n stored blocks (fewer when the store holds
// fewer), oldest first. Its cost depends on n, not on the chain's length.
// The blocks are parsed but not validated; a block that does not parse comes
// back as a *DamagedStoreError naming its height.
func (s *Store) LastBlocks(n int) ([]*Block, error) {
	if n <= 0 {
		return nil, nil
	}
	var out []*Block
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketBlocks).Cursor()
		for k, v := c.Last(); k != nil && len(out) < n; k, v = c.Prev() {
			b, err := storedBlock(k, v)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the newest blocks of %s: %w", s.path, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// HeightOf returns the height of the stored block with the given hex hash,
// and false when the store holds no such block.
func (s *Store) HeightOf(hash string) (int64, bool, error) {
	raw, err := hex.DecodeString(hash)
	if err != nil || len(raw) != 32 {
		return 0, false, nil
	}
	height, found := int64(0), false
	err = s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketHashes).Get(raw)
		if v == nil {
			return nil
		}
		h, err := heightKey(v)
		if err != nil {
			return err
		}
		// The index is only a shortcut: trust it only when the block
		// stored at that height really has this hash.
		stored := tx.Bucket(bucketBlocks).Get(v)
		if stored == nil || !bytes.Equal(wireHash(stored), []byte(hash)) {
			return nil
		}
		height, found = h, true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("look up block %s in %s: %w", short(hash), s.path, err)
	}
	return height, found, nil
}

// loadBlocks reads every block in height order, parsing each once (on all
// cores: parsing is most of the start-up time of a long chain). A value that
// does not parse, a missing height or a block stored under another height
// than its index comes back as a *DamagedStoreError naming the lowest such
// height.
func (s *Store) loadBlocks() ([]*Block, error) {
	var blocks []*Block
	err := s.view(func(tx *bolt.Tx) error {
		var keys, values [][]byte
		c := tx.Bucket(bucketBlocks).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			want := int64(len(keys))
			if h, err := heightKey(k); err == nil && h != want {
				if h > want {
					return damaged(want, fmt.Sprintf("missing from the store (the next stored height is %d)", h))
				}
				return damaged(want, fmt.Sprintf("stored under a key out of order (height %d)", h))
			}
			keys, values = append(keys, k), append(values, v)
		}
		if len(keys) == 0 {
			// An empty chain gets a new genesis; a chain whose blocks were
			// all deleted must not be silently restarted.
			if k, _ := tx.Bucket(bucketHashes).Cursor().First(); k != nil {
				return damaged(0, "missing from the store, with every other block (the hash index still lists them)")
			}
		}
		// keys and values point into bbolt's memory map, valid only inside
		// this transaction: parse before returning.
		blocks = make([]*Block, len(keys))
		return parseStored(keys, values, blocks)
	})
	if err != nil {
		return nil, wrapLoad(s.path, "read blocks", err)
	}
	return blocks, nil
}

// parseStored fills blocks[i] from keys[i] and values[i] on every core and
// returns the error of the lowest height that fails.
func parseStored(keys, values [][]byte, blocks []*Block) error {
	const minChunk = 2048 // below this, starting goroutines costs more than it saves
	workers := min(runtime.GOMAXPROCS(0), (len(keys)+minChunk-1)/minChunk)
	if workers <= 1 {
		return parseRange(keys, values, blocks, 0, len(keys))
	}
	errs := make([]error, workers)
	chunk := (len(keys) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = parseRange(keys, values, blocks, w*chunk, min((w+1)*chunk, len(keys)))
		}()
	}
	wg.Wait()
	// Chunks are in height order, so the first error is the lowest height's.
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func parseRange(keys, values [][]byte, blocks []*Block, from, to int) error {
	for i := from; i < to; i++ {
		b, err := storedBlock(keys[i], values[i])
		if err != nil {
			return err
		}
		blocks[i] = b
	}
	return nil
}

// loadPending reads the pending pool in Seq order.
func (s *Store) loadPending() ([]PendingTx, error) {
	var pending []PendingTx
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPending).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) != 8 {
				return &DamagedStoreError{Err: fmt.Errorf("pending transaction key %x is not 8 bytes", k)}
			}
			seq := binary.BigEndian.Uint64(k)
			decoded, err := Decode(v)
			if err != nil {
				return &DamagedStoreError{Err: fmt.Errorf("pending transaction #%d: %w", seq, err)}
			}
			obj, ok := decoded.(map[string]any)
			if !ok {
				return &DamagedStoreError{Err: fmt.Errorf("pending transaction #%d is %s, not an object", seq, kindOf(decoded))}
			}
			pending = append(pending, PendingTx{Seq: seq, Tx: obj, Canonical: append([]byte{}, v...)})
		}
		return nil
	})
	if err != nil {
		return nil, wrapLoad(s.path, "read pending transactions", err)
	}
	return pending, nil
}

// addPending stores one transaction in a batch shared with concurrent
// callers, so they share one fsync. bbolt may run the function more than
// once (after another call in the batch failed); every run starts from the
// rolled-back state and overwrites seq, so reruns are harmless.
func (s *Store) addPending(_ map[string]any, canonical []byte) (uint64, error) {
	var seq uint64
	err := s.db.Batch(func(tx *bolt.Tx) error {
		var err error
		seq, err = putPending(tx.Bucket(bucketPending), canonical)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add pending transaction to %s: %w", s.path, err)
	}
	return seq, nil
}

// appendBlock stores b at its height and removes the pending transactions
// drop, in one durable transaction. It refuses a block that would leave a gap
// or overwrite a stored height, which would mean the chain in memory and the
// store disagree.
func (s *Store) appendBlock(b *Block, drop []uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		blocks := tx.Bucket(bucketBlocks)
		next := int64(0)
		if k, _ := blocks.Cursor().Last(); k != nil {
			h, err := heightKey(k)
			if err != nil {
				return err
			}
			next = h + 1
		}
		if b.index != next {
			return fmt.Errorf("block %d does not follow the stored chain (next height is %d)", b.index, next)
		}
		if err := putBlocks(tx, []*Block{b}); err != nil {
			return err
		}
		return deletePending(tx.Bucket(bucketPending), drop)
	})
	if err != nil {
		return fmt.Errorf("append block %d to %s: %w", b.index, s.path, err)
	}
	return nil
}

// replace truncates the chain to the heights below from, stores blocks from
// there, removes the pending transactions drop and adds restore as new
// pending transactions, all in one durable transaction.
func (s *Store) replace(from int64, blocks []*Block, drop []uint64, restore []PendingTx) ([]PendingTx, error) {
	var restored []PendingTx
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := truncateBlocks(tx, from); err != nil {
			return err
		}
		for i, b := range blocks {
			if b.index != from+int64(i) {
				return fmt.Errorf("block %d given for height %d", b.index, from+int64(i))
			}
		}
		if err := putBlocks(tx, blocks); err != nil {
			return err
		}
		pending := tx.Bucket(bucketPending)
		if err := deletePending(pending, drop); err != nil {
			return err
		}
		restored = make([]PendingTx, len(restore))
		for i, p := range restore {
			seq, err := putPending(pending, p.Canonical)
			if err != nil {
				return err
			}
			p.Seq = seq
			restored[i] = p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("replace blocks from height %d in %s: %w", from, s.path, err)
	}
	return restored, nil
}

// truncateBlocks removes every block at height from or above, and its entry
// in the hash index.
func truncateBlocks(tx *bolt.Tx, from int64) error {
	blocks, hashes := tx.Bucket(bucketBlocks), tx.Bucket(bucketHashes)
	var keys, values [][]byte
	c := blocks.Cursor()
	// Deleting under a live cursor skips keys in bbolt: collect first.
	for k, v := c.Seek(heightBytes(from)); k != nil; k, v = c.Next() {
		keys = append(keys, k)
		values = append(values, v)
	}
	for i, k := range keys {
		if h, err := hex.DecodeString(string(wireHash(values[i]))); err == nil && len(h) == 32 {
			if err := hashes.Delete(h); err != nil {
				return fmt.Errorf("unindex block at %x: %w", k, err)
			}
		}
		if err := blocks.Delete(k); err != nil {
			return fmt.Errorf("delete block at %x: %w", k, err)
		}
	}
	return nil
}

// putBlocks stores blocks by height and indexes them by hash. The index is
// written in hash order: bbolt keeps a transaction's new keys in sorted
// in-memory nodes, so random-order inserts cost a copy each and adopting a
// 100,000-block chain would take seconds instead of a fraction of one.
func putBlocks(tx *bolt.Tx, blocks []*Block) error {
	bucket := tx.Bucket(bucketBlocks)
	// Blocks are appended in key order, so full pages waste nothing.
	bucket.FillPercent = 0.95
	type entry struct {
		hash [32]byte
		key  []byte
	}
	index := make([]entry, len(blocks))
	for i, b := range blocks {
		key := heightBytes(b.index)
		if err := bucket.Put(key, b.WireJSON()); err != nil {
			return fmt.Errorf("store block %d: %w", b.index, err)
		}
		index[i] = entry{b.HashBytes(), key}
	}
	slices.SortFunc(index, func(a, b entry) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	hashes := tx.Bucket(bucketHashes)
	for _, e := range index {
		if err := hashes.Put(e.hash[:], e.key); err != nil {
			return fmt.Errorf("index block %d: %w", binary.BigEndian.Uint64(e.key), err)
		}
	}
	return nil
}

func putPending(bucket *bolt.Bucket, canonical []byte) (uint64, error) {
	seq, err := bucket.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("next pending sequence: %w", err)
	}
	if err := bucket.Put(seqBytes(seq), canonical); err != nil {
		return 0, fmt.Errorf("store pending transaction #%d: %w", seq, err)
	}
	return seq, nil
}

func deletePending(bucket *bolt.Bucket, drop []uint64) error {
	for _, seq := range drop {
		if err := bucket.Delete(seqBytes(seq)); err != nil {
			return fmt.Errorf("remove pending transaction #%d: %w", seq, err)
		}
	}
	return nil
}

// storedBlock parses the block stored under key k and checks that it is the
// block for that height.
func storedBlock(k, v []byte) (*Block, error) {
	height, err := heightKey(k)
	if err != nil {
		return nil, &DamagedStoreError{Err: &MalformedBlockError{Index: -1, Why: err.Error()}}
	}
	b, err := ParseBlock(v)
	if err != nil {
		var mal *MalformedBlockError
		why := err.Error()
		if errors.As(err, &mal) {
			why = mal.Why
		}
		return nil, damaged(height, "stored value does not parse: "+why)
	}
	if b.index != height {
		return nil, damaged(height, fmt.Sprintf("stored at height %d but its index is %d", height, b.index))
	}
	return b, nil
}

func damaged(height int64, why string) error {
	return &DamagedStoreError{Err: &MalformedBlockError{Index: height, Why: why}}
}

// wrapLoad adds context to an I/O error. A *DamagedStoreError comes back
// as it is, like the one OpenChain returns for a broken link, so that callers
// see one kind of error for every damaged store.
func wrapLoad(path, what string, err error) error {
	var d *DamagedStoreError
	if errors.As(err, &d) {
		return d
	}
	return fmt.Errorf("%s from %s: %w", what, path, err)
}

// view runs fn in a read transaction. bbolt panics on some kinds of page
// corruption; a corrupt file is input, so it comes back as an error.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &DamagedStoreError{Err: fmt.Errorf("the store file is corrupt: %v", r)}
		}
	}()
	return s.db.View(fn)
}

// wireHash returns the hash a stored WireJSON value claims, which it holds
// at a fixed place: {"hash": "<64 hex digits>", ...}. It returns nil for a
// value of another shape.
func wireHash(v []byte) []byte {
	const prefix = `{"hash": "`
	if len(v) < len(prefix)+65 || string(v[:len(prefix)]) != prefix || v[len(prefix)+64] != '"' {
		return nil
	}
	return v[len(prefix) : len(prefix)+64]
}

func heightBytes(h int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(h))
	return k[:]
}

func seqBytes(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

func heightKey(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("key %x is not an 8-byte height", k)
	}
	h := binary.BigEndian.Uint64(k)
	if h > 1<<62 {
		return 0, fmt.Errorf("key %x is not a plausible height", k)
	}
	return int64(h), nil
}
