package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestEndToEndPendingTransaction drives the real binary in tmux: a
// transaction whose content is pasted (bracketed, as a terminal pastes)
// with a tab and a line break keeps both; y then 4 copies that content
// exactly; d then y drops it, and after a restart on the same store it is
// still gone while the other pending transaction stays.
func TestEndToEndPendingTransaction(t *testing.T) {
	requireTmux(t)
	bin, dir := buildBinary(t), t.TempDir()
	const pasted = "col1\tcol2\nrow 2"
	run := fmt.Sprintf("%q --data-dir %q --listen off", bin, dir)

	s := startTmux(t, run)
	s.waitFor("start-up", "Pending", "nothing pending")
	s.keys("n")
	s.text("alice")
	s.keys("Tab")
	s.text("keep me")
	s.keys("Enter")
	s.waitFor("the first transaction", "keep me")
	s.keys("n")
	s.text("bob")
	s.keys("Tab")
	s.tmux("set-buffer", "-b", "e2e-paste", pasted)
	// -p: with the bracketed paste markers the program asked for; the
	// line break is sent as a carriage return, as terminals paste it.
	s.tmux("paste-buffer", "-p", "-b", "e2e-paste", "-t", s.name)
	s.waitFor("the paste is kept, escaped, in the content field", `col1\tcol2\nrow 2`)
	s.keys("Enter")
	s.waitFor("the pasted transaction is pending", "Pending (2")

	s.keys("1", "j")
	s.clearClipboard()
	s.keys("y")
	s.waitFor("the copy menu", "4  the content of the transaction from bob")
	s.keys("4")
	copied := poll(t, "tmux's clipboard", s.clipboard, func(c string) error {
		if c != pasted {
			return errors.New("the clipboard does not hold the content")
		}
		return nil
	})
	if copied != pasted {
		t.Fatalf("copied %q, want %q", copied, pasted)
	}

	s.keys("d")
	s.waitFor("the question", "Drop it from this node's pool for good?")
	s.keys("y")
	s.waitFor("the drop", "dropped from this node's pool for good", "Pending (1")
	s.quit()

	again := startTmux(t, run)
	scr := again.waitFor("the restart", "Pending (1", "keep me")
	if strings.Contains(scr, "col1") {
		t.Fatalf("the dropped transaction is back after a restart:\n%s", scr)
	}
	again.quit()
}
