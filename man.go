package main

import (
	"fmt"
	"io"
	"strings"
)

// runMan is `blockscope man`: the manual page in roff, with every command's
// flags taken from its flag set.
func runMan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("man")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: blockscope man\n\nWrites the manual page in roff. To read it: blockscope man | man -l -\n")
	}
	if code, ok := parseCommandFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "blockscope man: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if _, err := io.WriteString(stdout, manPage(completionModel(), readBuildInfo().Version)); err != nil {
		fmt.Fprintf(stderr, "blockscope man: %v\n", err)
		return 1
	}
	return 0
}

// manPage returns the manual page of blockscope in roff (man(7) macros).
func manPage(model []completionCommand, version string) string {
	var b strings.Builder
	fmt.Fprintf(&b, ".TH BLOCKSCOPE 1 \"\" %s \"User Commands\"\n", roffQuote("blockscope "+version))
	b.WriteString(".SH NAME\nblockscope \\- explore, mine and serve the proof\\-of\\-work blockchain of \"How to Build a Blockchain in Python\"\n")
	b.WriteString(".SH SYNOPSIS\n")
	for i, c := range model {
		if i > 0 {
			b.WriteString(".br\n")
		}
		fmt.Fprintf(&b, ".B blockscope%s\n", roffText(prefixSpace(c.name)))
		if c.args != "" {
			b.WriteString(roffText(c.args) + "\n")
		}
	}
	b.WriteString(".SH DESCRIPTION\n" + roffText(manDescription) + "\n")
	b.WriteString(".SH COMMANDS\n")
	for _, c := range model {
		fmt.Fprintf(&b, ".SS %s\n%s.\n", roffQuote(c.synopsis()), roffText(c.summary))
		for _, f := range c.flags {
			b.WriteString(".TP\n.B \\-\\-" + roffText(f.Name))
			if f.ValueName != "" {
				b.WriteString(" \\fI" + roffText(f.ValueName) + "\\fR")
			}
			b.WriteString("\n" + roffText(f.Usage))
			if f.Default != "" {
				b.WriteString(" (default: " + roffText(f.Default) + ")")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString(".SH FILES\n.TP\n.I $XDG_DATA_HOME/blockscope/chain.db\nthe store (blocks, pending transactions, peers); without XDG_DATA_HOME, ~/.local/share/blockscope/chain.db\n")
	b.WriteString(".SH SEE ALSO\nThe README of the source, and\n.B blockscope help\n.IR COMMAND .\n")
	return b.String()
}

const manDescription = "blockscope keeps a proof-of-work blockchain byte-compatible with the tutorial's Python nodes: " +
	"a terminal UI to explore and mine it, a headless node serving the tutorial's HTTP API, " +
	"a verifier of chain dumps and a benchmark of the miner. Flags may be written with one dash or two."

// prefixSpace returns s with a space before it, or "" for "".
func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// roffText escapes s for the text of a roff line: backslashes and dashes,
// and a line that would start with a control character.
func roffText(s string) string {
	s = strings.NewReplacer(`\`, `\e`, "-", `\-`, "\n", " ").Replace(s)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// roffQuote returns s as one quoted macro argument.
func roffQuote(s string) string {
	return `"` + strings.ReplaceAll(roffText(s), `"`, `""`) + `"`
}
