//go:build amd64 && !purego

package blockchain

// prefetchLines asks the CPU to bring the n cache lines from addr on into
// its caches, without waiting for them (PREFETCHT0, prefetch_amd64.s). It
// never faults: the lines need not be mapped. addr is a number, not a
// pointer, so that it may point anywhere.
//
//go:noescape
func prefetchLines(addr uintptr, n int)
