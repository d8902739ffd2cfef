package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
	"blockscope/ui"
)

// runTUI runs the terminal UI: it opens the store before the screen takes
// over the terminal (so errors print plainly), starts the HTTP API beside
// the screen, registers with the --peer nodes, runs the screen, and on the
// way out stops the search, the API and the node and closes the store.
func runTUI(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("blockscope", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	o.addStoreFlags(fs)
	o.addMinerFlags(fs)
	o.addNodeFlags(fs, "127.0.0.1:8000")
	fs.BoolVar(&o.Mouse, "mouse", false, "mouse support: wheel scrolls, click focuses (off so that hashes can be selected with the mouse)")
	fs.BoolVar(&o.Lab, "lab", false, "open the tamper lab on a throwaway in-memory chain (not available yet)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: blockscope [flags]\n\nThe terminal UI: pending transactions, the chain, the nonce search; the HTTP API runs beside it.\n\nFlags:\n")
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
	if o.Lab {
		fmt.Fprintln(stderr, "blockscope: --lab: the tamper lab is not available yet")
		return 2
	}
	pace, err := ui.ParsePace(o.Pace)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope: --pace: %v\n", err)
		return 2
	}

	chain, store, err := o.openChain()
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

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var background sync.WaitGroup
	defer background.Wait() // runs after cancel: every goroutine here ends with ctx

	var (
		nd  *node.Node
		api = "api off"
		ln  net.Listener
	)
	if o.Listen != "off" {
		nd, err = node.New(chain, store, node.Options{Miner: mineWith(o.Workers), Difficulty: o.Difficulty})
		if err != nil {
			fmt.Fprintf(stderr, "blockscope: %v\n", err)
			return 1
		}
		defer nd.Close()
		ln, err = net.Listen("tcp", o.Listen)
		if err != nil {
			// The screen still starts; the header says why there is no API.
			api = "api off: " + listenProblem(err)
		} else {
			api = "api " + ln.Addr().String()
			background.Add(1)
			go func() {
				defer background.Done()
				_ = nd.Serve(ctx, ln) // errors after start show as a dead API; the screen goes on
			}()
		}
	}

	notice := ""
	if o.Listen == "off" && len(o.Peers) > 0 {
		notice = "--peer ignored: with --listen off no peer could reach this node"
	}
	opts := ui.Options{
		Notice:     notice,
		Chain:      chain,
		Context:    ctx,
		Difficulty: o.Difficulty,
		Workers:    o.Workers,
		Pace:       pace,
		Where:      where,
		API:        api,
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
			registerPeers(ctx, prog, nd, o.Peers, ln != nil)
		}()
	}

	_, err = prog.Run()
	cancel()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "blockscope: %v\n", err)
		return 1
	}
	return 0
}

// registerPeers registers with each --peer node and reports the outcome on
// the status line. It must be run as a goroutine; it returns when ctx ends.
func registerPeers(ctx context.Context, prog *tea.Program, nd *node.Node, peers []string, listening bool) {
	for _, p := range peers {
		if !listening {
			// Registering tells the peer our URL; without the API there is none.
			prog.Send(ui.StatusMsg{Text: "not registered with " + p + ": the API is off, so the peer could not reach this node", Err: true})
			continue
		}
		res, err := nd.RegisterWith(ctx, p)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			prog.Send(ui.StatusMsg{Text: "register with " + p + ": " + err.Error(), Err: true})
			continue
		}
		msg := fmt.Sprintf("registered with %s (chain of %d blocks)", res.Peer, res.Length)
		if res.Adopted {
			msg += ": adopted its longer chain"
		}
		prog.Send(ui.StatusMsg{Text: msg})
	}
}

// listenProblem says briefly why the API could not listen.
func listenProblem(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	return err.Error()
}

// mineWith returns the node's miner for GET /mine: the parallel search,
// waited for until it finds the block.
func mineWith(workers int) node.Miner {
	return func(ctx context.Context, template *blockchain.Block, difficulty int) (*blockchain.Block, error) {
		s, err := miner.Start(ctx, template, miner.Config{Difficulty: difficulty, Workers: workers})
		if err != nil {
			return nil, err
		}
		var (
			found  *blockchain.Block
			failed error
		)
		for ev := range s.Events() {
			switch ev := ev.(type) {
			case miner.Found:
				found = ev.Block
			case miner.Failed:
				failed = ev.Err
			}
		}
		switch {
		case found != nil:
			return found, nil
		case failed != nil:
			return nil, failed
		case ctx.Err() != nil:
			return nil, ctx.Err()
		}
		return nil, errors.New("the search ended without a block")
	}
}
