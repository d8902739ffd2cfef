package main

import (
	"fmt"
	"strings"
)

// fishCompletion returns the fish completion script: a complete line per
// command and flag, generated from the commands' flag sets.
func fishCompletion(model []completionCommand) string {
	var b strings.Builder
	b.WriteString(fishHeader)
	for _, c := range model {
		if c.name == "" {
			continue
		}
		if !strings.Contains(c.name, " ") {
			fmt.Fprintf(&b, "complete -c blockscope -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
		}
	}
	for _, c := range model {
		cond := fishCondition(c.command)
		b.WriteString("\n")
		for _, f := range c.flags {
			fmt.Fprintf(&b, "complete -c blockscope -n %s -l %s%s -d %s\n", fishQuote(cond), f.Name, fishValue(f), fishQuote(firstLine(f.Usage)))
		}
		switch words := positionalWords(c.command); {
		case c.argFiles:
			fmt.Fprintf(&b, "complete -c blockscope -n %s -F\n", fishQuote(cond))
		case len(words) > 0:
			fmt.Fprintf(&b, "complete -c blockscope -n %s -a %s\n", fishQuote(cond), fishQuote(strings.Join(words, " ")))
		}
	}
	return b.String()
}

// fishCondition returns the condition under which c's flags complete:
// every word of its name seen, and none of its children's.
func fishCondition(c command) string {
	if c.name == "" {
		return "__fish_use_subcommand"
	}
	var conds []string
	for _, w := range strings.Fields(c.name) {
		conds = append(conds, "__fish_seen_subcommand_from "+w)
	}
	if children := c.childWords(); len(children) > 0 {
		conds = append(conds, "not __fish_seen_subcommand_from "+strings.Join(children, " "))
	}
	return strings.Join(conds, "; and ")
}

// fishValue returns the options of a complete line that say whether f
// takes a value and what it completes from.
func fishValue(f cliFlag) string {
	if f.ValueName == "" {
		return ""
	}
	kind, words := valueCompletion(f)
	switch kind {
	case valueFiles:
		return " -r -F"
	case valueDirs:
		return " -x -a '(__fish_complete_directories)'"
	case valuePeers:
		return " -x -a '(__blockscope_peers)'"
	case valueWords:
		return " -x -a " + fishQuote(strings.Join(words, " "))
	}
	return " -x"
}

// fishQuote quotes s for fish between single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

const fishHeader = `# fish completion for blockscope, written by "blockscope completion fish".

# __blockscope_peers prints the peers in the store (the one --data-dir
# names, if given).
function __blockscope_peers
    set -l tokens (commandline -opc)
    set -l dir
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --data-dir -data-dir
                if test $i -lt (count $tokens)
                    set dir $tokens[(math $i + 1)]
                end
            case '--data-dir=*' '-data-dir=*'
                set dir (string replace -r '^[^=]*=' '' -- $tokens[$i])
        end
    end
    if test -n "$dir"
        blockscope __complete-peers --data-dir $dir 2>/dev/null
    else
        blockscope __complete-peers 2>/dev/null
    end
end

complete -c blockscope -f
`
