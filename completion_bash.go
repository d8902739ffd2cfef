package main

import (
	"fmt"
	"strings"
)

// bashCompletion returns the bash completion script. The shell part is
// fixed; a case arm per command, with its flags and what their values
// complete from, is generated from the commands' flag sets.
func bashCompletion(model []completionCommand) string {
	var arms strings.Builder
	for _, c := range model {
		if c.name != "" {
			writeBashArm(&arms, c)
		}
	}
	// The terminal UI's arm, "*", comes last: it matches any word.
	for _, c := range model {
		if c.name == "" {
			writeBashArm(&arms, c)
		}
	}
	var nested []string
	for _, c := range model {
		if strings.Contains(c.name, " ") {
			nested = append(nested, shellQuote(c.name))
		}
	}
	nestedCase := ""
	if len(nested) > 0 {
		nestedCase = "    if (( n > 3 )); then\n        case \"$cmd ${words[2]}\" in\n            " +
			strings.Join(nested, "|") + ") cmd=\"$cmd ${words[2]}\" ;;\n        esac\n    fi\n"
	}
	return strings.NewReplacer(
		"@NESTED@", nestedCase,
		"@ARMS@", arms.String(),
		"@COMMANDS@", strings.Join(subcommandNames(), " "),
	).Replace(bashTemplate)
}

// writeBashArm writes the case arm of command c, which sets flags, what the
// positional argument completes from, and, when the word before is one of
// c's flags, what its value completes from.
func writeBashArm(b *strings.Builder, c completionCommand) {
	pattern := shellQuote(c.name)
	if c.name == "" {
		pattern = "*"
	}
	var flags, values []string
	for _, f := range c.flags {
		flags = append(flags, "--"+f.Name)
		if f.ValueName == "" {
			continue
		}
		kind, words := valueCompletion(f)
		values = append(values, fmt.Sprintf("                %s) kind=%s; vwords=%s ;;\n", f.Name, bashKinds[kind], shellQuote(strings.Join(words, " "))))
	}
	argKind, argWords := "none", positionalWords(c.command)
	switch {
	case c.argFiles:
		argKind = "files"
	case len(argWords) > 0:
		argKind = "words"
	}
	fmt.Fprintf(b, "        %s)\n", pattern)
	if c.name == "" {
		b.WriteString("            cmd=\"\"\n")
	}
	fmt.Fprintf(b, "            flags=%s\n", shellQuote(strings.Join(flags, " ")))
	fmt.Fprintf(b, "            argkind=%s; argwords=%s\n", argKind, shellQuote(strings.Join(argWords, " ")))
	if len(values) > 0 {
		b.WriteString("            case $flag in\n" + strings.Join(values, "") + "            esac\n")
	}
	b.WriteString("            ;;\n")
}

// bashKinds name the value kinds in the bash script.
var bashKinds = map[valueKind]string{
	valueAnything: "none", valueFiles: "files", valueDirs: "dirs", valuePeers: "peers", valueWords: "words",
}

// shellQuote quotes s for sh between single quotes.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// bashTemplate is the bash script. It splits the line at blanks itself
// rather than use COMP_WORDS, which bash also splits at ':' and '=' (in
// URLs and --flag=value), and at the end trims each reply to the part bash
// replaces. It runs on bash 3.2 (macOS) as well: no mapfile, and compopt
// only where it exists.
const bashTemplate = `# bash completion for blockscope, written by "blockscope completion bash".
_blockscope() {
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words=()
    read -r -a words <<< "$line"
    if [[ $line == *[[:space:]] ]]; then words+=(""); fi
    local n=${#words[@]}
    local cur=${words[n-1]} prev="" cmd="" prefix="" flag=""
    if (( n > 2 )); then prev=${words[n-2]}; cmd=${words[1]}; fi
@NESTED@    case $cur in
        -*=*) prefix=${cur%%=*}=; flag=${cur%%=*}; cur=${cur#*=} ;;
        *) case $prev in -*) flag=$prev ;; esac ;;
    esac
    flag=${flag#-}; flag=${flag#-}
    local flags="" argkind=none argwords="" kind="" vwords=""
    case $cmd in
@ARMS@    esac
    local -a reply=()
    local w
    if [[ -n $kind ]]; then
        case $kind in
            files) compopt -o filenames 2>/dev/null
                   while IFS= read -r w; do reply+=("$w"); done < <(compgen -f -- "$cur") ;;
            dirs) compopt -o filenames 2>/dev/null
                  while IFS= read -r w; do reply+=("$w"); done < <(compgen -d -- "$cur") ;;
            peers) local dir="" i
                   for ((i = 1; i < n - 1; i++)); do
                       case ${words[i]} in
                           --data-dir|-data-dir) dir=${words[i+1]} ;;
                           --data-dir=*|-data-dir=*) dir=${words[i]#*=} ;;
                       esac
                   done
                   while IFS= read -r w; do reply+=("$w"); done < <(compgen -W "$(blockscope __complete-peers ${dir:+--data-dir "$dir"} 2>/dev/null)" -- "$cur") ;;
            words) while IFS= read -r w; do reply+=("$w"); done < <(compgen -W "$vwords" -- "$cur") ;;
        esac
    elif [[ $cur == -* ]]; then
        while IFS= read -r w; do reply+=("$w"); done < <(compgen -W "$flags" -- "$cur")
    elif (( n == 2 )); then
        while IFS= read -r w; do reply+=("$w"); done < <(compgen -W "@COMMANDS@" -- "$cur")
    elif [[ $argkind == files ]]; then
        compopt -o filenames 2>/dev/null
        while IFS= read -r w; do reply+=("$w"); done < <(compgen -f -- "$cur")
    elif [[ $argkind == words ]]; then
        while IFS= read -r w; do reply+=("$w"); done < <(compgen -W "$argwords" -- "$cur")
    fi
    # Bash replaces only the part of the word after its last ':' or '='.
    local typed=$prefix$cur
    local cut=$(( ${#typed} - ${#COMP_WORDS[COMP_CWORD]} ))
    (( cut < 0 )) && cut=0
    COMPREPLY=()
    for w in "${reply[@]}"; do
        w=$prefix$w
        COMPREPLY+=("${w:cut}")
    done
}
complete -F _blockscope blockscope
`
