package main

import (
	"fmt"
	"strings"
)

// zshCompletion returns the zsh completion script: _arguments specs for
// every command's flags, generated from the commands' flag sets. It works
// both from a file in $fpath and sourced after compinit.
func zshCompletion(model []completionCommand) string {
	var described, arms strings.Builder
	for _, c := range model {
		if c.name == "" {
			continue
		}
		if !strings.Contains(c.name, " ") {
			fmt.Fprintf(&described, "    %s\n", shellQuote(c.name+":"+zshEscape(c.summary)))
		}
		fmt.Fprintf(&arms, "    (%s)\n        _arguments \\\n", shellQuote(c.name))
		writeZshSpecs(&arms, c)
		arms.WriteString("        ;;\n")
	}
	for _, c := range model {
		if c.name == "" {
			arms.WriteString("    (*)\n        _arguments \\\n")
			writeZshSpecs(&arms, c)
			arms.WriteString("        ;;\n")
		}
	}
	return strings.NewReplacer(
		"@COMMANDS@", described.String(),
		"@SUBCOMMANDS@", strings.Join(subcommandNames(), "|"),
		"@NESTED@", zshNested(model),
		"@ARMS@", arms.String(),
	).Replace(zshTemplate)
}

// writeZshSpecs writes the _arguments specs of c's flags and positional
// argument, one a line, continued with a backslash.
func writeZshSpecs(b *strings.Builder, c completionCommand) {
	for _, f := range c.flags {
		spec := "--" + f.Name
		if strings.Contains(f.Usage, "repeatable") {
			spec = "*" + spec
		}
		if f.ValueName != "" {
			spec += "="
		}
		spec += "[" + zshEscape(firstLine(f.Usage)) + "]"
		if f.ValueName != "" {
			spec += ":" + zshEscape(f.ValueName) + ":" + zshValueAction(f)
		}
		fmt.Fprintf(b, "            %s \\\n", shellQuote(spec))
	}
	switch words := positionalWords(c.command); {
	case c.argFiles:
		fmt.Fprintf(b, "            %s \\\n", shellQuote("1:"+zshEscape(c.args)+":_files"))
	case len(words) > 0:
		fmt.Fprintf(b, "            %s \\\n", shellQuote("1:"+zshEscape(c.args)+":("+strings.Join(words, " ")+")"))
	}
	b.WriteString("            && ret=0\n")
}

// zshNested returns the case pattern of the commands of two words, or
// one that matches nothing.
func zshNested(model []completionCommand) string {
	var nested []string
	for _, c := range model {
		if strings.Contains(c.name, " ") {
			nested = append(nested, shellQuote(c.name))
		}
	}
	if len(nested) == 0 {
		return "''"
	}
	return strings.Join(nested, "|")
}

// zshValueAction returns the _arguments action completing f's value.
func zshValueAction(f cliFlag) string {
	kind, words := valueCompletion(f)
	switch kind {
	case valueFiles:
		return "_files"
	case valueDirs:
		return "_files -/"
	case valuePeers:
		return "_blockscope_peers"
	case valueWords:
		return "(" + strings.Join(words, " ") + ")"
	}
	return " "
}

// zshEscape escapes what _arguments and _describe give a meaning to in a
// description or message.
func zshEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `:`, `\:`).Replace(s)
}

const zshTemplate = `#compdef blockscope
# zsh completion for blockscope, written by "blockscope completion zsh".

# _blockscope_peers completes --peer from the peers in the store (the one
# --data-dir names, if given).
_blockscope_peers() {
    local i dir
    local -a peers
    for (( i = 1; i < CURRENT; i++ )); do
        case $words[i] in
            (--data-dir|-data-dir) dir=$words[i+1] ;;
            (--data-dir=*|-data-dir=*) dir=${words[i]#*=} ;;
        esac
    done
    peers=(${(f)"$(blockscope __complete-peers ${dir:+--data-dir} ${dir:+$dir} 2>/dev/null)"})
    compadd -a peers
}

_blockscope() {
    local ret=1
    local -a commands
    commands=(
@COMMANDS@    )
    if (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then
        _describe -t commands 'blockscope command' commands && ret=0
        return ret
    fi
    # cmd is the command whose flags complete: the words naming it are
    # shifted off, so that _arguments sees the command's own words.
    local cmd=
    case $words[2] in
    (@SUBCOMMANDS@)
        cmd=$words[2]
        shift words
        (( CURRENT-- ))
        ;;
    esac
    if (( CURRENT > 2 )); then
        case "$cmd $words[2]" in
        (@NESTED@)
            cmd="$cmd $words[2]"
            shift words
            (( CURRENT-- ))
            ;;
        esac
    fi
    case $cmd in
@ARMS@    esac
    return ret
}

if [[ $funcstack[1] == _blockscope ]]; then
    _blockscope "$@"
else
    compdef _blockscope blockscope
fi
`
