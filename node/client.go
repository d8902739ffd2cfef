package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"blockscope/blockchain"
)

// maxErrorText bounds how much of a peer's error answer goes into our
// errors and logs.
const maxErrorText = 200

// PeerError reports a failed exchange with a peer: unreachable (refused,
// timed out, cut off) or, when Faulty, reached but answering something we
// cannot use.
type PeerError struct {
	Peer   string // the peer's base URL
	Op     string // what we tried, e.g. "fetch chain"
	Faulty bool
	Err    error
}

func (e *PeerError) Error() string {
	return fmt.Sprintf("peer %s: %s: %v", e.Peer, e.Op, e.Err)
}

func (e *PeerError) Unwrap() error { return e.Err }

// newPeerClient returns the HTTP client for peers. Every exchange also runs
// under a context deadline of timeout (see exchange); the client's own
// timeout is a second guard. control vets each address dialled (see
// Node.dialControl); redirects are followed only within a host.
func newPeerClient(timeout time.Duration, control func(context.Context, string, string, syscall.RawConn) error) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, ControlContext: control}
	transport := &http.Transport{
		Proxy:                  nil, // peers are addressed directly, as the tutorial's nodes do
		DialContext:            dialer.DialContext,
		MaxIdleConns:           64,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: sameHostRedirect,
	}
}

// exchange sends one request to peer+path (peer is a normalised base URL
// ending in "/") and returns the status and at most limit bytes of answer.
// A transport failure comes back as an unreachable *PeerError, an answer
// over limit as a faulty one.
func (n *Node) exchange(ctx context.Context, op, method, peer, path string, body []byte, limit int64) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, n.opts.PeerTimeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, peer+path, rd)
	if err != nil {
		return 0, nil, &PeerError{Peer: peer, Op: op, Faulty: true, Err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set(NodeIDHeader, n.id)
	resp, err := n.client.Do(req)
	if err != nil {
		return 0, nil, &PeerError{Peer: peer, Op: op, Err: n.describeTransportError(err)}
	}
	defer resp.Body.Close()
	if resp.Header.Get(NodeIDHeader) == n.id {
		return 0, nil, &PeerError{Peer: peer, Op: op, Err: ErrSelf}
	}
	n.peers.setID(peer, resp.Header.Get(NodeIDHeader))
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return 0, nil, &PeerError{Peer: peer, Op: op, Err: fmt.Errorf("reading the answer: %w", n.describeTransportError(err))}
	}
	if int64(len(data)) > limit {
		return 0, nil, &PeerError{Peer: peer, Op: op, Faulty: true, Err: fmt.Errorf("the answer is larger than %d bytes", limit)}
	}
	return resp.StatusCode, data, nil
}

// describeTransportError drops the *url.Error wrapper, whose text repeats
// the method and URL our own errors already name, and says plainly when the
// peer did not answer in time.
func (n *Node) describeTransportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var te interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &te) && te.Timeout()) {
		return fmt.Errorf("no answer within %s: %w", n.opts.PeerTimeout, err)
	}
	return err
}

// errorText extracts the reason from a peer's error answer: the "error"
// field of a JSON object, else the start of the text.
func errorText(data []byte) string {
	if v, err := blockchain.DecodePython(data); err == nil {
		if obj, ok := v.(map[string]any); ok {
			for _, k := range []string{"error", "message"} {
				if s, ok := obj[k].(string); ok && s != "" {
					return clip(s)
				}
			}
		}
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "(empty answer)"
	}
	return clip(s)
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		return s[:cut] + "…"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }

// peerFailed records a failed exchange and reports a peer that starts
// failing.
func (n *Node) peerFailed(peer string, err error) {
	if errors.Is(err, ErrSelf) {
		// A name of ours got into the list (a peer's peer list, an
		// old store): drop it rather than keep calling ourselves.
		if n.peers.remove(peer) {
			n.emit(Event{Kind: EventPeerRemoved, Peer: peer, Message: "peer " + peer + " removed: it is this node under another name"})
			_ = n.savePeers()
		}
		return
	}
	var pe *PeerError
	faulty := errors.As(err, &pe) && pe.Faulty
	why := err.Error()
	if pe != nil { // the message names the peer already
		why = pe.Op + ": " + pe.Err.Error()
	}
	if !n.peers.failed(peer, why, faulty, time.Now()) {
		n.log.Debug("peer still failing", "peer", peer, "err", err.Error())
		return
	}
	if faulty {
		n.emit(Event{Kind: EventPeerFaulty, Peer: peer, Err: err, Message: fmt.Sprintf("peer %s sent something unusable: %s", peer, why)})
		return
	}
	n.emit(Event{Kind: EventPeerUnreachable, Peer: peer, Err: err, Message: fmt.Sprintf("peer %s unreachable: %s", peer, why)})
}
