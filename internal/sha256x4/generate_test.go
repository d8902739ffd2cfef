package sha256x4

import (
	"testing"

	"blockscope/internal/gentest"
)

// TestGeneratedAssemblyIsCurrent runs gen_blocks.go in a scratch directory
// and compares what it writes with blocks_amd64.s, so that neither can
// change without the other.
func TestGeneratedAssemblyIsCurrent(t *testing.T) {
	gentest.AssemblyIsCurrent(t, "./internal/sha256x4", "gen_blocks.go", "blocks_amd64.s")
}
