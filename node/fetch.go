package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"blockscope/blockchain"
)

// chainStream is a peer's chain answer being read: its blocks come out one
// at a time as they arrive. A stream is used by one goroutine.
type chainStream struct {
	n      *Node
	ctx    context.Context
	peer   string
	op     string
	body   io.ReadCloser
	sc     *blockchain.DumpScanner
	cancel context.CancelFunc
	idle   *time.Timer
	peerID string // the answer's NodeIDHeader
}

// openChain sends a request whose answer is a chain ({"length", "chain",
// "peers"} or a list of blocks) and returns the stream of its blocks. There
// is no bound on the whole answer, only on each block (Options.MaxBlockBytes)
// and on the time without progress (Options.PeerTimeout): a long chain
// takes as long as it takes. A status other than 200 comes back as a faulty
// *PeerError with the peer's reason.
func (n *Node) openChain(ctx context.Context, op, method, peer, path string, body []byte) (*chainStream, error) {
	ctx, cancelCause := context.WithCancelCause(ctx)
	cancel := func() { cancelCause(nil) }
	idle := time.AfterFunc(n.opts.PeerTimeout, func() { cancelCause(errPeerIdle) })
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, peer+path, rd)
	if err != nil {
		idle.Stop()
		cancel()
		return nil, &PeerError{Peer: peer, Op: op, Faulty: true, Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set(NodeIDHeader, n.id)
	// The client's own timeout covers the whole answer; the idle timer
	// replaces it here.
	client := *n.client
	client.Timeout = 0
	resp, err := client.Do(req)
	if err != nil {
		idle.Stop()
		cancel()
		return nil, &PeerError{Peer: peer, Op: op, Err: n.describeStreamError(ctx, err)}
	}
	cs := &chainStream{n: n, ctx: ctx, peer: peer, op: op, body: resp.Body, cancel: cancel, idle: idle}
	if resp.Header.Get(NodeIDHeader) == n.id {
		cs.close()
		return nil, &PeerError{Peer: peer, Op: op, Err: ErrSelf}
	}
	cs.peerID = resp.Header.Get(NodeIDHeader)
	n.peers.setID(peer, cs.peerID)
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		cs.close()
		return nil, &PeerError{Peer: peer, Op: op, Faulty: true, Err: fmt.Errorf("status %d: %s", resp.StatusCode, errorText(data))}
	}
	cs.sc = blockchain.NewDumpScanner(&idleReader{r: resp.Body, idle: idle, d: n.opts.PeerTimeout}, int(n.opts.MaxBlockBytes))
	return cs, nil
}

// next returns the next block of the answer, nil at its end. A block that
// does not parse or an answer that is not a chain is the peer's fault; a
// connection that fails is not.
func (cs *chainStream) next() (*blockchain.Block, error) {
	text, err := cs.nextText()
	if err != nil || text == nil {
		return nil, err
	}
	return cs.parse(text)
}

// nextText returns the text of the next block of the answer, valid until
// the next call, or nil at its end, with next's errors.
func (cs *chainStream) nextText() ([]byte, error) {
	text, err := cs.sc.Next()
	if err == io.EOF {
		return nil, nil
	}
	var de *blockchain.DumpError
	if errors.As(err, &de) {
		return nil, cs.faulty(fmt.Errorf("the answer is not a chain: %w", err))
	}
	if err != nil {
		return nil, &PeerError{Peer: cs.peer, Op: cs.op, Err: fmt.Errorf("reading the answer: %w", cs.n.describeStreamError(cs.ctx, err))}
	}
	return text, nil
}

// parse decodes the block text nextText just returned.
func (cs *chainStream) parse(text []byte) (*blockchain.Block, error) {
	return cs.parseAt(text, int64(cs.sc.Blocks()-1))
}

// parseAt decodes text, the answer's block number i.
func (cs *chainStream) parseAt(text []byte, i int64) (*blockchain.Block, error) {
	b, err := blockchain.ParseBlock(text)
	if err != nil {
		return nil, cs.faulty(fmt.Errorf("chain[%d]: %w", i, err))
	}
	return b, nil
}

func (cs *chainStream) faulty(err error) error {
	return &PeerError{Peer: cs.peer, Op: cs.op, Faulty: true, Err: err}
}

// length returns the answer's "length" field when it is a whole number.
func (cs *chainStream) length() (int, bool) {
	v, err := blockchain.DecodePython(cs.sc.Field("length"))
	i, ok := v.(blockchain.Int)
	if err != nil || !ok {
		return 0, false
	}
	n, ok := i.Int64()
	return int(n), ok && n >= 0
}

// peers returns the answer's "peers" field's strings, as sent; it is
// complete once next has returned the end.
func (cs *chainStream) peers() []string {
	v, _ := blockchain.DecodePython(cs.sc.Field("peers"))
	list, _ := v.([]any)
	var out []string
	for _, p := range list {
		if s, ok := p.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// close ends the exchange, whether or not the answer was read whole.
func (cs *chainStream) close() {
	cs.idle.Stop()
	cs.cancel()
	cs.body.Close()
}

// errPeerIdle is the cause of an exchange cancelled because the peer sent
// nothing for Options.PeerTimeout.
var errPeerIdle = errors.New("peer idle")

// describeStreamError is describeTransportError for a streamed answer,
// which ends when the peer stops sending, not at a deadline.
func (n *Node) describeStreamError(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), errPeerIdle) {
		return fmt.Errorf("no answer within %s: nothing arrived for that long", n.opts.PeerTimeout)
	}
	return n.describeTransportError(err)
}

// idleReader runs the idle deadline only while it waits for the peer, from
// each Read until it returns: the time this node spends on what it read
// (judging blocks, staging a deep fork, switching to it, seconds at a
// million blocks) is not the peer's silence.
type idleReader struct {
	r    io.Reader
	idle *time.Timer
	d    time.Duration
}

func (r *idleReader) Read(p []byte) (int, error) {
	r.idle.Reset(r.d)
	n, err := r.r.Read(p)
	r.idle.Stop()
	return n, err
}

// chainPath is the path of a peer's chain from height from on.
func chainPath(from int64) string {
	if from <= 0 {
		return "chain"
	}
	return "chain?from=" + strconv.FormatInt(from, 10)
}
