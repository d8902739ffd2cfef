package node

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"blockscope/blockchain"
)

// chainWriteBuffer is how much of a /chain answer is gathered before it is
// written out: large enough that a long answer costs few writes, small
// enough that readers at once cost no memory worth counting.
const chainWriteBuffer = 64 << 10

// chainWriteGrace is the time a client has to take each chainWriteBuffer
// of a long answer: the server's write timeout bounds a short answer, a
// long one is given time as long as its reader keeps reading.
const chainWriteGrace = 30 * time.Second

// scanChain reads one state of the chain: it calls start with its length,
// then fn with each of its stored blocks from height from to the tip, in
// order, read in bounded chunks. An error of start or fn stops the scan and
// is returned, as is the chain's replacement midway
// (blockchain.ErrChainChanged). It is the one place /chain reads the chain.
func (n *Node) scanChain(from int64, start func(length int64) error, fn func(sb *blockchain.StoredBlock) error) error {
	r := n.chain.ReadBlocks(from)
	defer r.Close()
	if err := start(r.Length()); err != nil {
		return err
	}
	for r.Next() {
		if err := fn(r.Block()); err != nil {
			return err
		}
	}
	return r.Err()
}

// parseFrom reads the query "from=H" of GET /chain: the first height the
// answer's "chain" holds. No query means 0, the whole chain.
func parseFrom(r *http.Request) (int64, error) {
	raw := r.URL.Query().Get("from")
	if raw == "" {
		return 0, nil
	}
	h, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || h < 0 {
		return 0, fmt.Errorf("from=%.40q: want a height, a whole number 0 or more", raw)
	}
	return h, nil
}

// writeChain answers {"length", "chain", "peers"} with the blocks from
// height from on (none when from is past the tip) and the whole chain's
// length, written as the blocks are read: memory does not grow with the
// chain nor with the number of readers. The length is written first, as
// the tutorial's nodes do, so a reader knows it before the blocks.
//
// The status is sent before the blocks are read; when writing or reading
// fails after that, the connection is cut so that the client sees a broken
// answer, not a shorter chain.
func (n *Node) writeChain(w http.ResponseWriter, from int64) {
	w.Header().Set("Content-Type", "application/json")
	rc := http.NewResponseController(w)
	bw := bufio.NewWriterSize(&graceWriter{w: w, rc: rc}, chainWriteBuffer)
	tail, err := n.peersTail()
	if err != nil {
		n.fail(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.WriteHeader(http.StatusOK)
	scratch := make([]byte, 0, 1024)
	err = n.scanChain(from, func(length int64) error {
		scratch = append(strconv.AppendInt(append(scratch[:0], `{"length": `...), length, 10), `, "chain": [`...)
		_, err := bw.Write(scratch)
		return err
	}, func(sb *blockchain.StoredBlock) error {
		scratch = appendWire(scratch[:0], sb, sb.Height == from)
		_, err := bw.Write(scratch)
		return err
	})
	if err == nil {
		_, err = bw.Write(tail)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// A client that hung up reads nothing more; any other failure must
		// not look like a complete, shorter chain.
		panic(http.ErrAbortHandler)
	}
}

// peersTail returns the end of a /chain answer: `], "peers": [...]}`.
func (n *Node) peersTail() ([]byte, error) {
	peers := n.peers.urls()
	list := make([]any, len(peers))
	for i, p := range peers {
		list[i] = p
	}
	tail, err := blockchain.AppendCanonical([]byte(`], "peers": `), list)
	if err != nil {
		return nil, fmt.Errorf("encoding the peer list: %w", err)
	}
	return append(tail, '}'), nil
}

// appendWire appends a stored block as /chain sends it (WireJSON),
// preceded by the list's separator unless it is the first.
func appendWire(dst []byte, sb *blockchain.StoredBlock, first bool) []byte {
	if !first {
		dst = append(dst, ", "...)
	}
	return sb.AppendWire(dst)
}

// graceWriter writes to a response, moving its write deadline on before
// each write so that a long answer to a reader that keeps reading is not
// cut by the server's write timeout.
type graceWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (g *graceWriter) Write(p []byte) (int, error) {
	_ = g.rc.SetWriteDeadline(time.Now().Add(chainWriteGrace))
	return g.w.Write(p)
}
