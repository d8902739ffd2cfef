package cputime

import (
	"crypto/sha256"
	"testing"
)

// TestProcessCounts: the process's CPU time grows with work done.
func TestProcessCounts(t *testing.T) {
	before, ok := Process()
	if !ok {
		t.Skip("this platform does not report CPU time")
	}
	sum := sha256.Sum256(nil)
	for range 200000 { // tens of milliseconds of hashing
		sum = sha256.Sum256(sum[:])
	}
	after, _ := Process()
	if after <= before {
		t.Errorf("CPU time %v before 200,000 hashes (last %x), %v after", before, sum[:4], after)
	}
}
