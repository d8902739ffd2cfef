package netview

import (
	"testing"

	"blockscope/internal/readme"
)

// TestReadmeNamesEveryKey: the README's table of the network screen's keys
// names every key it binds.
func TestReadmeNamesEveryKey(t *testing.T) {
	readme.CheckKeys(t, "../../README.md", "## The network, visible", newKeyMap())
}
