package node

import (
	"fmt"
	"time"

	"blockscope/blockchain"
)

// StoredPeers returns the peer URLs a node saved in the store in directory
// dir, reading it read-only (see blockchain.ReadStoreMeta) and waiting at
// most timeout for a store another process holds. A store without a peer
// list has none; entries that are not strings are skipped.
func StoredPeers(dir string, timeout time.Duration) ([]string, error) {
	data, err := blockchain.ReadStoreMeta(dir, metaPeers, timeout)
	if err != nil || data == nil {
		return nil, err
	}
	v, err := blockchain.Decode(data)
	list, ok := v.([]any)
	if err != nil || !ok {
		return nil, fmt.Errorf("stored peers in %s: not a JSON list", dir)
	}
	var peers []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			peers = append(peers, s)
		}
	}
	return peers, nil
}
