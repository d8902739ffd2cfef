package lab

import (
	"testing"

	"blockscope/internal/readme"
)

// TestReadmeNamesEveryKey: the README's key table names every key the
// tamper lab binds.
func TestReadmeNamesEveryKey(t *testing.T) {
	readme.CheckKeys(t, "../../README.md", "## Keys", newKeyMap())
}
