package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"blockscope/blockchain"
)

// route is one endpoint of the API: the method it answers and its handler.
type route struct {
	method string
	handle http.HandlerFunc
}

// Handler returns the node's HTTP API, for a caller that runs its own
// server. Such a caller should set Options.SelfURL, which Serve otherwise
// derives from its listener. The program serves with Serve; the node's
// tests call the API in-process through Handler.
func (n *Node) Handler() http.Handler { return n.handler }

// routes builds the API. It routes by hand rather than with ServeMux
// method patterns so that a wrong method or path also answers in JSON.
func (n *Node) routes() http.Handler {
	routes := map[string]route{
		"/new_transaction": {http.MethodPost, n.handleNewTransaction},
		"/pending_tx":      {http.MethodGet, n.handlePendingTx},
		"/mine":            {http.MethodGet, n.handleMine},
		"/chain":           {http.MethodGet, n.handleChain},
		"/register_node":   {http.MethodPost, n.handleRegisterNode},
		"/register_with":   {http.MethodPost, n.handleRegisterWith},
		"/add_block":       {http.MethodPost, n.handleAddBlock},
		"/remove_node":     {http.MethodPost, n.handleRemoveNode},
		"/status":          {http.MethodGet, n.handleStatus},
	}
	paths := make([]string, 0, len(routes))
	for p := range routes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := mergeSlashes(r.URL.Path)
		rt, ok := routes[path]
		if !ok {
			n.fail(w, http.StatusNotFound, fmt.Sprintf("no endpoint %s; there are %s", r.URL.Path, strings.Join(paths, ", ")))
			return
		}
		// HEAD is answered wherever GET is, as Flask does; net/http sends
		// the headers and drops the body.
		if r.Method != rt.method && !(r.Method == http.MethodHead && rt.method == http.MethodGet) {
			allow := rt.method
			if rt.method == http.MethodGet {
				allow += ", " + http.MethodHead
			}
			w.Header().Set("Allow", allow)
			n.fail(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s takes %s, not %s", path, allow, r.Method))
			return
		}
		rt.handle(w, r)
	})
}

// mergeSlashes collapses runs of "/" in a request path, as Flask (Werkzeug's
// merge_slashes) does: the tutorial's nodes build node_address +
// "/register_node" from an address that ends in "/", and so ask for
// //register_node.
func mergeSlashes(path string) string {
	if !strings.Contains(path, "//") {
		return path
	}
	var b strings.Builder
	b.Grow(len(path))
	for i := 0; i < len(path); i++ {
		if path[i] == '/' && i > 0 && path[i-1] == '/' {
			continue
		}
		b.WriteByte(path[i])
	}
	return b.String()
}

// writeJSON sends body, already JSON, with status.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that hung up is not our error
}

// reply sends obj, made of decoded JSON value types, with status.
func (n *Node) reply(w http.ResponseWriter, status int, obj map[string]any) {
	body, err := blockchain.Canonical(obj)
	if err != nil {
		n.log.Error("encoding an answer failed", "err", err.Error())
		body, status = []byte(`{"error": "internal error: the answer could not be encoded"}`), http.StatusInternalServerError
	}
	writeJSON(w, status, body)
}

// fail sends {"error": msg} with status.
func (n *Node) fail(w http.ResponseWriter, status int, msg string) {
	n.reply(w, status, map[string]any{"error": msg})
}

// readJSON reads a request body of at most Options.MaxRequestBytes and
// decodes it with the rules for new data (see blockchain.Decode). On failure
// it has already answered (415, 413 or 400) and returns false.
func (n *Node) readJSON(w http.ResponseWriter, r *http.Request) (any, bool) {
	return n.readBody(w, r, blockchain.Decode)
}

// readPeerJSON is readJSON for what a peer holds (a block): the body is read
// as Python's json.loads reads it (see blockchain.DecodePython).
func (n *Node) readPeerJSON(w http.ResponseWriter, r *http.Request) (any, bool) {
	return n.readBody(w, r, blockchain.DecodePython)
}

// readBody reads a body declared JSON (see guard) of at most
// Options.MaxRequestBytes and decodes it with decode.
func (n *Node) readBody(w http.ResponseWriter, r *http.Request, decode func([]byte) (any, error)) (any, bool) {
	if !isJSONType(r.Header.Get("Content-Type")) {
		n.fail(w, http.StatusUnsupportedMediaType, "the body must be sent with Content-Type: application/json")
		return nil, false
	}
	limit := n.opts.MaxRequestBytes
	tooLarge := fmt.Sprintf("request body is larger than the limit of %d bytes", limit)
	if r.ContentLength > limit {
		n.fail(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		n.fail(w, http.StatusRequestEntityTooLarge, tooLarge)
		return nil, false
	}
	if err != nil {
		n.fail(w, http.StatusBadRequest, "reading the request body failed: "+err.Error())
		return nil, false
	}
	v, err := decode(data)
	if err != nil {
		n.fail(w, http.StatusBadRequest, "malformed JSON: "+err.Error())
		return nil, false
	}
	return v, true
}

// poolRetryAfter is the Retry-After, in seconds, of a transaction refused
// because the pending pool is full: about the time to mine a block of it.
const poolRetryAfter = "30"

// handleNewTransaction is POST /new_transaction: a transaction for the
// pending pool, durable before the 201.
func (n *Node) handleNewTransaction(w http.ResponseWriter, r *http.Request) {
	v, ok := n.readJSON(w, r)
	if !ok {
		return
	}
	if _, err := n.chain.AddTransaction(v); err != nil {
		var te *blockchain.TransactionError
		var pf *blockchain.PoolFullError
		switch {
		case errors.As(err, &te):
			n.fail(w, http.StatusBadRequest, err.Error())
			return
		case errors.As(err, &pf):
			w.Header().Set("Retry-After", poolRetryAfter)
			n.fail(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		n.log.Error("storing a transaction failed", "err", err.Error())
		n.fail(w, http.StatusInternalServerError, "storing the transaction failed: "+err.Error())
		return
	}
	n.reply(w, http.StatusCreated, map[string]any{"status": "Success"})
}

// handlePendingTx is GET /pending_tx: the pending pool in arrival order.
func (n *Node) handlePendingTx(w http.ResponseWriter, _ *http.Request) {
	pending := n.chain.Pending()
	size := 2
	for _, p := range pending {
		size += len(p.Canonical) + 2
	}
	body := make([]byte, 0, size)
	body = append(body, '[')
	for i, p := range pending {
		if i > 0 {
			body = append(body, ", "...)
		}
		body = append(body, p.Canonical...)
	}
	writeJSON(w, http.StatusOK, append(body, ']'))
}

// handleChain is GET /chain, and GET /chain?from=H for the blocks from
// height H on (see writeChain).
func (n *Node) handleChain(w http.ResponseWriter, r *http.Request) {
	from, err := parseFrom(r)
	if err != nil {
		n.fail(w, http.StatusBadRequest, err.Error())
		return
	}
	n.writeChain(w, from)
}

// handleMine is GET /mine: mine the pending pool into a block, append it,
// announce it in the background.
func (n *Node) handleMine(w http.ResponseWriter, r *http.Request) {
	// Mining at a high difficulty outlasts the server's write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(n.opts.MineTimeout + 5*time.Second))
	ctx, cancel := context.WithTimeout(r.Context(), n.opts.MineTimeout)
	defer cancel()
	b, err := n.Mine(ctx)
	switch {
	case errors.Is(err, ErrNothingToMine):
		n.reply(w, http.StatusOK, map[string]any{"message": "No transactions to mine"})
	case err == nil:
		n.reply(w, http.StatusOK, map[string]any{"message": fmt.Sprintf("Block #%d is mined.", b.Index()), "index": blockchain.IntOf(b.Index())})
	case errors.Is(err, context.DeadlineExceeded):
		n.fail(w, http.StatusServiceUnavailable, fmt.Sprintf("mining did not finish within %s: %v", n.opts.MineTimeout, err))
	case r.Context().Err() != nil:
		// The client hung up or the server is shutting down: nobody reads this.
		n.fail(w, http.StatusServiceUnavailable, "mining was cancelled: "+err.Error())
	default:
		n.log.Error("mining failed", "err", err.Error())
		n.fail(w, http.StatusInternalServerError, err.Error())
	}
}

// nodeAddress reads {"node_address": URL} and normalises the URL. On
// failure it has already answered and returns false.
func (n *Node) nodeAddress(w http.ResponseWriter, r *http.Request) (string, bool) {
	v, ok := n.readJSON(w, r)
	if !ok {
		return "", false
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		n.fail(w, http.StatusBadRequest, `body must be a JSON object {"node_address": URL}`)
		return "", false
	}
	raw, present := obj["node_address"]
	if !present {
		n.fail(w, http.StatusBadRequest, `node_address is missing: send {"node_address": URL}`)
		return "", false
	}
	s, isStr := raw.(string)
	if !isStr {
		n.fail(w, http.StatusBadRequest, "node_address must be a string URL")
		return "", false
	}
	u, err := NormalizeURL(s)
	if err != nil {
		n.fail(w, http.StatusBadRequest, "node_address: "+err.Error())
		return "", false
	}
	if u == n.SelfURL() {
		n.fail(w, http.StatusBadRequest, fmt.Sprintf("node_address %s is this node's own URL", u))
		return "", false
	}
	return u, true
}

// handleRegisterNode is POST /register_node: the caller becomes our peer;
// the answer is our chain. A new peer's chain is fetched soon after, so
// registration syncs both ways.
func (n *Node) handleRegisterNode(w http.ResponseWriter, r *http.Request) {
	u, ok := n.nodeAddress(w, r)
	if !ok {
		return
	}
	if r.Header.Get(NodeIDHeader) == n.id {
		n.fail(w, http.StatusBadRequest, fmt.Sprintf("node_address %s: %v", u, ErrSelf))
		return
	}
	added, err := n.addPeer(u, "it registered with us")
	if errors.Is(err, errPeersFull) {
		n.fail(w, http.StatusConflict, err.Error())
		return
	}
	if err != nil {
		// The peer is in the list; only saving it failed, which was logged.
		n.log.Warn("peer added but not saved", "peer", u, "err", err.Error())
	}
	if added {
		n.requestSync()
	}
	n.writeChain(w, 0)
}

// handleRegisterWith is POST /register_with: register this node with the
// node at node_address (see RegisterWith).
func (n *Node) handleRegisterWith(w http.ResponseWriter, r *http.Request) {
	u, ok := n.nodeAddress(w, r)
	if !ok {
		return
	}
	if n.SelfURL() == "" {
		n.fail(w, http.StatusServiceUnavailable, ErrNoSelfURL.Error())
		return
	}
	if !n.peers.has(u) {
		if wait := n.contacts.take(time.Now()); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			n.fail(w, http.StatusTooManyRequests, "too many registrations with new addresses: try again later")
			return
		}
	}
	res, err := n.RegisterWith(r.Context(), u)
	if errors.Is(err, errPeersFull) {
		n.fail(w, http.StatusConflict, err.Error())
		return
	}
	if err != nil {
		// The peer's answer goes to our log, never back to the caller:
		// otherwise this endpoint reads internal services for anyone.
		n.log.Warn("registration failed", "peer", u, "err", err.Error())
		status := http.StatusBadGateway
		if errors.Is(err, errTargetRefused) || errors.Is(err, ErrSelf) {
			status = http.StatusBadRequest
		}
		n.fail(w, status, registerFailure(u, err))
		return
	}
	n.reply(w, http.StatusOK, map[string]any{
		"status":  "Registration successful",
		"peer":    res.Peer,
		"adopted": res.Adopted,
		"length":  blockchain.IntOf(int64(n.chain.Len())),
	})
}

// handleRemoveNode is POST /remove_node, an extension of the tutorial's
// API: node_address leaves the peer list (200), or was not in it (404).
// The peer is not told.
func (n *Node) handleRemoveNode(w http.ResponseWriter, r *http.Request) {
	u, ok := n.nodeAddress(w, r)
	if !ok {
		return
	}
	removed, err := n.RemovePeer(u)
	switch {
	case err != nil:
		// Removed from memory; saving the list failed and was logged.
		n.fail(w, http.StatusInternalServerError, "the peer was removed but the list could not be saved: "+err.Error())
	case !removed:
		n.fail(w, http.StatusNotFound, fmt.Sprintf("%s is not a peer of this node", u))
	default:
		n.reply(w, http.StatusOK, map[string]any{"status": "Peer removed", "peer": u})
	}
}

// registerFailure says in our own words why registering with peer failed,
// without a word of what the peer answered.
func registerFailure(peer string, err error) string {
	var pe *PeerError
	switch {
	case errors.Is(err, ErrSelf):
		return fmt.Sprintf("registration with %s refused: %v", peer, ErrSelf)
	case errors.Is(err, errTargetRefused):
		return fmt.Sprintf("registration with %s refused: the node does not contact link-local, unspecified, multicast or its own addresses", peer)
	case errors.As(err, &pe) && pe.Faulty:
		return fmt.Sprintf("registration with %s failed: it did not answer as a node of this network does (details in this node's log)", peer)
	case errors.As(err, &pe):
		return fmt.Sprintf("registration with %s failed: it could not be reached (details in this node's log)", peer)
	}
	return fmt.Sprintf("registration with %s failed: %v", peer, err)
}

// handleAddBlock is POST /add_block: a peer's new block. It is appended
// when it extends our tip (201). A valid block that shows we are behind (a
// higher index, or our next index on another parent) starts a consensus
// round; like every block that does not extend the tip, it is answered 400
// with the reason, as the protocol says.
func (n *Node) handleAddBlock(w http.ResponseWriter, r *http.Request) {
	v, ok := n.readPeerJSON(w, r)
	if !ok {
		return
	}
	from := n.sender(r)
	reject := func(status int, index int64, err error, msg string) {
		n.emit(Event{Kind: EventBlockRejected, Peer: from, Index: index, Err: err,
			Message: fmt.Sprintf("block #%d from %s rejected: %s", index, from, msg)})
		n.fail(w, status, msg)
	}
	b, err := blockchain.BlockFromValue(v)
	if err != nil {
		reject(http.StatusBadRequest, -1, err, err.Error())
		return
	}
	if _, has := b.ClaimedHash(); !has {
		err := &blockchain.MalformedBlockError{Index: b.Index(), Why: `missing field "hash"`}
		reject(http.StatusBadRequest, b.Index(), err, err.Error())
		return
	}
	// The block's own proof first: only a block that cost work may make us
	// fetch the peers' chains.
	if err := blockchain.CheckBlock(b, n.chain.Difficulty()); err != nil {
		reject(http.StatusBadRequest, b.Index(), err, err.Error())
		return
	}
	err = n.chain.AddBlock(b)
	if err == nil {
		n.blockReceived(from, b)
		n.reply(w, http.StatusCreated, map[string]any{"status": "Block added to the chain", "index": blockchain.IntOf(b.Index())})
		return
	}
	var ie *blockchain.IndexError
	var pe *blockchain.PreviousHashError
	switch {
	case errors.As(err, &ie):
		tip := n.chain.Tip()
		if b.Index() > tip.Index() {
			reject(http.StatusBadRequest, b.Index(), err, fmt.Sprintf("block #%d is ahead of our tip #%d: %s", b.Index(), tip.Index(), n.roundFor(from, b)))
			return
		}
		if ours := n.chain.Block(b.Index()); ours != nil && ours.Hash() == b.Hash() {
			n.reply(w, http.StatusOK, map[string]any{"status": fmt.Sprintf("Block #%d is already in the chain", b.Index()), "index": blockchain.IntOf(b.Index())})
			return
		}
		reject(http.StatusBadRequest, b.Index(), err, fmt.Sprintf("block #%d conflicts with our block #%d and our chain (tip #%d) is not shorter: %v", b.Index(), b.Index(), tip.Index(), err))
	case errors.As(err, &pe):
		reject(http.StatusBadRequest, b.Index(), err, fmt.Sprintf("block #%d is on another branch (%v): %s", b.Index(), err, n.roundFor(from, b)))
	case blockchain.IsRuleError(err):
		reject(http.StatusBadRequest, b.Index(), err, err.Error())
	default:
		n.log.Error("storing a block failed", "index", b.Index(), "err", err.Error())
		n.fail(w, http.StatusInternalServerError, "storing the block failed: "+err.Error())
	}
}

// senderName names the sender of a request for events and logs. Peers do
// not say who they are, and their source port is an ephemeral one, so it is
// the peer whose URL has the sender's host when exactly one does, else the
// sender's IP.
func (n *Node) senderName(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	match := ""
	for _, p := range n.PeerURLs() {
		u, err := url.Parse(p)
		if err != nil || u.Hostname() != host {
			continue
		}
		if match != "" {
			return host // several peers share the host: which one is unknown
		}
		match = p
	}
	if match != "" {
		return match
	}
	return host
}
