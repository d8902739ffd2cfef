package main

import (
	"os"

	"github.com/mattn/go-isatty"
)

// hasTerminal reports whether the screen can run here: Bubble Tea opens
// /dev/tty when standard input is not a terminal, so only a process with
// neither (a service, a pipe from cron, CI) has none.
func hasTerminal() bool {
	if isatty.IsTerminal(os.Stdin.Fd()) || isatty.IsCygwinTerminal(os.Stdin.Fd()) {
		return true
	}
	f, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	f.Close()
	return true
}
