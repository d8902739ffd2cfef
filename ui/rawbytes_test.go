package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// TestRawBytesPrintsTheHashedLine holds the raw view to its promise: one
// line of output is exactly the bytes that hash to the block's hash.
func TestRawBytesPrintsTheHashedLine(t *testing.T) {
	chain := columnsChain(t, 2)
	tests := []struct {
		name  string
		block *blockchain.Block
	}{
		{"genesis", chain.Block(0)},
		{"a mined block with a transaction", chain.Tip()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			r := newRawBytes(tc.block)
			r.SetStdin(strings.NewReader("\n"))
			r.SetStdout(&out)
			if err := r.Run(); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, line := range strings.Split(out.String(), "\n") {
				sum := sha256.Sum256([]byte(line))
				if hex.EncodeToString(sum[:]) == tc.block.Hash() {
					found = true
				}
			}
			if !found {
				t.Errorf("no line of the raw view hashes to %s:\n%s", tc.block.Hash(), out.String())
			}
		})
	}
}

func TestRawBytesWithoutTerminal(t *testing.T) {
	r := newRawBytes(blockchain.NewMemoryChain(blockchain.ChainOptions{}).Tip())
	if err := r.Run(); err == nil {
		t.Error("Run without stdin and stdout succeeded")
	}
}
