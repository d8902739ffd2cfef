package blockchain

import (
	"errors"
	"fmt"
)

// ErrChainChanged is returned by a BlockReader when the chain was replaced
// (a longer chain adopted) while it read: the blocks it already gave and
// the ones that would follow belong to different chains.
var ErrChainChanged = errors.New("the chain was replaced while it was being read")

// readerChunkBytes bounds the bytes a BlockReader copies out of one read
// snapshot (one block more when a block alone is larger), so that its memory
// and the time it holds a read transaction stay small whatever the chain's
// length and however slow its consumer is.
var readerChunkBytes = 64 << 10

// BlockReader reads the stored blocks of a chain in height order, from a
// given height to the chain's length when it was created, in bounded
// chunks: its memory does not depend on the chain's length. It is for one
// goroutine; many readers may run at once.
//
//	r := chain.ReadBlocks(from)
//	for r.Next() {
//		sb := r.Block() // valid until the next call to Next
//		w.Write(sb.AppendWire(buf[:0]))
//	}
//	if err := r.Err(); err != nil { ... }
//	r.Close()
type BlockReader struct {
	chain  *Chain
	next   int64 // the height of the first block not yet buffered
	end    int64
	buf    []byte
	blocks []StoredBlock
	pos    int
	last   [32]byte // the hash of block next-1, once one was read
	read   bool
	owed   fileRange // the store's pages read and not let go of yet
	err    error
}

// ReadBlocks returns a reader of the blocks from height from (at least 0)
// to the chain's current length.
func (c *Chain) ReadBlocks(from int64) *BlockReader {
	n := int64(c.Len())
	return &BlockReader{chain: c, next: min(max(from, 0), n), end: n}
}

// Length returns the chain's length when the reader was created: the
// height after the last block it gives.
func (r *BlockReader) Length() int64 { return r.end }

// Next advances to the next block and reports whether there is one; at the
// end or on an error it returns false (see Err).
func (r *BlockReader) Next() bool {
	if r.pos+1 < len(r.blocks) {
		r.pos++
		return true
	}
	if r.err != nil || r.next >= r.end {
		return false
	}
	r.fill()
	if r.err != nil || len(r.blocks) == 0 {
		return false
	}
	r.pos = 0
	return true
}

// Block returns the current block; its slices are valid until the next
// call to Next.
func (r *BlockReader) Block() *StoredBlock { return &r.blocks[r.pos] }

// Close lets go of the store's pages the reader read and has not let go of
// yet: a reader read to its end has none left, but one given up on (a
// client that went away, a comparison that ended) would keep up to a
// couple of MiB of the chain resident, each at another place. The reader
// is not used after.
func (r *BlockReader) Close() {
	if r.owed == (fileRange{}) {
		return
	}
	// An empty long read ends the read: it lets go of what is owed.
	_ = r.chain.store.scanLongRead(r.end, r.end, &r.owed, func(*StoredBlock) error { return nil })
}

// Err returns the error that ended the reading, or nil at the end.
func (r *BlockReader) Err() error { return r.err }

// fill reads the next chunk in one snapshot. It reads from the block before
// the chunk too, when one was given already, to check that the chain it
// continues is still the one given so far.
func (r *BlockReader) fill() {
	if r.buf == nil {
		// Sized once, so that a reader allocates the same whatever it reads.
		r.buf = make([]byte, 0, readerChunkBytes+4096)
		r.blocks = make([]StoredBlock, 0, 256)
	}
	r.buf, r.blocks, r.pos = r.buf[:0], r.blocks[:0], 0
	from := r.next
	if r.read {
		from--
	}
	// No chunk alone reads enough for a scan to let go of the pages it
	// read: the reader does (owed), or a whole /chain would leave the
	// chain's pages resident.
	err := r.chain.store.scanLongRead(from, r.end, &r.owed, func(sb *StoredBlock) error {
		if sb.Height < r.next {
			if sb.Hash != r.last {
				return ErrChainChanged
			}
			return nil
		}
		if len(r.blocks) > 0 && len(r.buf)+len(sb.Preimage)+len(sb.wire) > readerChunkBytes {
			return errStopScan
		}
		r.buf = append(r.buf, sb.Preimage...)
		r.buf = append(r.buf, sb.wire...)
		// The slices only carry lengths until fixSlices: buf may move.
		r.blocks = append(r.blocks, StoredBlock{Height: sb.Height, Hash: sb.Hash, Preimage: sb.Preimage, wire: sb.wire})
		r.next, r.last, r.read = sb.Height+1, sb.Hash, true
		return nil
	})
	if err != nil && !errors.Is(err, errStopScan) {
		r.err = fmt.Errorf("read block %d: %w", r.next, err)
		r.blocks = r.blocks[:0]
		return
	}
	r.fixSlices()
}

// fixSlices points the buffered blocks' slices at the final buffer.
func (r *BlockReader) fixSlices() {
	off := 0
	for i := range r.blocks {
		b := &r.blocks[i]
		np, nw := len(b.Preimage), len(b.wire)
		b.Preimage = r.buf[off : off+np : off+np]
		off += np
		if b.wire != nil {
			b.wire = r.buf[off : off+nw : off+nw]
			off += nw
		}
	}
}

// ScanWire calls fn with the height, hash and preimage of each block from
// height from to the chain's length when it is called, in order, read in
// bounded chunks whose links to each other are checked (ErrChainChanged
// when the chain was replaced midway). The slices are valid only during
// fn; fn's error stops it. It returns the length the blocks were read to.
func (c *Chain) ScanWire(from int64, fn func(height int64, hash [32]byte, preimage []byte) error) (int64, error) {
	r := c.ReadBlocks(from)
	defer r.Close()
	for r.Next() {
		sb := r.Block()
		if err := fn(sb.Height, sb.Hash, sb.Preimage); err != nil {
			return r.Length(), err
		}
	}
	return r.Length(), r.Err()
}

// HashAt returns the hash of the block at height h, read without decoding
// the block, and false when there is none or it cannot be read.
func (c *Chain) HashAt(h int64) ([32]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if h < 0 || h >= c.length {
		return [32]byte{}, false
	}
	if h == c.length-1 {
		return c.tip.hash, true
	}
	var hash [32]byte
	err := c.store.scan(h, h+1, func(sb *StoredBlock) error {
		hash = sb.Hash
		return nil
	})
	return hash, err == nil
}
