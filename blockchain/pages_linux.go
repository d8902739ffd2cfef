package blockchain

import (
	"os"
	"syscall"
	"unsafe"
)

// pageSize is the size madvise works in.
var pageSize = uintptr(os.Getpagesize())

// pageSpan tracks the span of bbolt's memory map a scan read, so that the
// pages can be let go of afterwards.
type pageSpan struct {
	first  unsafe.Pointer // the lowest byte read
	lo, hi uintptr        // the span's bounds as numbers
}

// add extends the span over v, a slice of the memory map.
func (s *pageSpan) add(v []byte) {
	if len(v) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(v))
	lo := uintptr(p)
	hi := lo + uintptr(len(v))
	if s.first == nil || lo < s.lo {
		s.first, s.lo = p, lo
	}
	if hi > s.hi {
		s.hi = hi
	}
}

// release tells the kernel this process no longer needs the span's pages
// (MADV_DONTNEED), once it covers more than minBytes: they stay in the page
// cache, shared and reclaimable, but leave the process's resident memory,
// so reading a long chain through the map does not grow it. bbolt maps the
// file read-only and writes with pwrite, so the pages are never dirty and a
// later read faults them back from the cache. It must be called while the
// read transaction that produced the span is open.
func (s *pageSpan) release(minBytes uintptr) {
	if s.hi-s.lo < minBytes {
		return
	}
	lo := s.lo &^ (pageSize - 1)
	hi := (s.hi + pageSize - 1) &^ (pageSize - 1)
	start := unsafe.Add(s.first, -int(s.lo-lo))
	_ = syscall.Madvise(unsafe.Slice((*byte)(start), hi-lo), syscall.MADV_DONTNEED)
	*s = pageSpan{}
}
