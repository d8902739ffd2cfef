package node

import (
	"bytes"
	"cmp"

	"blockscope/blockchain"
)

// skipOurs reads the answer's blocks from its start while each is, byte
// for byte, our own block at its height from the genesis up, without
// decoding them: a tutorial node sends its whole chain whatever is asked,
// and /register_node answers with the whole chain, so a peer that holds our
// chain would otherwise cost a decoding of every block we hold (about 15
// CPU-seconds at a million blocks) for nothing. A block with the bytes of
// one of our stored blocks, which the start-up check holds valid, needs no
// judging.
//
// It returns how many blocks it skipped, the last of them as the peer sent
// it (decoded, nil when none was skipped), and the first other block,
// decoded (nil at the end of the answer). An answer that starts anywhere
// but at the genesis skips nothing. A chain of ours that changes meanwhile
// only ends the skipping early. The start-up check may not have reached
// the blocks skipped yet; nothing is adopted before it is done.
func (cs *chainStream) skipOurs(chain *blockchain.Chain) (skipped int64, last, next *blockchain.Block, err error) {
	var prev, wire []byte
	ours := chain.ReadBlocks(0)
	defer ours.Close()
	for {
		text, err := cs.nextText()
		if err != nil || text == nil {
			last, perr := cs.parseSkipped(prev, skipped)
			return skipped, last, nil, cmp.Or(err, perr)
		}
		if ours.Next() {
			wire = ours.Block().AppendWire(wire[:0])
			if bytes.Equal(text, wire) {
				prev = append(prev[:0], text...)
				skipped++
				continue
			}
		}
		last, err := cs.parseSkipped(prev, skipped)
		if err != nil {
			return skipped, nil, nil, err
		}
		next, err := cs.parse(text)
		return skipped, last, next, err
	}
}

// parseSkipped decodes the last skipped block, the parent the next block
// must follow; it is nil when none was skipped.
func (cs *chainStream) parseSkipped(text []byte, skipped int64) (*blockchain.Block, error) {
	if skipped == 0 {
		return nil, nil
	}
	return cs.parseAt(text, skipped-1)
}
