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
//	blockscope version            the version, revision, Go version and platform
//	blockscope completion SHELL   a completion script for bash, zsh or fish
//	blockscope man                the manual page (roff)
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process's exit code.
// Every command named in commands has a case here.
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
		case "version":
			return runVersion(args[1:], stdout, stderr)
		case "completion":
			return runCompletion(args[1:], stdout, stderr)
		case "man":
			return runMan(args[1:], stdout, stderr)
		case "help":
			return runHelp(args[1:], stdin, stdout, stderr)
		case completePeersCommand:
			return runCompletePeers(args[1:], stdout)
		case "--version", "-version":
			return runVersion(args[1:], stdout, stderr)
		}
	}
	return runTUI(args, stdout, stderr)
}

// runHelp is `blockscope help [COMMAND]`: the same as -h for the terminal
// UI or for COMMAND, written to stdout since it was asked for.
func runHelp(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("help")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: blockscope help [COMMAND]\n\nPrints the flags of the terminal UI, or of COMMAND, as -h does.\n")
	}
	if code, ok := parseCommandFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return runTUI([]string{"-h"}, stdout, stdout)
	}
	name := fs.Arg(0)
	if _, ok := commandNamed(name); !ok || name == "" || name == "help" || fs.NArg() > 1 {
		fmt.Fprintf(stderr, "blockscope help: want one of %s, got %q\n", strings.Join(helpTopics(), ", "), fs.Args())
		return 2
	}
	return run([]string{name, "-h"}, stdin, stdout, stdout)
}

const usage = `blockscope: explore, mine and serve the tutorial's proof-of-work blockchain

Usage:
  blockscope [flags]             open the terminal UI (the default store, the API beside it)
  blockscope serve [flags]       run a headless node (the tutorial's HTTP API)
  blockscope verify FILE|URL|-   check a chain dump ({"length","chain"} or a list of blocks)
  blockscope bench [flags]       measure mining speed on this machine
  blockscope net [flags]         a local network of real nodes racing; 'net attack' the double spend
  blockscope version             print the version, revision, Go version and platform
  blockscope completion SHELL    write a completion script for bash, zsh or fish
  blockscope man                 write the manual page (roff)
  blockscope help [COMMAND]      the same as -h, for the UI or a command

Run 'blockscope -h' for the UI's flags, 'blockscope COMMAND -h' for a command's.
`
