package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real blockscope binary in a private tmux server, as
// a person at a 100x30 terminal would.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

// buildBinary compiles blockscope into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "blockscope")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func requireTmux(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required for the end-to-end test in CI")
		}
		t.Skip("tmux not installed: end-to-end test skipped")
	}
}

func startTmux(t *testing.T, command string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, socket: fmt.Sprintf("blockscope-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "e2e"}
	s.tmux("new-session", "-d", "-s", s.name, "-x", "100", "-y", "30", "env", "TERM=xterm-256color", "sh", "-c", command+"; echo EXITED:$?; sleep 30")
	t.Cleanup(func() { exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", s.name) }

// keys sends tmux key names (e.g. "Enter", "Tab") or literal text with "-l".
func (s *tmuxSession) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...)
}

func (s *tmuxSession) text(text string) { s.keys("-l", text) }

// waitFor polls the screen until every want appears, failing after the deadline.
func (s *tmuxSession) waitFor(what string, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		scr := s.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(scr, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%s: %q never appeared on the screen:\n%s", what, missing, scr)
		}
		time.Sleep(50 * time.Millisecond) // polling the screen, not waiting on a goroutine
	}
}

func TestEndToEndTmux(t *testing.T) {
	requireTmux(t)
	bin := buildBinary(t)
	data := t.TempDir()
	cmd := fmt.Sprintf("%q --data-dir %q --listen 127.0.0.1:0", bin, data)

	s := startTmux(t, cmd)
	s.waitFor("start-up", "Pending", "Chain", "Mining")
	s.keys("n")
	s.waitFor("form opens", "Author")
	s.text("alice")
	s.keys("Tab")
	s.text("quit quietly: q is text here")
	s.keys("Enter")
	// The open form shows the typed text too: wait for the status line, or
	// m would reach the form while it is storing, which drops keys.
	s.waitFor("transaction stored", "transaction from alice added to pending")
	s.keys("m")
	scr := s.waitFor("block mined", "block #1 mined")
	if !strings.Contains(scr, "#1") {
		t.Fatalf("block #1 not in the chain pane:\n%s", scr)
	}
	s.keys("n")
	s.waitFor("form opens again", "Author")
	s.text("bob")
	s.keys("Tab")
	s.text("still pending")
	s.keys("Enter")
	s.waitFor("second transaction stored", "transaction from bob added to pending")
	s.keys("q")
	s.waitFor("quit", "EXITED:0")

	s2 := startTmux(t, cmd)
	scr = s2.waitFor("restart keeps the chain and the pending pool", "still pending", "#1")
	if strings.Contains(scr, "EXITED") {
		t.Fatalf("blockscope exited on restart:\n%s", scr)
	}
	s2.keys("q")
	s2.waitFor("quit", "EXITED:0")
}
