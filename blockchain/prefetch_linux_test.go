package blockchain

import (
	"syscall"
	"testing"
	"unsafe"
)

// TestPrefetchLinesNeverFaults: readAhead asks for memory past the end of
// what it was given, which may be past the end of the store's map; asking
// must not read it. Here the lines asked for are at address 0 and in a
// page just unmapped: a load there would kill the test.
func TestPrefetchLinesNeverFaults(t *testing.T) {
	page := syscall.Getpagesize()
	m, err := syscall.Mmap(-1, 0, 2*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	// syscall.Munmap takes only whole mappings: the second page goes
	// directly, then the first.
	munmap := func(b []byte) {
		t.Helper()
		if _, _, errno := syscall.Syscall(syscall.SYS_MUNMAP, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0); errno != 0 {
			t.Fatal(errno)
		}
	}
	defer munmap(m[:page])
	munmap(m[page:])
	end := uintptr(unsafe.Pointer(&m[page-1])) + 1
	prefetchLines(end, 2*readAheadLines)
	prefetchLines(0, 4)
	var asked uintptr
	readAhead(m[:page], &asked)
	m[0] = 1 // the mapped page is still usable
}
