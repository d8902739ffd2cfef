package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"blockscope/blockchain"
	"blockscope/node"
)

// completionShells are the shells `blockscope completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// completePeersCommand is the hidden command the completion scripts run to
// complete --peer: it prints the peers stored in the data directory, one a
// line, and nothing at all when it cannot read them quickly.
const completePeersCommand = "__complete-peers"

// completePeersTimeout bounds the wait for the store's lock: a running
// blockscope holds it, and a shell must not hang on a Tab.
const completePeersTimeout = 200 * time.Millisecond

// valueKind says what a flag's value completes from.
type valueKind int

const (
	valueAnything valueKind = iota // no suggestions
	valueFiles
	valueDirs
	valuePeers
	valueWords
)

// flagValueWords are the values of flags that take one of a few words.
var flagValueWords = map[string][]string{
	"pace": {"unlimited", "100", "10", "1", "step"},
}

// valueCompletion says what the value of f completes from; for valueWords,
// the words.
func valueCompletion(f cliFlag) (valueKind, []string) {
	name := strings.ToLower(f.ValueName)
	switch {
	case f.Name == "peer":
		return valuePeers, nil
	case flagValueWords[f.Name] != nil:
		return valueWords, flagValueWords[f.Name]
	case f.Name == "data-dir" || strings.Contains(name, "dir") && !strings.Contains(name, "file"):
		return valueDirs, nil
	case strings.Contains(name, "file") || strings.Contains(name, "path"):
		return valueFiles, nil
	}
	return valueAnything, nil
}

// completionCommand is a command with its flags, as the scripts see it.
type completionCommand struct {
	command
	flags []cliFlag
}

// completionModel returns every command with its flags.
func completionModel() []completionCommand {
	var model []completionCommand
	for _, c := range commands {
		model = append(model, completionCommand{command: c, flags: commandFlags(c.name)})
	}
	return model
}

// runCompletion is `blockscope completion bash|zsh|fish`.
func runCompletion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("completion")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), completionUsage)
	}
	if code, ok := parseCommandFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "blockscope completion: want one shell (bash, zsh or fish), got %d arguments\n", fs.NArg())
		return 2
	}
	model := completionModel()
	var script string
	switch fs.Arg(0) {
	case "bash":
		script = bashCompletion(model)
	case "zsh":
		script = zshCompletion(model)
	case "fish":
		script = fishCompletion(model)
	default:
		fmt.Fprintf(stderr, "blockscope completion: unknown shell %q (bash, zsh or fish)\n", fs.Arg(0))
		return 2
	}
	if _, err := io.WriteString(stdout, script); err != nil {
		fmt.Fprintf(stderr, "blockscope completion: %v\n", err)
		return 1
	}
	return 0
}

const completionUsage = `Usage: blockscope completion bash|zsh|fish

Writes a script that completes blockscope's commands and flags, and --peer
from the peers in the store, in the shell named. To load it:

  bash:  source <(blockscope completion bash)            (in ~/.bashrc)
  zsh:   blockscope completion zsh > "${fpath[1]}/_blockscope"
  fish:  blockscope completion fish > ~/.config/fish/completions/blockscope.fish
`

// runCompletePeers is the hidden `blockscope __complete-peers [--data-dir
// DIR]`: the stored peers, one a line. It never prints an error, never
// creates a store and waits at most completePeersTimeout for one in use.
func runCompletePeers(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet(completePeersCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("data-dir", "", "directory of the store")
	if fs.Parse(args) != nil {
		return 2
	}
	if *dir == "" {
		d, err := blockchain.DefaultDataDir()
		if err != nil {
			return 1
		}
		*dir = d
	}
	peers, err := node.StoredPeers(*dir, completePeersTimeout)
	if err != nil {
		return 1
	}
	for _, p := range peers {
		fmt.Fprintln(stdout, p)
	}
	return 0
}

// positionalWords returns the words the positional argument of c completes
// from: help's are the commands.
func positionalWords(c command) []string {
	if c.name == "help" {
		return helpTopics()
	}
	return append(slices.Clone(c.argWords), c.childWords()...)
}

// firstLine returns the first line of a flag's usage, for the one line a
// shell shows beside it.
func firstLine(usage string) string {
	line, _, _ := strings.Cut(usage, "\n")
	return line
}
