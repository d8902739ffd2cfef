package blockchain

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The buckets of the first layout, which migrate converts and deletes.
var (
	bucketBlocksV1 = []byte("blocks") // height -> block wire JSON
	bucketHashesV1 = []byte("hashes") // raw 32-byte hash -> height
)

// migrateBatch is how many blocks one transaction of the migration
// converts: the migration's memory is bounded by it, not by the chain.
var migrateBatch = 16384

// migrate converts a store of the first layout in place. It writes the new
// chain bucket beside the old one in batches and switches in one last
// transaction that deletes the old buckets and writes the new format, so
// that a kill at any moment leaves either the old store (the format still
// says so, and a partial new bucket is dropped on the next open) or the new
// one. A block it cannot convert without losing what it holds is reported
// as damage, and the old store is left as it was.
func (s *Store) migrate() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketChain) != nil {
			if err := tx.DeleteBucket(bucketChain); err != nil {
				return fmt.Errorf("drop an interrupted migration: %w", err)
			}
		}
		_, err := tx.CreateBucket(bucketChain)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate from %s: %w", storeFormatV1, err)
	}
	var after []byte // the last key converted
	for done := false; !done; {
		var last []byte
		err := s.db.Update(func(tx *bolt.Tx) error {
			var err error
			last, done, err = migrateBatchAfter(tx, after)
			return err
		})
		if err != nil {
			var d *DamagedStoreError
			if errors.As(err, &d) {
				s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketChain) })
				return err
			}
			return fmt.Errorf("migrate from %s: %w", storeFormatV1, err)
		}
		after = last
	}
	if err := s.db.Update(finishMigration); err != nil {
		return fmt.Errorf("migrate from %s: %w", storeFormatV1, err)
	}
	return nil
}

// migrateBatchAfter converts up to migrateBatch blocks stored after key
// after (from the first when nil) and returns the last key converted and
// whether none is left.
func migrateBatchAfter(tx *bolt.Tx, after []byte) ([]byte, bool, error) {
	old := tx.Bucket(bucketBlocksV1)
	if old == nil {
		return after, true, nil
	}
	dst := tx.Bucket(bucketChain)
	dst.FillPercent = 0.95
	c := old.Cursor()
	k, v := c.First()
	if after != nil {
		if k, v = c.Seek(after); bytes.Equal(k, after) {
			k, v = c.Next()
		}
	}
	for n := 0; k != nil && n < migrateBatch; n++ {
		h, err := heightKey(k)
		if err != nil {
			return nil, false, &DamagedStoreError{Err: &MalformedBlockError{Index: -1, Why: err.Error()}}
		}
		value, err := convertV1(h, v)
		if err != nil {
			return nil, false, err
		}
		after = bytes.Clone(k)
		if err := dst.Put(after, value); err != nil {
			return nil, false, fmt.Errorf("store block %d: %w", h, err)
		}
		k, v = c.Next()
	}
	return after, k == nil, nil
}

// finishMigration records the chain's length, deletes the old buckets and
// writes the new format, in the migration's last transaction.
func finishMigration(tx *bolt.Tx) error {
	length := int64(0)
	if k, _ := tx.Bucket(bucketChain).Cursor().Last(); k != nil {
		h, err := heightKey(k)
		if err != nil {
			return err
		}
		length = h + 1
	} else if hashes := tx.Bucket(bucketHashesV1); hashes != nil {
		// Every block deleted but the index still listing them: keep
		// the length, so that the damage is reported, not hidden.
		length = int64(hashes.Stats().KeyN)
	}
	for _, name := range [][]byte{bucketBlocksV1, bucketHashesV1} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("delete bucket %s: %w", name, err)
			}
		}
	}
	if err := setLength(tx, length); err != nil {
		return err
	}
	return tx.Bucket(bucketStore).Put(keyFormat, []byte(storeFormat))
}

// convertV1 turns a block stored as wire JSON into the stored value of
// this layout. The wire JSON this package wrote is {"hash": "<hex>", then
// the preimage's fields: the preimage is taken byte for byte, without
// decoding. Any other shape is decoded; a block whose claimed hash is not
// a digest cannot be kept with its claim and is reported as damage.
func convertV1(h int64, v []byte) ([]byte, error) {
	const prefix = `{"hash": "`
	p := len(prefix)
	if len(v) > p+67 && string(v[:p]) == prefix && string(v[p+64:p+67]) == `", ` {
		if hash, ok := decodeLowerHex(string(v[p : p+64])); ok {
			preimage := append([]byte{'{'}, v[p+67:]...)
			return appendStoredParts(nil, &hash, preimage), nil
		}
	}
	b, err := ParseBlock(v)
	if err != nil {
		var mal *MalformedBlockError
		why := err.Error()
		if errors.As(err, &mal) {
			why = mal.Why
		}
		return nil, damaged(h, "stored value does not parse: "+why)
	}
	claimed, _ := b.ClaimedHash()
	if !b.claimedOK {
		return nil, &DamagedStoreError{Err: &HashMismatchError{Index: h, Claimed: claimed, Computed: b.Hash()}}
	}
	return appendStoredParts(nil, &b.claimedRaw, b.preimage), nil
}
