package blockchain

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// mappedKB returns the resident kilobytes of this process's mappings of
// the file at path, from /proc/self/smaps.
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 6 && strings.Contains(fields[0], "-") {
			in = fields[len(fields)-1] == path
			continue
		}
		if rest, ok := strings.CutPrefix(line, "Rss:"); ok && in {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			total += n
		}
	}
	return total
}

// TestScanReleasesPages: a scan that reads more than releaseAfter of the
// memory map leaves no more of it resident than before, and a short scan
// keeps what it read.
func TestScanReleasesPages(t *testing.T) {
	dir := t.TempDir()
	buildStoredChain(t, dir, 1)
	const n = 800 // 800 values of 3 KiB: 2.4 MiB
	tamper(t, dir, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChain)
		var hash [32]byte
		for h := int64(2); h < n; h++ {
			if err := b.Put(heightBytes(h), appendStoredParts(nil, &hash, bytes.Repeat([]byte{'x'}, 3<<10))); err != nil {
				return err
			}
		}
		return setLength(tx, n)
	})
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := filepath.Join(dir, StoreFileName)
	read := 0
	scan := func(from, to int64) {
		t.Helper()
		if err := s.scan(from, to, func(sb *StoredBlock) error {
			read += int(sb.Preimage[len(sb.Preimage)-1])
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	scan(n-10, n)
	if kb := mappedKB(t, path); kb < 30 {
		t.Errorf("after reading 10 blocks, %d kB of the store are resident; want the pages kept", kb)
	}
	// Opening the store maps some pages of its own (the tree's upper
	// pages, the free list, and the neighbours the kernel maps with each).
	before := mappedKB(t, path)
	scan(0, n)
	if kb := mappedKB(t, path); kb > before+256 {
		t.Errorf("after reading %d blocks (2.4 MiB), %d kB of the store are resident, %d kB before; want them let go", n, kb, before)
	}
	if read == 0 {
		t.Fatal("nothing was read")
	}
}
