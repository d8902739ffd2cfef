package blockchain

import (
	"os"
	"syscall"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// pageSize is the size madvise works in.
var pageSize = uintptr(os.Getpagesize())

// pageGap is how far apart two values of bbolt's memory map may lie and
// still be counted in one range of pages read: the pages between them are
// the scan's own (its leaf pages are mostly in key order) or few.
const pageGap = 16 << 10

// pageRange is a span of the memory map a scan read from.
type pageRange struct {
	first  unsafe.Pointer // the lowest byte read
	lo, hi uintptr        // the range's bounds as numbers
}

func (r *pageRange) size() uintptr { return r.hi - r.lo }

// pageSpan tracks the ranges of bbolt's memory map a scan read, so that
// their pages can be let go of afterwards (see release). A scan reads its
// leaf pages mostly in file order, with a few pages elsewhere (where the
// store had free pages when the blocks were written): each such stretch is
// a range of its own, so that releasing them never drops pages between
// them that another scan, running at the same time, is reading.
type pageSpan struct {
	cur   pageRange
	held  [4]pageRange // earlier ranges, not yet let go
	nheld int
	total uintptr // the size of every range so far
}

// add extends the span over v, a slice of the memory map.
func (s *pageSpan) add(v []byte) {
	if len(v) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(v))
	lo := uintptr(p)
	hi := lo + uintptr(len(v))
	c := &s.cur
	switch {
	case c.first == nil:
	case lo+pageGap >= c.lo && hi <= c.hi+pageGap:
		if lo < c.lo {
			c.first, c.lo = p, lo
		}
		c.hi = max(c.hi, hi)
		return
	default:
		s.park()
	}
	*c = pageRange{first: p, lo: lo, hi: hi}
}

// park sets the current range aside: let go at once when the scan has
// read enough for release to let go of it anyway, held otherwise.
func (s *pageSpan) park() {
	s.total += s.cur.size()
	if s.total >= releaseAfter || s.nheld == len(s.held) {
		for _, r := range s.held[:s.nheld] {
			r.dontNeed()
		}
		s.nheld = 0
		s.cur.dontNeed()
		return
	}
	s.held[s.nheld] = s.cur
	s.nheld++
}

// release tells the kernel this process no longer needs the span's pages
// (MADV_DONTNEED), once the scan has read more than releaseAfter bytes:
// they stay in the page cache, shared and reclaimable, but leave the
// process's resident memory, so reading a long chain through the map does
// not grow it. bbolt maps the file read-only and writes with pwrite, so the
// pages are never dirty and a later read faults them back from the cache.
// It must be called while the read transaction that produced the span is
// open.
func (s *pageSpan) release() {
	if s.cur.first != nil && s.total+s.cur.size() >= releaseAfter {
		s.total = releaseAfter
		s.park()
	}
	*s = pageSpan{}
}

// dontNeed lets go of the pages r touches.
func (r *pageRange) dontNeed() {
	if r.first == nil {
		return
	}
	lo := r.lo &^ (pageSize - 1)
	hi := (r.hi + pageSize - 1) &^ (pageSize - 1)
	start := unsafe.Add(r.first, -int(r.lo-lo))
	_ = syscall.Madvise(unsafe.Slice((*byte)(start), hi-lo), syscall.MADV_DONTNEED)
}

// mappedAround is the most of a file's cached pages one page fault may map
// around the page it needs: the kernel maps the cached pages of an aligned
// window (fault_around_bytes, 64 KiB by default) and may map a large folio
// of the page cache whole, up to 2 MiB.
const mappedAround = 2 << 20

// fileRange is a range of the store file that a long read went through and
// has not let go of yet, as offsets into the file: unlike addresses in
// bbolt's memory map, they stay true when the map moves between the read's
// transactions.
type fileRange struct{ lo, hi uintptr }

// settle ends one chunk of a long read (a BlockReader's, whose chunks each
// read less than releaseAfter): it adds the ranges the span read to owed,
// and lets go of owed's pages once owed covers releaseAfter or the read is
// over (last). Letting go of each chunk's pages at once would cost a
// madvise, and the page table flushes it brings, every 64 KiB. base is the
// start of bbolt's map of the file in the open read transaction, and its
// first size bytes are the file's.
func (s *pageSpan) settle(owed *fileRange, base, size uintptr, last bool) {
	if s.cur.first != nil {
		for _, r := range s.held[:s.nheld] {
			owed.add(r.lo-base, r.hi-base, base, size)
		}
		owed.add(s.cur.lo-base, s.cur.hi-base, base, size)
	}
	if last || owed.hi-owed.lo >= releaseAfter {
		owed.release(base, size)
	}
	*s = pageSpan{}
}

// add extends o over [lo, hi), letting go of o's pages first when the two
// lie more than mappedAround apart.
func (o *fileRange) add(lo, hi, base, size uintptr) {
	if o.hi > o.lo && (lo > o.hi+mappedAround || hi+mappedAround < o.lo) {
		o.release(base, size)
	}
	if o.hi == o.lo {
		*o = fileRange{lo: lo, hi: hi}
		return
	}
	o.lo, o.hi = min(o.lo, lo), max(o.hi, hi)
}

// release lets go of o's pages, widened to mappedAround's alignment: the
// read's page faults mapped cached pages around the ones it read, which no
// range of it covers (the first fault of a chunk maps again the last pages
// of the chunk before). The widening stays within the map's first size
// bytes, the file's.
func (o *fileRange) release(base, size uintptr) {
	if o.hi > o.lo {
		from := max((base+o.lo)&^(mappedAround-1), base)
		to := min((base+o.hi+mappedAround-1)&^(mappedAround-1), base+size)
		// The addresses are bbolt's map, outside Go's memory: passed as
		// numbers, never made into pointers.
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, from, to-from, syscall.MADV_DONTNEED)
	}
	*o = fileRange{}
}

// releaseMap lets go of every page of the store file's map that tx sees,
// after a transaction that walked a whole bucket (deleting one reads each
// of its pages): they stay in the page cache, and readers fault back
// the ones they need.
func releaseMap(tx *bolt.Tx) {
	o := fileRange{lo: 0, hi: uintptr(tx.Size())}
	o.release(tx.DB().Info().Data, uintptr(tx.Size()))
}

// releaseAll lets go of every page of the map of size bytes at base, as
// release does of a range.
func releaseAll(base, size uintptr) {
	if size > 0 {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, base, size, syscall.MADV_DONTNEED)
	}
}
