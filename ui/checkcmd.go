package ui

import (
	"encoding/base64"
	"strings"
)

// The inspector's "check it yourself" command hashes a block's exact bytes
// without blockscope. A command shown in a box is hard-wrapped to fit, and a
// mouse selection of it picks up the box's borders and the line breaks:
// pasted, a plain printf of the bytes would then hash other bytes, silently
// (the genesis gave 8610d8c0… instead of 6dbf2312…). So the screen shows the
// bytes in base64 inside one quoted string, and tr keeps only base64's
// alphabet: whatever a copy adds inside the quotes (breaks, borders,
// indentation) is dropped, and the comment mark after sha256sum makes the
// last line's border a comment. A selection of whole lines starts with the
// first line's border, which the shell runs as a command: checkHead makes
// it one whose failure says nothing, so the pipeline after it prints the
// hash alone. The plain command, for the clipboard, is checkCommand.

// checkHead starts the copy-safe command. Alone, ": 2>/dev/null" does
// nothing; after a border ("┃ : 2>/dev/null") the shell's "command not
// found" goes where the redirection sends it, in sh, bash and zsh alike.
const checkHead = ": 2>/dev/null; printf %s '"

// checkTail ends the copy-safe command: the bytes decoded and hashed.
const checkTail = "' | tr -dc 'A-Za-z0-9+/=' | base64 -d | sha256sum #"

// checkCommand is the one-line command printing the SHA-256 of pre, for
// the clipboard, where nothing wraps it.
func checkCommand(pre []byte) string {
	return "printf '%s' '" + strings.ReplaceAll(string(pre), "'", `'\''`) + "' | sha256sum"
}

// checkCommandLines is the copy-safe command for the screen in lines of at
// most width cells (the tail needs 52).
func checkCommandLines(pre []byte, width int) []string {
	enc := base64.StdEncoding.EncodeToString(pre)
	width = max(8, width)
	lines := []string{checkHead}
	for len(enc) > width {
		lines = append(lines, enc[:width])
		enc = enc[width:]
	}
	return append(lines, enc, checkTail)
}
