package ui

import (
	"testing"

	"blockscope/internal/readme"
)

// TestReadmeNamesEveryKey: the README's key table names every key the
// screen's keymaps bind.
func TestReadmeNamesEveryKey(t *testing.T) {
	readme.CheckKeys(t, "../README.md", "## Keys",
		newKeyMap(), newFormKeys(), newFilterKeys(), newJumpKeys(),
		newCopyKeys(), newDropKeys(), newPeerKeys())
}
