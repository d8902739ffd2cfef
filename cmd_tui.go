package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/node"
	"blockscope/ui"
	"blockscope/ui/lab"
)

// runTUI runs the terminal UI: it opens the store before the screen takes
// over the terminal (so errors print plainly), starts the HTTP API beside
// the screen, registers with the --peer nodes, runs the screen, and on the
// way out stops the searches, the API and the node and closes the store.
func runTUI(args []string, stdout, stderr io.Writer) int {
	o, code, ok := parseTUIFlags(args, stderr)
	if !ok {
		return code
	}
	chain, store, where, err := openTUIChain(&o)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 1
	}
	if store != nil {
		defer store.Close()
	}
	if !hasTerminal() {
		fmt.Fprintln(stderr, "blockscope: the screen needs a terminal, and there is none here (no TTY);\nto run a node without a screen, use: blockscope serve")
		return 1
	}

	// On the way out, in this order: the screen's searches stop (Close on
	// the final model), ctx ends the API and the registrations, the node
	// is waited for and closed, and the store closes (deferred above).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The API listens first, so the node knows the URL it registers with
	// peers under before anything can ask for it.
	ln, lerr := listenAPI(o.Listen)
	api := ui.API{Err: lerr}
	var nd *startedNode
	if ln != nil {
		api.Addr = ln.Addr()
		nd, err = startNode(ctx, chain, store, nodeStart{ln: ln, opts: node.Options{Miner: mineWith(o.Workers), Difficulty: o.Difficulty}})
		if err != nil {
			fmt.Fprintf(stderr, "blockscope: %v\n", err)
			return 1
		}
		defer func() {
			cancel()
			_ = nd.Wait() // a failure after the start only stopped the API
		}()
	}

	opts := ui.Options{
		Chain:      chain,
		Context:    ctx,
		Difficulty: o.Difficulty,
		Workers:    o.Workers,
		Pace:       o.Pace,
		Where:      displayPath(where),
		API:        api,
		Lab:        o.Lab,
		Clipboard:  terminalClipboard(stdout),
	}
	if nd != nil {
		opts.Network, opts.Peers = nd, o.Peers
	} else if len(o.Peers) > 0 {
		opts.Notice = "--peer ignored: without the API (" + api.String() + ") no peer could reach this node"
	}
	model := ui.New(opts)
	progOpts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithOutput(stdout), tea.WithContext(ctx)}
	if o.Mouse {
		progOpts = append(progOpts, tea.WithMouseCellMotion())
	}
	prog := tea.NewProgram(model, progOpts...)
	if nd != nil {
		nd.Register(ctx, o.Peers, registerRetry, statusRegistered(prog))
	}

	final, err := prog.Run()
	cancel()
	if fm, ok := final.(ui.Model); ok {
		model = fm // the final model holds the lab, if it is open
	}
	model.Close()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 1
	}
	return 0
}

// parseTUIFlags reads the UI's flags. When it reports false the program
// ends with code: 0 after -h, 2 for a usage error (already printed).
func parseTUIFlags(args []string, stderr io.Writer) (options, int, bool) {
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
			return o, 0, false
		}
		return o, 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "blockscope: unknown command %q (see blockscope help)\n", fs.Arg(0))
		return o, 2, false
	}
	if err := o.validate(); err != nil {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return o, 2, false
	}
	if o.Lab && o.DataDir != "" {
		fmt.Fprintln(stderr, "blockscope: --lab uses a throwaway chain in memory; --data-dir does not apply")
		return o, 2, false
	}
	return o, 0, true
}

// openTUIChain opens the chain the flags name and says where it lives for
// the header. --lab works on a throwaway demo chain: no store is opened
// and no API serves it (it turns --listen off), so nothing done there can
// leak anywhere.
func openTUIChain(o *options) (*blockchain.Chain, *blockchain.Store, string, error) {
	if o.Lab {
		o.Listen = "off"
		chain, err := lab.NewDemoChain(context.Background(), nil)
		return chain, nil, "tamper lab demo chain, in memory", err
	}
	chain, store, err := o.openChain()
	if err != nil {
		return nil, nil, "", err
	}
	where := ""
	if store != nil {
		where = store.Path()
	}
	return chain, store, where, nil
}

// statusRegistered reports the outcome of registering with a --peer node
// on the status line.
func statusRegistered(prog *tea.Program) func(registered) {
	return func(r registered) {
		prog.Send(registeredStatus(r))
	}
}

// registeredStatus is the status line of one try at registering.
func registeredStatus(r registered) ui.StatusMsg {
	if r.err != nil {
		text := "register with " + r.peer + ": " + r.err.Error()
		if r.retry > 0 {
			text += " (tried again every " + r.retry.String() + ")"
		}
		return ui.StatusMsg{Text: text, Err: true, Peer: r.peer, Why: r.err.Error(), Retry: r.retry}
	}
	msg := fmt.Sprintf("registered with %s (its chain: %s)", r.res.Peer, plural(r.res.Length, "block"))
	if r.res.Adopted {
		msg += ": adopted its longer chain"
	}
	return ui.StatusMsg{Text: msg, Peer: r.peer}
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
