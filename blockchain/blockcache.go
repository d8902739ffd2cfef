package blockchain

import "sync/atomic"

// blockCacheSize is how many decoded blocks a Chain keeps: a screenful of
// the chain pane and the inspector's blocks many times over, a few hundred
// kilobytes whatever the chain's length.
const blockCacheSize = 1024

// blockCache is a direct-mapped cache of decoded blocks by height. Its
// slots are atomic, so readers holding the chain's read lock share it.
type blockCache struct {
	slots [blockCacheSize]atomic.Pointer[Block]
}

func (bc *blockCache) get(h int64) *Block {
	if b := bc.slots[h%blockCacheSize].Load(); b != nil && b.index == h {
		return b
	}
	return nil
}

func (bc *blockCache) put(b *Block) {
	bc.slots[b.index%blockCacheSize].Store(b)
}

// dropFrom forgets every block at height from or above.
func (bc *blockCache) dropFrom(from int64) {
	for i := range bc.slots {
		if b := bc.slots[i].Load(); b != nil && b.index >= from {
			bc.slots[i].Store(nil)
		}
	}
}
