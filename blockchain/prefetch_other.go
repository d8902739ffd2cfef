//go:build !amd64 || purego

package blockchain

// prefetchLines does nothing where no prefetch instruction is written: the
// check then waits on memory as it reads.
func prefetchLines(addr uintptr, n int) {}
