package blockchain

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ReadStoreMeta returns a copy of the value stored under key (see
// Store.Meta) in the store in directory dir, or nil when there is none. It
// opens the file read-only and closes it before returning: it never
// creates, changes or upgrades a store, so that it is safe for quick
// lookups such as shell completion. A store another process holds open (a
// running blockscope does) yields a *StoreInUseError after timeout.
func ReadStoreMeta(dir, key string, timeout time.Duration) ([]byte, error) {
	path := filepath.Join(dir, StoreFileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &StoreInUseError{Path: path, Waited: timeout, LockErr: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read meta %q of %s: %w", key, path, err)
	}
	defer db.Close()
	var out []byte
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get([]byte(key)); v != nil {
				out = append([]byte{}, v...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read meta %q of %s: %w", key, path, err)
	}
	return out, nil
}
