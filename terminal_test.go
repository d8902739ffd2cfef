//go:build unix

package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestNoTerminalPointsToServe runs the screen in a new session with no
// controlling terminal and standard input from nowhere, as a service or a
// cron job would: it must say to use serve, not fail on /dev/tty.
func TestNoTerminalPointsToServe(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--mem", "--listen", "off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1; output %q", err, out)
	}
	if !strings.Contains(string(out), "use: blockscope serve") {
		t.Fatalf("the error %q does not point to serve", out)
	}
}
