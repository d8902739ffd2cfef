package main

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// testCopyCheckCommand copies the check command of the genesis block and
// of the block whose content holds a newline, in the inspector (y, then
// 2), runs what tmux's clipboard holds in a shell, and gets the block's
// hash as the node serves it. It also selects the command as a mouse
// would, box borders and line breaks included, from its start or as whole
// lines, and that prints the hash too.
func (e screenEnv) testCopyCheckCommand(t *testing.T) {
	s := e.open(t)
	for _, h := range []int{0, newlineBlock} {
		s.inspect(h)
		s.clearClipboard()
		s.keys("y")
		s.waitFor("the copy menu", "check command")
		s.keys("2")
		s.waitFor("the status line confirms", "copied")
		copied := poll(t, "tmux's clipboard", s.clipboard, func(c string) error {
			if c == "" {
				return errors.New("nothing was copied")
			}
			return nil
		})
		if got := runShell(t, copied); got != e.hashes[h] {
			t.Fatalf("block #%d: the copied command printed %q, want %s; it was:\n%s", h, got, e.hashes[h], copied)
		}
		s.keys("G")
		scr := s.waitFor("the command", "sha256sum #")
		for _, whole := range []bool{false, true} {
			selection := mouseSelection(t, scr, whole)
			if got := runShell(t, selection); got != e.hashes[h] {
				t.Fatalf("block #%d: the command selected with its borders printed %q, want %s; selection:\n%s", h, got, e.hashes[h], selection)
			}
		}
		s.keys("Escape")
		s.waitFor("back to the panes", "Pending")
	}
	s.quit()
}

// mouseSelection is what a mouse selects of the boxed check command on
// screen: from its first character to the end of its last line, borders
// included, or whole lines (a triple click), from the first line's left
// border.
func mouseSelection(t *testing.T, screen string, wholeLines bool) string {
	t.Helper()
	lines := strings.Split(screen, "\n")
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
		t.Fatalf("the check command is not on screen:\n%s", screen)
	}
	if !wholeLines {
		lines[first] = strings.TrimLeft(lines[first], "┃│ ")
	}
	return strings.Join(lines[first:last+1], "\n")
}

func runShell(t *testing.T, script string) string {
	t.Helper()
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	if err != nil {
		t.Fatalf("sh -c %q: %v\n%s", script, err, out)
	}
	return strings.TrimSuffix(strings.TrimSpace(string(out)), "  -")
}
