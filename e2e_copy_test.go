package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
)

// TestEndToEndCopyCheckCommand copies the genesis block's check command in
// a real terminal (tmux with set-clipboard on, which stores what an OSC 52
// sequence carries), runs what the clipboard holds in a shell, and gets the
// block's hash. It also selects the command as a mouse would, box borders
// and line breaks included, and that prints the hash too.
func TestEndToEndCopyCheckCommand(t *testing.T) {
	requireTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, fmt.Sprintf("%q --mem --listen off", bin))
	s.tmux("set-option", "-s", "set-clipboard", "on")
	s.waitFor("start-up", "Pending", "Chain", "#0")
	s.keys("enter")
	s.waitFor("inspector", "Block #0")
	s.keys("y")
	s.waitFor("copy menu", "2  the check command")
	s.keys("2")
	s.waitFor("copied", "copied the check command of block #0")
	copied := ""
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(copied, "sha256sum") {
		if time.Now().After(deadline) {
			t.Fatalf("tmux's buffer never held the command; it holds %q", copied)
		}
		out, _ := exec.Command("tmux", "-L", s.socket, "show-buffer").Output()
		copied = string(out)
		time.Sleep(50 * time.Millisecond) // polling tmux, not waiting on a goroutine
	}
	if got := runShell(t, copied); got != blockchain.GenesisHash {
		t.Fatalf("the copied command printed %q, want the genesis hash %s", got, blockchain.GenesisHash)
	}

	// A mouse selection of the boxed command: from "printf" to the end of
	// its last line, borders included.
	s.keys("G")
	scr := s.waitFor("the command", "sha256sum #")
	lines := strings.Split(scr, "\n")
	first, last := -1, -1
	for i, l := range lines {
		if strings.Contains(l, "printf %s '") {
			first = i
		}
		if strings.Contains(l, "sha256sum #") {
			last = i
		}
	}
	if first < 0 || last < first {
		t.Fatalf("the check command is not on screen:\n%s", scr)
	}
	selection := lines[first][strings.Index(lines[first], "printf"):] + "\n" + strings.Join(lines[first+1:last+1], "\n")
	if got := runShell(t, selection); got != blockchain.GenesisHash {
		t.Fatalf("the command selected with its borders printed %q, want %s; selection:\n%s", got, blockchain.GenesisHash, selection)
	}
	s.keys("q")
	s.waitFor("quit", "EXITED:0")
}

func runShell(t *testing.T, script string) string {
	t.Helper()
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, out)
	}
	return strings.TrimSuffix(strings.TrimSpace(string(out)), "  -")
}
