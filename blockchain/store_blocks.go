package blockchain

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// blockCount returns the number of stored blocks, checking the store's
// bookkeeping against the keys: a missing top block or an emptied chain is
// damage, reported with the lowest missing height.
func (s *Store) blockCount() (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = countBlocks(tx)
		return err
	})
	if err != nil {
		return 0, wrapLoad(s.path, "read the chain's length", err)
	}
	return n, nil
}

func countBlocks(tx *bolt.Tx) (int64, error) {
	recorded := int64(0)
	if v := tx.Bucket(bucketStore).Get(keyLength); len(v) == 8 {
		recorded = int64(binary.BigEndian.Uint64(v))
	}
	k, _ := tx.Bucket(bucketChain).Cursor().Last()
	if k == nil {
		if recorded > 0 {
			return 0, damaged(0, fmt.Sprintf("missing from the store, with every other block (the store records %d)", recorded))
		}
		return 0, nil
	}
	last, err := heightKey(k)
	if err != nil {
		return 0, &DamagedStoreError{Err: &MalformedBlockError{Index: -1, Why: err.Error()}}
	}
	switch {
	case last+1 < recorded:
		return 0, damaged(last+1, fmt.Sprintf("missing from the store (the store records %d blocks)", recorded))
	case last+1 > recorded:
		return 0, damaged(recorded, fmt.Sprintf("stored beyond the chain's recorded end (%d blocks)", recorded))
	}
	return recorded, nil
}

// scan calls fn with the stored blocks of heights from to to-1 in order,
// inside one read transaction: they are one consistent snapshot. The
// StoredBlock's slices point into bbolt's memory map and are valid only
// during the call. A missing height or a value that does not split comes
// back as a *DamagedStoreError naming the lowest such height.
func (s *Store) scan(from, to int64, fn func(sb *StoredBlock) error) error {
	return s.scanReleasing(from, to, func(span *pageSpan, _ *bolt.Tx, _ error) { span.release() }, fn)
}

// scanLongRead is scan for one chunk of a longer read, which owed carries
// from chunk to chunk: the pages of the memory map the chunks read are let
// go of every releaseAfter and at the end (see pageSpan.settle), so that a
// reader going through the whole chain a chunk at a time does not keep the
// chain's pages resident.
func (s *Store) scanLongRead(from, to int64, owed *fileRange, fn func(sb *StoredBlock) error) error {
	return s.scanReleasing(from, to, func(span *pageSpan, tx *bolt.Tx, err error) {
		// Info gives the start of bbolt's map of the file, which stays
		// put while tx is open; its first tx.Size() bytes are the file's.
		span.settle(owed, tx.DB().Info().Data, uintptr(tx.Size()), !errors.Is(err, errStopScan))
	}, fn)
}

// scanReleasing is scan ending with release over the pages it read, called
// with the scan's error while its read transaction is open.
func (s *Store) scanReleasing(from, to int64, release func(*pageSpan, *bolt.Tx, error), fn func(sb *StoredBlock) error) error {
	err := s.view(func(tx *bolt.Tx) error {
		var span pageSpan
		err := scanBucket(tx.Bucket(bucketChain), from, to, &span, fn)
		release(&span, tx, err)
		return err
	})
	if err != nil {
		return wrapLoad(s.path, "read blocks", err)
	}
	return nil
}

// releaseAfter is how much of the memory map a scan reads before it lets
// the pages go (see pageSpan): a screenful of blocks keeps them, a check or
// a /chain answer does not grow the process's resident memory with the
// chain.
const releaseAfter = 1 << 20

// releaseMapped lets go of every page of the store's memory map this
// process holds, as a long scan does of the ones it read (see
// pageSpan.release): the pages stay in the page cache.
func (s *Store) releaseMapped() {
	_ = s.view(func(tx *bolt.Tx) error {
		releaseAll(tx.DB().Info().Data, uintptr(tx.Size()))
		return nil
	})
}

// scanValues calls fn with the stored values of heights from to to-1, in
// order, up to size at a time, inside one read transaction: values[i] is
// the value stored at height first+i, not yet split (see splitStored), so
// that a check reads each in place. The values point into bbolt's memory
// map and are valid only during the call. When the scan meets a missing
// height or a key that is not one, the values before it are handed over
// first, so that fn's verdict on a lower block comes first.
func (s *Store) scanValues(from, to int64, size int, fn func(first int64, values [][]byte) error) error {
	err := s.view(func(tx *bolt.Tx) error {
		var span pageSpan
		defer span.release()
		return scanBucketValues(tx.Bucket(bucketChain), from, to, size, &span, fn)
	})
	if err != nil {
		return wrapLoad(s.path, "read blocks", err)
	}
	return nil
}

// readAheadLines is how many cache lines past a batch readAhead asks for:
// the next two batches of blocks of a few hundred bytes. Fewer left the
// hashing waiting; more measured no better, and every other line (leaving
// the rest to the CPU's own prefetching) measured worse.
const readAheadLines = 64

// readAhead asks the CPU to bring the memory that follows v, the last value
// of a batch, into its caches while the batch is checked: the next batch's
// values most often lie there, in the same leaf page or the next one of
// the file. Without it each value's lines are first touched one after
// another (its key, its preimage's last bytes, which the hashing pads, then
// the hashing itself), each waiting on memory; with it the check took a
// fifth less CPU time on the 1,000,000-block store. The prefetch never
// faults, so it costs nothing where the next batch lies elsewhere or the
// map ends. asked is the end of what the scan asked for last: the lines
// before it are not asked for again (a prefetch too has a cost, and was
// still a twentieth of the check's time asking for each line twice).
func readAhead(v []byte, asked *uintptr) {
	end := uintptr(unsafe.Pointer(unsafe.SliceData(v))) + uintptr(len(v))
	from, to := end, end+readAheadLines*64
	if *asked > from && *asked <= to {
		from = *asked
	}
	prefetchLines(from, int((to-from+63)/64))
	*asked = to
}

// scanBucketValues is Store.scanValues inside the read transaction that
// holds b, the chain's bucket: it walks the cursor over up to size values
// of consecutive heights, asks for what follows them (readAhead), and
// hands them to fn; a key that is not the next height ends the scan with
// the damage, after the values before it.
func scanBucketValues(b *bolt.Bucket, from, to int64, size int, span *pageSpan, fn func(first int64, values [][]byte) error) error {
	if from >= to {
		return nil
	}
	c := b.Cursor()
	values := make([][]byte, 0, size)
	want := from
	var asked uintptr // see readAhead
	k, v := c.Seek(heightBytes(from))
	for k != nil && want < to {
		values = values[:0]
		var err error
		for ; k != nil && len(values) < size && want+int64(len(values)) < to; k, v = c.Next() {
			h := want + int64(len(values))
			if len(k) != 8 || binary.BigEndian.Uint64(k) != uint64(h) {
				_, err = storedAt(h, k, v) // why it is not height h
				break
			}
			span.add(v)
			values = append(values, v)
		}
		if n := len(values); n > 0 {
			readAhead(values[n-1], &asked)
			if ferr := fn(want, values); ferr != nil {
				return ferr
			}
		}
		if err != nil {
			return err
		}
		want += int64(len(values))
	}
	if want < to {
		return damaged(want, "missing from the store")
	}
	return nil
}

func scanBucket(b *bolt.Bucket, from, to int64, span *pageSpan, fn func(sb *StoredBlock) error) error {
	if from >= to {
		return nil
	}
	c := b.Cursor()
	want := from
	var sb StoredBlock // one for the whole scan: fn's argument escapes
	for k, v := c.Seek(heightBytes(from)); k != nil && want < to; k, v = c.Next() {
		span.add(v)
		var err error
		if sb, err = storedAt(want, k, v); err != nil {
			return err
		}
		if err := fn(&sb); err != nil {
			return err
		}
		want++
	}
	if want < to {
		return damaged(want, "missing from the store")
	}
	return nil
}

// storedAt splits the stored value v under key k, where the scan expects
// height want: a key that is not a height, another height (want is
// missing) or a value that does not split is damage.
func storedAt(want int64, k, v []byte) (StoredBlock, error) {
	h, err := heightKey(k)
	if err != nil {
		return StoredBlock{}, &DamagedStoreError{Err: &MalformedBlockError{Index: -1, Why: err.Error()}}
	}
	if h != want {
		return StoredBlock{}, damaged(want, fmt.Sprintf("missing from the store (the next stored height is %d)", h))
	}
	sb, err := decodeStored(h, v)
	if err != nil {
		return StoredBlock{}, damaged(h, "stored value does not parse: "+err.Error())
	}
	return sb, nil
}

// appendBlock stores b at its height and removes the pending transactions
// drop, in one durable transaction. It refuses a block that would leave a gap
// or overwrite a stored height, which would mean the chain in memory and the
// store disagree.
func (s *Store) appendBlock(b *Block, drop []uint64) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		next, err := countBlocks(tx)
		if err != nil {
			return err
		}
		if b.index != next {
			return fmt.Errorf("block %d does not follow the stored chain (next height is %d)", b.index, next)
		}
		if err := putBlocks(tx, next, []*Block{b}); err != nil {
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
		if err := putBlocks(tx, from, blocks); err != nil {
			return err
		}
		var err error
		restored, err = updatePending(tx.Bucket(bucketPending), drop, restore)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("replace blocks from height %d in %s: %w", from, s.path, err)
	}
	return restored, nil
}

// updatePending removes the pending transactions drop and adds restore as
// new pending transactions, returned with their sequence numbers.
func updatePending(pending *bolt.Bucket, drop []uint64, restore []PendingTx) ([]PendingTx, error) {
	if err := deletePending(pending, drop); err != nil {
		return nil, err
	}
	restored := make([]PendingTx, len(restore))
	for i, p := range restore {
		seq, err := putPending(pending, p.Canonical)
		if err != nil {
			return nil, err
		}
		p.Seq = seq
		restored[i] = p
	}
	return restored, nil
}

// truncateBlocks removes every block at height from or above.
func truncateBlocks(tx *bolt.Tx, from int64) error {
	blocks := tx.Bucket(bucketChain)
	var keys [][]byte
	c := blocks.Cursor()
	// Deleting under a live cursor skips keys in bbolt: collect first.
	for k, _ := c.Seek(heightBytes(from)); k != nil; k, _ = c.Next() {
		keys = append(keys, k)
	}
	for _, k := range keys {
		if err := blocks.Delete(k); err != nil {
			return fmt.Errorf("delete block at %x: %w", k, err)
		}
	}
	return setLength(tx, from)
}

// putBlocks stores blocks at heights from, from+1, ... and records the new
// length. It refuses a block whose index is not its height.
func putBlocks(tx *bolt.Tx, from int64, blocks []*Block) error {
	bucket := tx.Bucket(bucketChain)
	// Blocks are appended in key order, so full pages waste nothing.
	bucket.FillPercent = 0.95
	var buf []byte
	for i, b := range blocks {
		h := from + int64(i)
		if b.index != h {
			return fmt.Errorf("block %d given for height %d", b.index, h)
		}
		// bbolt keeps the value's memory until the commit: one buffer each.
		buf = appendStored(buf[len(buf):], b)
		if err := bucket.Put(heightBytes(h), buf); err != nil {
			return fmt.Errorf("store block %d: %w", h, err)
		}
	}
	return setLength(tx, from+int64(len(blocks)))
}

func setLength(tx *bolt.Tx, n int64) error {
	if err := tx.Bucket(bucketStore).Put(keyLength, heightBytes(n)); err != nil {
		return fmt.Errorf("record the chain's length: %w", err)
	}
	return nil
}
