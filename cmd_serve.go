package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"blockscope/node"
)

// runServe runs `blockscope serve`: a headless node speaking the tutorial's
// HTTP API over the store, until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr, nil)
}

// serveFlags are serve's flags: the shared options and its own.
type serveFlags struct {
	options
	advertise string
	syncEvery time.Duration
}

// parseServeFlags reads serve's flags. When it reports false serve ends
// with code: 0 after -h, 2 for a usage error (already printed).
func parseServeFlags(args []string, stderr io.Writer) (serveFlags, int, bool) {
	fs := newFlagSet("serve")
	fs.SetOutput(stderr)
	var f serveFlags
	f.addStoreFlags(fs)
	f.addNodeFlags(fs, "127.0.0.1:8000")
	f.addMinerFlags(fs)
	fs.StringVar(&f.advertise, "advertise", "", "the URL peers reach this node at, sent when registering (default: from --listen, e.g. http://127.0.0.1:8000/)")
	fs.DurationVar(&f.syncEvery, "sync-interval", node.DefaultSyncInterval, "how often to fetch the peers' chains and retry peers that were down (0: only when a block shows we are behind)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: blockscope serve [flags]\n\nA headless node: the tutorial's HTTP API over the store, synced with its peers. It stops on SIGINT or SIGTERM.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, 0, false
		}
		return f, 2, false
	}
	usageErr := func(format string, a ...any) (serveFlags, int, bool) {
		fmt.Fprintf(stderr, "blockscope serve: "+format+"\n", a...)
		return f, 2, false
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q: serve takes only flags", fs.Arg(0))
	}
	if err := f.validate(); err != nil {
		return usageErr("%v", err)
	}
	if f.Listen == "" || f.Listen == "off" {
		return usageErr("--listen %q: a headless node needs an address to listen on", f.Listen)
	}
	if f.advertise != "" {
		if _, err := node.NormalizeURL(f.advertise); err != nil {
			return usageErr("--advertise: %v", err)
		}
	}
	if f.syncEvery < 0 {
		return usageErr("--sync-interval %s: must not be negative", f.syncEvery)
	}
	return f, 0, true
}

// serve is runServe with the stop signal as ctx. ready, when not nil, is
// called with the API's base URL once it accepts connections.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(url string)) int {
	o, code, ok := parseServeFlags(args, stderr)
	if !ok {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	chain, store, err := o.openChain()
	if err != nil {
		fmt.Fprintf(stderr, "blockscope serve: %v\n", err)
		return 1
	}
	where := "memory (--mem: nothing is kept)"
	if store != nil {
		defer store.Close()
		where = store.Path()
	}
	ln, err := listenAPI(o.Listen)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope serve: %v\n", err)
		return 1
	}
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(stderr, "blockscope serve: warning: listening on %s, beyond this machine: anyone who reaches it can add transactions, mine and register peers\n", ln.Addr())
	}
	interval := o.syncEvery
	if interval == 0 {
		interval = -1 // node.Options: negative turns polling off
	}
	nd, err := startNode(ctx, chain, store, nodeStart{
		ln:   ln,
		self: o.advertise,
		opts: node.Options{
			Logger:       log,
			Miner:        mineWith(o.Workers),
			Difficulty:   o.Difficulty,
			SyncInterval: interval,
		},
	})
	if err != nil {
		fmt.Fprintf(stderr, "blockscope serve: %v\n", err)
		return 1
	}
	nd.Register(ctx, o.Peers, registerRetry, logRegistered(log))
	log.Info("serving the chain", "blocks", chain.Len(), "pending", len(chain.Pending()), "store", where, "difficulty", o.Difficulty, "peers", len(nd.PeerURLs()))
	go logCheck(ctx, log, chain, checkLogEvery)
	if ready != nil {
		ready(nd.URL)
	}
	if err := nd.Wait(); err != nil {
		log.Error("the API stopped", "err", err.Error())
		return 1
	}
	log.Info("shut down")
	return 0
}

// logRegistered logs the outcome of registering with a --peer node at
// start. A failure is not fatal: the node serves anyway and the peer may
// register later.
func logRegistered(log *slog.Logger) func(registered) {
	return func(r registered) {
		if r.err != nil {
			log.Warn("could not register with a peer", "peer", r.peer, "err", r.err.Error(), "retry_in", r.retry.String())
			return
		}
		res := r.res
		log.Info("registered with a peer", "peer", res.Peer, "their_blocks", res.Length, "adopted", res.Adopted, "asked_to_adopt_ours", res.Nudged)
	}
}
