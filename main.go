// Command blockscope explores, mines and serves the proof-of-work blockchain
// of the tutorial "How to Build a Blockchain in Python", byte-compatible with
// the tutorial's own nodes.
//
// Usage:
//
//	blockscope [flags]            the terminal UI on the default store
//	blockscope serve [flags]      a headless node speaking the tutorial's HTTP API
//	blockscope verify FILE|URL|-  check a chain dump in the /chain format
//	blockscope bench [flags]      measure the miner against this machine's SHA-256
//	blockscope net [flags]        a local network of real nodes; net attack: the double spend
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process's exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return runServe(args[1:], stdout, stderr)
		case "verify":
			return runVerify(args[1:], stdin, stdout, stderr)
		case "bench":
			return runBench(args[1:], stdout, stderr)
		case "net":
			return runNet(args[1:], stdout, stderr)
		case "help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	return runTUI(args, stdout, stderr)
}

const usage = `blockscope: explore, mine and serve the tutorial's proof-of-work blockchain

Usage:
  blockscope [flags]             open the terminal UI (the default store, the API beside it)
  blockscope serve [flags]       run a headless node (the tutorial's HTTP API)
  blockscope verify FILE|URL|-   check a chain dump ({"length","chain"} or a list of blocks)
  blockscope bench [flags]       measure mining speed on this machine
  blockscope net [flags]         a local network of real nodes racing; 'net attack' the double spend

Run 'blockscope -h' for the UI's flags, 'blockscope COMMAND -h' for a command's.
`
