package blockchain

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// StoreFileName is the name of the bbolt file inside a store directory.
const StoreFileName = "chain.db"

// storeFormat is written once into a new store so that a later, incompatible
// layout can recognise (and refuse or migrate) files written by this one.
// storeFormatV1 is the first layout (blocks as wire JSON plus a hash index),
// migrated in place when opened.
const (
	storeFormat   = "blockscope-store-2"
	storeFormatV1 = "blockscope-store-1"
)

// The store's buckets. Keys of chain and pending are 8-byte big-endian
// numbers, so bbolt's byte order is height order and arrival order.
var (
	bucketChain   = []byte("chain")   // height -> stored block (see appendStored)
	bucketPending = []byte("pending") // Seq -> canonical transaction JSON
	bucketMeta    = []byte("meta")    // caller's key -> caller's value
	bucketStore   = []byte("store")   // the store's own bookkeeping
	keyFormat     = []byte("format")
	// keyLength holds the number of stored blocks, written with every
	// change to chain, so that blocks missing from the top are noticed.
	keyLength = []byte("length")
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
//
// A staging or a replaced chain that a crash left in the file is deleted
// by a goroutine of the store's own, started by OpenStore and stopped by
// Close (see sweepLeftovers).
type Store struct {
	path string
	db   *bolt.DB

	// dropMu serializes deleting staged and replaced chains; leftover
	// names the buckets a crash left that the sweep has yet to delete
	// (guarded by dropMu). A bucket deleted or started anew by another
	// caller leaves the list, so the sweep never touches a new staging.
	dropMu   sync.Mutex
	leftover [][]byte
	// closing is closed by Close to stop the sweep; swept is closed when
	// the sweep has ended.
	closing   chan struct{}
	closeOnce sync.Once
	swept     chan struct{}
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
	s := &Store{path: path, db: db, closing: make(chan struct{}), swept: make(chan struct{})}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := s.findLeftovers(); err != nil {
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
	go s.sweepLeftovers()
	return s, nil
}

// init creates the buckets of a new store, checks the format of an
// existing one and migrates a store of the first layout. An existing store
// of this layout is only read, so that opening a damaged store to report on
// it changes nothing in the file.
func (s *Store) init() error {
	names := [][]byte{bucketChain, bucketPending, bucketMeta, bucketStore}
	var format []byte
	complete := true
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range names {
			complete = complete && tx.Bucket(name) != nil
		}
		if st := tx.Bucket(bucketStore); st != nil {
			format = bytes.Clone(st.Get(keyFormat))
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case string(format) == storeFormatV1:
		return s.migrate()
	case format != nil && string(format) != storeFormat:
		return checkFormat(format)
	case complete && format != nil:
		return nil
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

// Close stops the deletion of leftovers after its current transaction,
// waits for running transactions and closes the store file, releasing its
// lock.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closing) })
	<-s.swept
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
