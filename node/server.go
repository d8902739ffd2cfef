package node

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server timeouts: enough for a whole chain over a slow link, short enough
// that a client that stalls cannot hold a connection for long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 30 * time.Second
	shutdownTimeout   = 5 * time.Second
)

// NewServer returns an http.Server for the node's API with the node's
// timeouts and limits. Serve uses it; a caller that manages its own
// listener may too.
func (n *Node) NewServer() *http.Server {
	return &http.Server{
		Handler:           n.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(slogWriter{n.log}, "", 0),
	}
}

// Serve answers the API on ln until ctx ends, then shuts down gracefully:
// it stops accepting, cancels the requests in flight (a long GET /mine) and
// waits up to five seconds for them. When Options.SelfURL was empty, our URL
// becomes the listener's (see URLForListenAddr). It returns nil after a
// shutdown through ctx, or the error that stopped the server. It does not
// close the node.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	addr := ln.Addr().String()
	n.addListener(ln.Addr())
	if n.SelfURL() == "" {
		u, err := URLForListenAddr(addr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("serve: %w", err)
		}
		n.setSelfIfUnset(u)
		// A peer list restored from the store may name us under this URL.
		if n.peers.remove(n.SelfURL()) {
			_ = n.savePeers()
		}
	}
	srv := n.NewServer()
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	srv.BaseContext = func(net.Listener) context.Context { return reqCtx }
	// Shutdown would wait up to five seconds for connections a client
	// opened but never used (HTTP clients dial spares); close those at once.
	fresh := &freshConns{conns: map[net.Conn]struct{}{}}
	conns := newConnCap(n.opts.MaxConns)
	n.selfMu.Lock()
	n.connCaps = append(n.connCaps, conns)
	n.selfMu.Unlock()
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		fresh.track(c, state)
		conns.track(c, state)
	}
	srv.RegisterOnShutdown(fresh.closeAll)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(cappedListener{ln, conns}) }()
	n.log.Info("listening", "addr", addr, "url", n.SelfURL())

	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", addr, err)
	case <-ctx.Done():
	}
	cancelRequests()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", addr, serr)
	}
	n.log.Info("stopped listening", "addr", addr)
	if err != nil {
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	return nil
}

// freshConns tracks connections on which no request has started, so that a
// shutdown need not wait for them. It is safe for concurrent use.
type freshConns struct {
	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
}

func (f *freshConns) track(c net.Conn, state http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if state != http.StateNew {
		delete(f.conns, c)
		return
	}
	if f.closing {
		c.Close()
		return
	}
	f.conns[c] = struct{}{}
}

func (f *freshConns) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closing = true
	for c := range f.conns {
		c.Close()
	}
	clear(f.conns)
}

// slogWriter turns the http.Server's own complaints (TLS handshakes, broken
// connections) into log records instead of prints to stderr.
type slogWriter struct{ log *slog.Logger }

func (w slogWriter) Write(p []byte) (int, error) {
	msg := string(p)
	if len(msg) > 0 && msg[len(msg)-1] == '\n' {
		msg = msg[:len(msg)-1]
	}
	w.log.Debug("http server", "msg", msg)
	return len(p), nil
}
