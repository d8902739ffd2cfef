package blockchain

import (
	"bufio"
	"bytes"
	"context"
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
		// A mapping's header: its address range, permissions, offset,
		// device, inode and, for a file, its path (an anonymous mapping has
		// none, and must end the file's lines too).
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") && len(fields[1]) == 4 {
			in = len(fields) >= 6 && fields[len(fields)-1] == path
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

// TestBlockReaderReleasesPages: reading a whole stored chain with a
// BlockReader, as GET /chain does, leaves no more of the store resident
// than before, although each of its chunks reads less than releaseAfter.
func TestBlockReaderReleasesPages(t *testing.T) {
	const n = 300 // blocks of 8 KiB: 2.4 MiB
	dir := bigStoredChain(t, n)
	_, c := openStoreChain(t, dir)
	path := filepath.Join(dir, StoreFileName)
	before := mappedKB(t, path)
	r := c.ReadBlocks(0)
	read := 0
	for r.Next() {
		read++
	}
	if r.Err() != nil || read != n {
		t.Fatalf("read %d blocks (%v), want %d", read, r.Err(), n)
	}
	if kb := mappedKB(t, path); kb > before+256 {
		t.Errorf("after reading %d blocks (2.4 MiB) with a BlockReader, %d kB of the store are resident, %d kB before; want them let go", n, kb, before)
	}
}

// bigStoredChain stores a valid chain of n blocks of 8 KiB each (2.4 MiB
// for 300) in a new directory and returns it.
func bigStoredChain(t *testing.T, n int64) string {
	t.Helper()
	blocks := []*Block{Genesis()}
	for h := int64(1); h < n; h++ {
		txs := []any{map[string]any{"author": "a", "content": strings.Repeat(strconv.FormatInt(h%10, 10), 8<<10), "timestamp": 1.5}}
		tmpl, err := NewBlock(h, txs, 2.5, blocks[h-1].Hash(), 0)
		if err != nil {
			t.Fatal(err)
		}
		mined, err := Mine(context.Background(), tmpl, SeedDifficulty)
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, mined)
	}
	dir := t.TempDir()
	s, err := OpenStore(dir, StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.replace(0, blocks, nil, nil); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCheckLeavesNoPagesMapped: once the check of a stored chain is done,
// none of the store's pages it read stay resident in this process, the
// ones the kernel mapped around them with each fault included: otherwise
// they would add up with the chain's length.
func TestCheckLeavesNoPagesMapped(t *testing.T) {
	dir := bigStoredChain(t, 300)
	old := SyncCheckLimit
	SyncCheckLimit = 0
	defer func() { SyncCheckLimit = old }()
	_, c := openStoreChain(t, dir)
	if err := c.WaitCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	if kb := mappedKB(t, filepath.Join(dir, StoreFileName)); kb > 8 {
		t.Errorf("after the check of 300 blocks (2.4 MiB), %d kB of the store are resident; want none", kb)
	}
}

// TestBlockReaderCloseReleasesPages: a BlockReader given up on midway lets
// go of the pages it still owes when closed.
func TestBlockReaderCloseReleasesPages(t *testing.T) {
	dir := bigStoredChain(t, 300)
	_, c := openStoreChain(t, dir)
	path := filepath.Join(dir, StoreFileName)
	before := mappedKB(t, path)
	r := c.ReadBlocks(0)
	for i := 0; i < 60 && r.Next(); i++ { // 480 KiB: less than releaseAfter
	}
	if kb := mappedKB(t, path); kb < before+300 {
		t.Fatalf("after reading 60 blocks of 8 KiB, %d kB of the store are resident, %d kB before: the test reads too little", kb, before)
	}
	r.Close()
	if kb := mappedKB(t, path); kb > before+8 {
		t.Errorf("after closing a reader that read 60 blocks of 8 KiB, %d kB of the store are resident, %d kB before; want them let go", kb, before)
	}
}
