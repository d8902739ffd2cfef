package blockchain

import (
	"bytes"
	"fmt"
	"testing"
)

// TestScanValuesHandsEveryValueOnce: both backends hand the check every
// stored value of the range once, in order, under its own height, in
// batches of at most the size asked for, the same bytes scan splits.
func TestScanValuesHandsEveryValueOnce(t *testing.T) {
	dir := t.TempDir()
	buildStoredChain(t, dir, 6) // 7 blocks
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := NewMemoryChain(ChainOptions{})
	for i := 1; i <= 6; i++ {
		addTx(t, c, "alice", fmt.Sprintf("pay bob %d", i))
		mineNext(t, c)
	}
	mem := c.store.(*memoryBackend)
	for name, b := range map[string]backend{"store": s, "memory": mem} {
		for _, size := range []int{1, 3, 4, 8} {
			for _, r := range [][2]int64{{0, 7}, {2, 7}, {3, 5}, {6, 7}, {4, 4}} {
				t.Run(fmt.Sprintf("%s size %d heights %d-%d", name, size, r[0], r[1]), func(t *testing.T) {
					var want [][]byte
					if err := b.scan(r[0], r[1], func(sb *StoredBlock) error {
						want = append(want, bytes.Clone(sb.Preimage))
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					next := r[0]
					err := b.scanValues(r[0], r[1], size, func(first int64, values [][]byte) error {
						if first != next || len(values) == 0 || len(values) > size {
							return fmt.Errorf("a batch of %d from height %d, want up to %d from %d", len(values), first, size, next)
						}
						for i, v := range values {
							p, _, err := splitStored(v)
							if err != nil || !bytes.Equal(p, want[first-r[0]+int64(i)]) {
								return fmt.Errorf("height %d: value %q (%v) is not the stored block's", first+int64(i), v, err)
							}
						}
						next += int64(len(values))
						return nil
					})
					if err != nil || next != r[1] {
						t.Fatalf("scanValues: %v, %d values handed, want %d", err, next-r[0], r[1]-r[0])
					}
				})
			}
		}
	}
}
