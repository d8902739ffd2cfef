package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui"
	"blockscope/ui/lab"
)

// runTUI runs the terminal UI: it opens the store before the screen takes
// over the terminal (so errors print plainly), starts the HTTP API beside
// the screen, registers with the --peer nodes, runs the screen, and on the
// way out stops the search, the API and the node and closes the store.
func runTUI(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("blockscope")
	fs.SetOutput(stderr)
	var o options
	o.addStoreFlags(fs)
	o.addMinerFlags(fs)
	o.addNodeFlags(fs, "127.0.0.1:8000")
	o.addScreenFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage+"\nFlags of the terminal UI (the pending transactions, the chain, the nonce search; the HTTP API runs beside it):\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "blockscope: unknown command %q (see blockscope help)\n", fs.Arg(0))
		return 2
	}
	if err := o.validate(); err != nil {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 2
	}
	pace, err := ui.ParsePace(o.Pace)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope: --pace: %v\n", err)
		return 2
	}

	var (
		chain *blockchain.Chain
		store *blockchain.Store
	)
	if o.Lab {
		// The lab works on a throwaway demo chain: no store is opened and
		// no API serves it, so nothing done there can leak anywhere.
		if o.DataDir != "" {
			fmt.Fprintln(stderr, "blockscope: --lab uses a throwaway chain in memory; --data-dir does not apply")
			return 2
		}
		chain, err = lab.NewDemoChain(context.Background(), nil)
		o.Listen = "off"
	} else {
		chain, store, err = o.openChain()
	}
	if err != nil {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 1
	}
	if store != nil {
		defer store.Close()
	}
	where := ""
	if store != nil {
		where = store.Path()
	}
	if o.Lab {
		where = "tamper lab demo chain, in memory"
	}

	// On the way out, in this order (defers run last first): the screen's
	// searches stop (model.Close), the node stops, ctx ends the API and the
	// registrations, they are waited for, and the store closes.
	var background sync.WaitGroup
	defer background.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The API listens first, so the node knows the URL it registers with
	// peers under before anything can ask for it.
	ln, api := listenAPI(o.Listen)
	var nd *node.Node
	if ln != nil {
		self, err := node.URLForListenAddr(ln.Addr().String())
		if err == nil {
			nd, err = node.New(chain, store, node.Options{SelfURL: self, Miner: mineWith(o.Workers), Difficulty: o.Difficulty})
		}
		if err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "blockscope: %v\n", err)
			return 1
		}
		defer nd.Close()
		background.Add(1)
		go func() {
			defer background.Done()
			_ = nd.Serve(ctx, ln) // it ends with ctx; a failure later only stops the API
		}()
	}

	notice := ""
	if nd == nil && len(o.Peers) > 0 {
		notice = "--peer ignored: without the API (" + api + ") no peer could reach this node"
	}
	opts := ui.Options{
		Notice:     notice,
		Chain:      chain,
		Context:    ctx,
		Difficulty: o.Difficulty,
		Workers:    o.Workers,
		Pace:       pace,
		Where:      displayPath(where),
		API:        api,
		Lab:        o.Lab,
	}
	if nd != nil {
		opts.Network = nd
	}
	model := ui.New(opts)
	defer model.Close()

	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithOutput(stdout), tea.WithContext(ctx)}
	if o.Mouse {
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	prog := tea.NewProgram(model, progOpts...)

	if nd != nil && len(o.Peers) > 0 {
		background.Add(1)
		go func() {
			defer background.Done()
			registerPeers(ctx, prog, nd, o.Peers)
		}()
	}

	final, err := prog.Run()
	cancel()
	if fm, ok := final.(ui.Model); ok {
		fm.Close() // the final model holds the lab, if it is open
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 1
	}
	return 0
}

// registerPeers registers with each --peer node and reports the outcome on
// the status line. It must be run as a goroutine; it returns when ctx ends.
func registerPeers(ctx context.Context, prog *tea.Program, nd *node.Node, peers []string) {
	for _, p := range peers {
		res, err := nd.RegisterWith(ctx, p)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			prog.Send(ui.StatusMsg{Text: "register with " + p + ": " + err.Error(), Err: true})
			continue
		}
		msg := fmt.Sprintf("registered with %s (its chain: %s)", res.Peer, plural(res.Length, "block"))
		if res.Adopted {
			msg += ": adopted its longer chain"
		}
		prog.Send(ui.StatusMsg{Text: msg})
	}
}

// listenAPI opens the API's listener on addr ("off" for none) and returns
// the header's note on it. When it cannot listen (the port is taken) the
// screen starts anyway and the note says why.
func listenAPI(addr string) (net.Listener, string) {
	if addr == "" || addr == "off" {
		return nil, "api off"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "api off: " + listenProblem(err)
	}
	note := "api " + ln.Addr().String()
	if !isLoopback(ln.Addr()) {
		note += " (open beyond this machine)"
	}
	return ln, note
}

// displayPath shortens a path under the home directory to ~/...
func displayPath(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || path == "" {
		return path
	}
	if rel, ok := strings.CutPrefix(path, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rel
	}
	return path
}

// listenProblem says briefly why the API could not listen.
func listenProblem(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}
