package miner

import (
	"fmt"

	"blockscope/blockchain"
)

// BenchTransactions is how many transactions the benchmark block holds, as
// seed_pow.py's default.
const BenchTransactions = 3

// BenchBlock returns the fixed block that ../shared/reference/seed_pow.py
// mines: index 1 after the genesis, BenchTransactions transactions with
// fixed authors, contents and float timestamps, and timestamp 1764000100.5.
// Its preimage is byte for byte the one the Python loop hashes, so the two
// miners' rates compare the same work.
func BenchBlock() *blockchain.Block {
	txs := make([]any, BenchTransactions)
	for i := range txs {
		txs[i] = map[string]any{
			"author":    fmt.Sprintf("author-%d", i),
			"content":   fmt.Sprintf("transaction number %d of the benchmark block", i),
			"timestamp": 1764000000.0 + float64(i) + 0.125,
		}
	}
	b, err := blockchain.NewBlock(1, txs, 1764000100.5, blockchain.GenesisHash, 0)
	if err != nil {
		// The block is a constant of this package; failing to encode it is a bug here.
		panic("miner: the benchmark block does not encode: " + err.Error())
	}
	return b
}
