package miner

import (
	"testing"

	"blockscope/internal/gentest"
)

// TestGeneratedAssemblyIsCurrent runs every kernel generator in a scratch
// directory and compares what it writes with the assembly in the package,
// so that neither can change without the other.
func TestGeneratedAssemblyIsCurrent(t *testing.T) {
	for gen, asm := range map[string]string{
		"gen_sha256block.go": "sha256block_amd64.s",
		"gen_sha256x16.go":   "sha256x16_amd64.s",
		"gen_sha256x8.go":    "sha256x8_amd64.s",
		"gen_sha256arm64.go": "sha256block_arm64.s",
	} {
		t.Run(gen, func(t *testing.T) {
			t.Parallel()
			gentest.AssemblyIsCurrent(t, "./miner", gen, asm)
		})
	}
}
