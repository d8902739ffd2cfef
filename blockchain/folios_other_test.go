//go:build !linux

package blockchain

// largeFolioShare is unknown where the page cache cannot be inspected.
func largeFolioShare(string) (float64, bool) { return 0, false }
