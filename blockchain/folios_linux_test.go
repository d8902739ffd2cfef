package blockchain

import (
	"encoding/binary"
	"os"
	"syscall"
	"unsafe"
)

// largeFolioShare returns the share of the file's pages the page cache
// holds in large folios (compound pages), which the check maps at a
// fraction of the cost of 4 KiB ones: a file bbolt wrote page by page is
// in 4 KiB folios, one read back from disk or copied whole mostly in large
// ones. It reads /proc/self/pagemap and /proc/kpageflags, which need root;
// ok is false where they cannot be read. Reading the pages brings any the
// cache had dropped back in, as the check would.
func largeFolioShare(path string) (share float64, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return 0, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return 0, false
	}
	defer syscall.Munmap(data)
	pagemap, err := os.Open("/proc/self/pagemap")
	if err != nil {
		return 0, false
	}
	defer pagemap.Close()
	flags, err := os.Open("/proc/kpageflags")
	if err != nil {
		return 0, false
	}
	defer flags.Close()
	const compoundHead, compoundTail = 1 << 15, 1 << 16
	var word [8]byte
	var pages, large int
	for off := 0; off < len(data); off += os.Getpagesize() {
		readSink += data[off]
		addr := uintptr(unsafe.Pointer(&data[off]))
		if _, err := pagemap.ReadAt(word[:], int64(addr/uintptr(os.Getpagesize())*8)); err != nil {
			return 0, false
		}
		entry := binary.LittleEndian.Uint64(word[:])
		pfn := entry & (1<<55 - 1)
		if entry&(1<<63) == 0 || pfn == 0 {
			return 0, false // not present, or the PFN hidden from this user
		}
		if _, err := flags.ReadAt(word[:], int64(pfn*8)); err != nil {
			return 0, false
		}
		pages++
		if binary.LittleEndian.Uint64(word[:])&(compoundHead|compoundTail) != 0 {
			large++
		}
	}
	return float64(large) / float64(pages), pages > 0
}

// readSink keeps largeFolioShare's reads of the map from being optimised
// away.
var readSink byte
