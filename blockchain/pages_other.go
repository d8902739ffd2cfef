//go:build !linux

package blockchain

import bolt "go.etcd.io/bbolt"

// pageSpan tracks nothing where madvise is not used: the kernel's own
// accounting of mapped pages applies.
type pageSpan struct{}

func (s *pageSpan) add([]byte) {}
func (s *pageSpan) release()   {}

// fileRange tracks nothing where madvise is not used.
type fileRange struct{}

func (s *pageSpan) settle(*fileRange, uintptr, uintptr, bool) {}

// releaseMap does nothing where madvise is not used.
func releaseMap(*bolt.Tx) {}

func releaseAll(base, size uintptr) {}
