package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// command describes a subcommand for help, completion and the manual page.
// Its flags are not listed here: they are learnt from the flag set the
// command itself builds (see commandFlags), so that a flag added to a
// command shows up everywhere without being written down twice.
type command struct {
	// name is the words after blockscope: "serve", "net attack"; "" is
	// the terminal UI.
	name string
	// args is what follows the flags in a synopsis.
	args string
	// summary is one line saying what the command does.
	summary string
	// argWords are the words its positional argument completes from;
	// argFiles says that it is a file name instead.
	argWords []string
	argFiles bool
}

// commands are blockscope's commands in the order help lists them. run has
// a case for each.
var commands = []command{
	{name: "", args: "[flags]", summary: "open the terminal UI (the default store, the API beside it)"},
	{name: "serve", args: "[flags]", summary: "run a headless node (the tutorial's HTTP API)"},
	{name: "verify", args: "[flags] FILE|URL|-", summary: "check a chain dump ({\"length\",\"chain\"} or a list of blocks)", argFiles: true},
	{name: "bench", args: "[flags]", summary: "measure mining speed on this machine"},
	{name: "net", args: "[flags]", summary: "run a local network of real nodes racing to mine"},
	{name: "net attack", args: "[flags]", summary: "race a double spend against the network's confirmations"},
	{name: "version", summary: "print the version, revision, Go version and platform"},
	{name: "completion", args: "bash|zsh|fish", summary: "write a completion script for bash, zsh or fish", argWords: completionShells},
	{name: "man", summary: "write the manual page (roff)"},
	{name: "help", args: "[COMMAND]", summary: "the same as -h, for the UI or a command"},
}

// synopsis returns how c is written: "blockscope serve [flags]".
func (c command) synopsis() string {
	return strings.Join(strings.Fields("blockscope "+c.name+" "+c.args), " ")
}

// commandNamed returns the command called name ("" for the terminal UI).
func commandNamed(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// subcommandNames returns the names of the commands of one word (not the
// UI, not "net attack").
func subcommandNames() []string {
	var names []string
	for _, c := range commands {
		if c.name != "" && !strings.Contains(c.name, " ") {
			names = append(names, c.name)
		}
	}
	return names
}

// childWords returns the second words of the commands under c: "attack"
// for "net".
func (c command) childWords() []string {
	var words []string
	for _, sub := range commands {
		if rest, ok := strings.CutPrefix(sub.name, c.name+" "); ok && c.name != "" {
			words = append(words, rest)
		}
	}
	return words
}

// helpTopics returns the commands `blockscope help` explains.
func helpTopics() []string {
	return slices.DeleteFunc(subcommandNames(), func(name string) bool { return name == "help" })
}

// parseCommandFlags parses args with fs. When it returns false the command
// ends with code: 0 after -h (fs printed the help), 2 after a usage error
// (fs printed it).
func parseCommandFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	}
	return 2, false
}

// flagSetCapture, while commandFlags runs, is handed every flag set
// newFlagSet makes; captureLock lets one commandFlags run at a time.
var (
	flagSetCapture atomic.Pointer[func(*flag.FlagSet)]
	captureLock    sync.Mutex
)

// newFlagSet returns the flag set of a command, named name (the command's
// name, or "blockscope" for the terminal UI), that returns its errors. Every
// command makes its flags with it so that completion and the manual page
// know them.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if capture := flagSetCapture.Load(); capture != nil {
		(*capture)(fs)
	}
	return fs
}

// cliFlag is one flag of a command as completion and the manual page see it.
type cliFlag struct {
	Name      string
	Usage     string // the usage text with a `name` quoted in it unquoted
	ValueName string // "" for a boolean flag, else what its value is ("string", "seconds", ...)
	Default   string // the default shown in help, "" when it is the zero value
}

// commandFlags returns the flags of command name ("" for the terminal UI),
// sorted by name.
func commandFlags(name string) []cliFlag {
	fs, _ := commandFlagSet(name)
	if fs == nil {
		return nil
	}
	var flags []cliFlag
	fs.VisitAll(func(f *flag.Flag) {
		valueName, usage := flag.UnquoteUsage(f)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			valueName = ""
		} else if valueName == "" {
			valueName = "value"
		}
		flags = append(flags, cliFlag{Name: f.Name, Usage: usage, ValueName: valueName, Default: shownDefault(f)})
	})
	sort.Slice(flags, func(i, j int) bool { return flags[i].Name < flags[j].Name })
	return flags
}

// commandFlagSet returns the flag set command name ("" for the terminal UI)
// makes, learnt by running the command with -h: it parses its flags and
// stops before it does anything, and its output is discarded. found is
// false when the command made no flag set with newFlagSet.
func commandFlagSet(name string) (fs *flag.FlagSet, found bool) {
	captureLock.Lock()
	defer captureLock.Unlock()
	want := name
	if want == "" {
		want = "blockscope"
	}
	// Another goroutine (a test) may make flag sets meanwhile: the first
	// set named like the command is taken, and they all have the same flags.
	var (
		mu  sync.Mutex
		got *flag.FlagSet
	)
	capture := func(fs *flag.FlagSet) {
		mu.Lock()
		defer mu.Unlock()
		if got == nil && fs.Name() == want {
			got = fs
		}
	}
	flagSetCapture.Store(&capture)
	defer flagSetCapture.Store(nil)

	run(append(strings.Fields(name), "-h"), strings.NewReader(""), io.Discard, io.Discard)
	mu.Lock()
	defer mu.Unlock()
	return got, got != nil
}

// shownDefault returns the default of f as help shows it: nothing for a
// zero value.
func shownDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
		return ""
	}
	return f.DefValue
}
