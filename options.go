package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
)

// options are the flags shared by the terminal UI and serve; scripts rely
// on their names.
type options struct {
	DataDir    string
	Mem        bool
	Difficulty int
	Workers    int
	Pace       miner.Pace
	Mouse      bool
	Listen     string
	Peers      stringList
	Lab        bool

	MaxPendingTx    int
	MaxPendingBytes int64
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// addStoreFlags registers the flags that choose and shape the chain.
func (o *options) addStoreFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.DataDir, "data-dir", "", "directory of the store (default $XDG_DATA_HOME/blockscope or ~/.local/share/blockscope)")
	fs.BoolVar(&o.Mem, "mem", false, "keep everything in memory: nothing is read from or written to disk")
	fs.IntVar(&o.MaxPendingTx, "max-pending-tx", blockchain.DefaultMaxPendingCount, "most transactions the pending pool holds; beyond, new ones are refused until a block is mined")
	fs.Int64Var(&o.MaxPendingBytes, "max-pending-bytes", blockchain.DefaultMaxPendingBytes, "most bytes (canonical JSON) the pending pool holds")
}

// addNodeFlags registers the flags of the HTTP API and its peers.
func (o *options) addNodeFlags(fs *flag.FlagSet, defaultListen string) {
	fs.StringVar(&o.Listen, "listen", defaultListen, "address of the HTTP API (host:port; \"off\" for none)")
	fs.Var(&o.Peers, "peer", "register with the node at this URL at start (repeatable)")
}

// addMinerFlags registers the flags of mining.
func (o *options) addMinerFlags(fs *flag.FlagSet) {
	fs.IntVar(&o.Difficulty, "difficulty", blockchain.SeedDifficulty, "mining difficulty: leading zero hex digits (at least the chain's floor, 2)")
	fs.IntVar(&o.Workers, "workers", 0, "mining workers (default: all cores)")
}

// addScreenFlags registers the flags only the terminal UI has: a headless
// node mines at full speed and has no mouse.
func (o *options) addScreenFlags(fs *flag.FlagSet) {
	fs.TextVar(&o.Pace, "pace", miner.Unlimited, "mining pace: unlimited, 100, 10, 1 (attempts per second) or step")
	fs.BoolVar(&o.Mouse, "mouse", false, "mouse: a click selects a row, a double click inspects it, the wheel scrolls the view under the pointer (off so that hashes can be selected with the mouse)")
	fs.BoolVar(&o.Lab, "lab", false, "open the tamper lab on a throwaway in-memory demo chain (no store, no API)")
}

// validate checks the flags that have a range.
func (o *options) validate() error {
	if o.Difficulty < blockchain.SeedDifficulty || o.Difficulty > blockchain.MaxDifficulty {
		return fmt.Errorf("--difficulty %d: must be between %d (the chain's floor) and %d", o.Difficulty, blockchain.SeedDifficulty, blockchain.MaxDifficulty)
	}
	if o.Workers < 0 {
		return fmt.Errorf("--workers %d: must be 0 (all cores) or more", o.Workers)
	}
	if o.MaxPendingTx < 1 || o.MaxPendingBytes < 1 {
		return fmt.Errorf("--max-pending-tx %d, --max-pending-bytes %d: both must be at least 1", o.MaxPendingTx, o.MaxPendingBytes)
	}
	if o.Mem && o.DataDir != "" {
		return errors.New("--mem and --data-dir exclude each other")
	}
	return nil
}

// dataDir returns the store directory the flags choose.
func (o *options) dataDir() (string, error) {
	if o.DataDir != "" {
		return o.DataDir, nil
	}
	return blockchain.DefaultDataDir()
}

// openChain opens the store (unless --mem) and loads the chain from it. The
// caller closes the store, which is nil in memory mode.
func (o *options) openChain() (*blockchain.Chain, *blockchain.Store, error) {
	copts := blockchain.ChainOptions{MaxPendingCount: o.MaxPendingTx, MaxPendingBytes: o.MaxPendingBytes}
	if o.Mem {
		return blockchain.NewMemoryChain(copts), nil, nil
	}
	dir, err := o.dataDir()
	if err != nil {
		return nil, nil, fmt.Errorf("find the data directory: %w (set --data-dir)", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create data directory: %w", err)
	}
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		return nil, nil, err
	}
	chain, err := blockchain.OpenChain(store, copts)
	if err != nil {
		store.Close()
		return nil, nil, fmt.Errorf("open chain in %s: %w", store.Path(), err)
	}
	return chain, store, nil
}

// mineWith returns the node's miner for GET /mine: the parallel search on
// workers (0: all cores), waited for until it finds the block.
func mineWith(workers int) node.Miner {
	return func(ctx context.Context, template *blockchain.Block, difficulty int) (*blockchain.Block, error) {
		return miner.Mine(ctx, template, miner.Config{Difficulty: difficulty, Workers: workers})
	}
}
