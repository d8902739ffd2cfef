package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/localnet"
	"blockscope/ui/netview"
)

// netOptions are the flags of blockscope net.
type netOptions struct {
	Nodes      int
	Blocks     int64
	Difficulty int
	Rate       float64
	Latency    time.Duration
	Seed       int64
	Peers      stringList
	TxPerBlock float64
	Timeout    time.Duration
	JSON       bool
}

// latencyFlag reads a duration ("400ms") or a bare number of milliseconds.
type latencyFlag struct{ d *time.Duration }

func (f latencyFlag) String() string {
	if f.d == nil {
		return "0s"
	}
	return f.d.String()
}

func (f latencyFlag) Set(s string) error {
	if ms, err := strconv.ParseFloat(s, 64); err == nil {
		*f.d = time.Duration(ms * float64(time.Millisecond))
	} else if *f.d, err = time.ParseDuration(s); err != nil {
		return fmt.Errorf("%q is neither a duration (400ms) nor milliseconds", s)
	}
	if *f.d < 0 || *f.d > time.Minute {
		return fmt.Errorf("%s: between 0 and a minute", *f.d)
	}
	return nil
}

// runNet is blockscope net: a local network of real nodes, run headless
// until its main chain has --blocks blocks, or the attack experiment
// (blockscope net attack). It returns the exit code: 0 ok, 1 failure,
// 2 usage.
func runNet(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "attack" {
		return runNetAttack(args[1:], stdout, stderr)
	}
	var o netOptions
	fs := newFlagSet("net")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: blockscope net [--nodes N] [--blocks B] [--difficulty D] [--rate R] [--latency L] [--seed S] [--peer URL]... [--json]\n"+
			"       blockscope net attack --share Q --confirmations Z [--trials T] [--seed S] [--json]\n\n"+
			"Runs N real nodes on loopback ports, each mining its share of the hash power, talking\n"+
			"over the tutorial's HTTP API, on the network screen; with --blocks or --json, headless\n"+
			"until the main chain has B blocks, then prints what happened.\n\n")
		fs.PrintDefaults()
	}
	fs.IntVar(&o.Nodes, "nodes", localnet.DefaultNodes, "local nodes (A, B, C, ...)")
	fs.Int64Var(&o.Blocks, "blocks", 20, "stop once the main chain has this many blocks past the genesis")
	fs.IntVar(&o.Difficulty, "difficulty", localnet.DefaultDifficulty, "mining difficulty: leading zero hex digits (at least 2)")
	fs.Float64Var(&o.Rate, "rate", 0, "hash power per node in attempts a second (0: a block every 1.5 s on average)")
	fs.Var(latencyFlag{&o.Latency}, "latency", "one-way latency of every link (400ms, or milliseconds)")
	fs.Int64Var(&o.Seed, "seed", 1, "seed of the generated transactions")
	fs.Var(&o.Peers, "peer", "an outside node every local node registers with (repeatable)")
	fs.Float64Var(&o.TxPerBlock, "txs", 1, "transactions added at random nodes per block interval (0: none)")
	fs.DurationVar(&o.Timeout, "timeout", 0, "give up after this long (0: ten times the expected run, at least a minute)")
	fs.BoolVar(&o.JSON, "json", false, "print one JSON object")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if o.Nodes < 1 || o.Nodes > localnet.MaxNodes || o.Blocks < 1 || o.TxPerBlock < 0 {
		fmt.Fprintf(stderr, "blockscope net: --nodes must be 1 to %d, --blocks at least 1 and --txs at least 0\n", localnet.MaxNodes)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	headless := o.JSON
	fs.Visit(func(f *flag.Flag) { headless = headless || f.Name == "blocks" })
	if !headless {
		return netScreen(ctx, o, stderr)
	}
	return netHeadless(ctx, o, stdout, stderr)
}

// netScreen runs the network under the network screen until the person
// quits.
func netScreen(ctx context.Context, o netOptions, stderr io.Writer) int {
	nw, err := localnet.Start(localnet.Options{Nodes: o.Nodes, Difficulty: o.Difficulty, Rate: o.Rate,
		Latency: o.Latency, Seed: o.Seed, Peers: o.Peers})
	if err != nil {
		fmt.Fprintf(stderr, "blockscope net: %v\n", err)
		return 1
	}
	defer nw.Close()
	if o.TxPerBlock > 0 {
		nw.FeedTransactions(time.Duration(float64(nw.Interval()) / o.TxPerBlock))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prog := tea.NewProgram(netview.New(netview.Options{Network: nw, Context: ctx}), tea.WithAltScreen(), tea.WithContext(ctx))
	if _, err := prog.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "blockscope net: %v\n", err)
		return 1
	}
	return 0
}

// netHeadless runs the network until its main chain has o.Blocks blocks
// and prints the report: JSON, or the event log and a table.
func netHeadless(ctx context.Context, o netOptions, stdout, stderr io.Writer) int {
	nw, err := localnet.Start(localnet.Options{Nodes: o.Nodes, Difficulty: o.Difficulty, Rate: o.Rate,
		Latency: o.Latency, Seed: o.Seed, Peers: o.Peers})
	if err != nil {
		fmt.Fprintf(stderr, "blockscope net: %v\n", err)
		return 1
	}
	defer nw.Close()
	if o.TxPerBlock > 0 {
		nw.FeedTransactions(time.Duration(float64(nw.Interval()) / o.TxPerBlock))
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = max(time.Minute, 10*time.Duration(o.Blocks)*nw.Interval())
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	rep, err := nw.RunUntil(ctx, o.Blocks)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope net: %v\n", err)
		return 1
	}
	if o.JSON {
		return printJSON(stdout, stderr, rep)
	}
	events, _ := nw.Events()
	for _, ev := range events {
		fmt.Fprintf(stdout, "%s  %s\n", ev.Time.Format("15:04:05.000"), ev.Message)
	}
	printNetReport(stdout, rep)
	return 0
}

// parseFlags parses args with fs and refuses stray arguments; when it
// reports false the command exits with code (0 after -h).
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "blockscope %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2, false
	}
	return 0, true
}

// printNetReport prints a run's report as a table.
func printNetReport(w io.Writer, r localnet.Report) {
	fmt.Fprintf(w, "\n%-5s %-24s %6s %6s %6s %6s %7s  %s\n", "node", "url", "share", "mined", "main", "stale", "height", "tip")
	for _, n := range r.Nodes {
		fmt.Fprintf(w, "%-5s %-24s %5.0f%% %6d %6d %6d %7d  %.12s\n", n.Name, n.URL, 100*n.HashShare, n.BlocksMined, n.BlocksOnMain, n.StaleBlocks, n.Height, n.Tip)
	}
	var depths []string
	for _, x := range r.Reorgs {
		depths = append(depths, fmt.Sprintf("%s:%d", x.Node, x.Depth))
	}
	fmt.Fprintf(w, "\nmain chain %d blocks; %d found, %d stale (%.1f%%); reorgs [%s]; converged %v; %.1f s\n",
		r.MainHeight, r.BlocksFound, r.StaleBlocks, 100*r.StaleRate, strings.Join(depths, " "), r.Converged, r.Seconds)
}

// printJSON prints v as one indented JSON object.
func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "blockscope net: %v\n", err)
		return 1
	}
	return 0
}

// runNetAttack is blockscope net attack: the whitepaper's double-spend
// race, many trials, measured against the exact probability.
func runNetAttack(args []string, stdout, stderr io.Writer) int {
	var opts localnet.AttackOptions
	fs := newFlagSet("net attack")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: blockscope net attack --share Q --confirmations Z [--trials T] [--seed S] [--difficulty D] [--json]\n\n"+
			"An attacker with share Q of the hash power mines a private branch from the parent of the\n"+
			"block holding a merchant's transaction; the merchant waits for Z confirmations. Each trial is\n"+
			"a race between two real nodes; the attacker wins when its strictly longer branch, released\n"+
			"over HTTP, puts the transaction back in the honest node's pending pool.\n\n")
		fs.PrintDefaults()
	}
	fs.Float64Var(&opts.Share, "share", 0.3, "the attacker's share of the hash power, 0 < Q < 0.5")
	fs.IntVar(&opts.Confirmations, "confirmations", 2, "blocks the merchant waits for")
	fs.IntVar(&opts.Trials, "trials", 400, "races to run")
	fs.Int64Var(&opts.Seed, "seed", 1, "seed: the same seed makes the same blocks and the same outcome")
	fs.IntVar(&opts.Difficulty, "difficulty", 2, "mining difficulty: leading zero hex digits (at least 2)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if err := localnet.ValidateAttack(opts.Share, opts.Confirmations); err != nil {
		fmt.Fprintf(stderr, "blockscope net attack: %v\n", err)
		return 2
	}
	if opts.Trials < 1 || opts.Difficulty < 2 || opts.Difficulty > 8 {
		fmt.Fprintf(stderr, "blockscope net attack: --trials must be at least 1 and --difficulty between 2 and 8\n")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := localnet.RunAttack(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope net attack: %v\n", err)
		return 1
	}
	if *asJSON {
		return printJSON(stdout, stderr, rep)
	}
	fmt.Fprintf(stdout, "attacker share %.2f, %d confirmations, %d trials: %d successes\n", rep.Share, rep.Confirmations, rep.Trials, rep.Successes)
	fmt.Fprintf(stdout, "measured  %.4f ± %.4f (one standard error)\n", rep.SuccessRate, rep.StdError)
	fmt.Fprintf(stdout, "exact     %.4f (strictly longer chain wins; giving up %d behind changes it by < %.0e)\n", rep.Expected, rep.GiveUpBehind, localnet.DefaultGiveUpTolerance)
	fmt.Fprintf(stdout, "whitepaper %.4f (Poisson attacker progress, a tie counted as a catch-up)\n", rep.Nakamoto)
	return 0
}
