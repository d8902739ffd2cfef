package blockchain

import (
	"errors"
	"os"
	"path/filepath"
	"time"
)

// placeholder: the bbolt implementation replaces this file.

// StoreOptions configure OpenStore.
type StoreOptions struct {
	// Timeout bounds the wait for another process's lock on the store;
	// zero means one second.
	Timeout time.Duration
}

// Store keeps blocks, the pending pool and metadata in a bbolt file.
// It is safe for concurrent use.
type Store struct{ path string }

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

// OpenStore opens (creating when needed) the store in directory dir.
func OpenStore(dir string, opts StoreOptions) (*Store, error) {
	return nil, errors.New("store: not implemented yet")
}

// Path returns the store file's path.
func (s *Store) Path() string { return s.path }

// Close closes the store.
func (s *Store) Close() error { return nil }

// Meta returns the value stored under key, or nil when there is none.
func (s *Store) Meta(key string) ([]byte, error) { return nil, nil }

// SetMeta stores value under key durably.
func (s *Store) SetMeta(key string, value []byte) error { return nil }

func (s *Store) loadBlocks() ([]*Block, error)      { return nil, nil }
func (s *Store) loadPending() ([]PendingTx, error)  { return nil, nil }
func (s *Store) appendBlock(*Block, []uint64) error { return nil }
func (s *Store) addPending(map[string]any, []byte) (uint64, error) {
	return 0, errors.New("not implemented")
}
func (s *Store) replace(int64, []*Block, []uint64, []PendingTx) ([]PendingTx, error) {
	return nil, errors.New("not implemented")
}
