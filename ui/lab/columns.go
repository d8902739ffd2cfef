package lab

import (
	"strconv"

	"blockscope/blockchain"
	"blockscope/ui/common"
)

// Widths of the lab chain's cells: whatever a block holds, its verdict
// starts in the same column as every other block's.
const (
	labTxsWidth   = 3  // transactions: exact to 999, then rounded
	labNonceWidth = 10 // nonce: exact to 99,999,999, then rounded or cut
	labTagWidth   = 8  // "re-mined"
)

// blockCells writes block i's cells before its verdict: index, hash,
// and on a wide screen its transactions and nonce, then what the lab did
// to it. Narrow, the editor box below shows the selected block's
// transactions and nonce, and the verdict needs the room.
func (l Model) blockCells(i int, b *blockchain.Block, indexW int, wide bool) string {
	index := "#" + common.PadRight(strconv.Itoa(i), indexW)
	tag := common.PadRight(l.tag(i), labTagWidth)
	if !wide {
		return index + "  " + l.hashView(b.Hash(), 8) + "  " + tag + "  "
	}
	txs := common.PadLeft(common.CountCell(int64(len(b.Transactions())), labTxsWidth), labTxsWidth)
	nonce := common.PadRight(common.NonceCell(b, labNonceWidth), labNonceWidth)
	return index + "  " + l.hashView(b.Hash(), 10) + "  " + txs + " tx  nonce " + nonce + " " + tag + "  "
}
