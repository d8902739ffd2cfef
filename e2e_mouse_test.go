package main

import (
	"fmt"
	"testing"
)

// TestEndToEndLabKeys drives the real binary in tmux: in the lab, G goes
// to the tip and ? lists the lab's keys, whole, over the lab; esc returns
// to the lab, and esc again to the panes.
func TestEndToEndLabKeys(t *testing.T) {
	s := startWithOneBlock(t, "")

	s.keys("G", "t")
	s.waitFor("the lab on the genesis", "Tamper lab", "Block #0 (genesis)")
	s.keys("G")
	s.waitFor("G picks the lab's tip", "Block #1 · t to tamper")
	s.keys("?")
	s.waitFor("? over the lab", "Keys of the tamper lab", "re-mine", "ends the edit.", "esc/? close help")
	s.keys("Escape")
	s.waitFor("help closed, the lab again", "Block #1 · t to tamper")
	s.keys("Escape")
	s.waitFor("back on the panes", "Pending")
	s.quit()
}

// sgrClick is a left click at screen cell (x, y), counted from 0, as a
// terminal reports it in SGR mouse mode: the press, then the release.
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// TestEndToEndMouse drives the real binary in tmux with --mouse: a click
// selects a block, two clicks at once inspect it, and a click in the
// lab's chain picks a block there.
func TestEndToEndMouse(t *testing.T) {
	s := startWithOneBlock(t, "--mouse")

	// The chain pane's rows start on line 3 (header, border, column
	// names): #1 on line 3, #0 on line 4.
	s.text(sgrClick(60, 4))
	s.waitFor("a click selects the genesis", "▸ #0")
	s.text(sgrClick(60, 4) + sgrClick(60, 4))
	s.waitFor("a double click inspects it", "Block #0 of")
	s.keys("Escape")
	s.waitFor("back on the panes", "Pending")

	s.keys("t")
	s.waitFor("the lab on the genesis", "Block #0 (genesis)")
	// The lab's chain lists from line 2: #0, then #1 on line 3.
	s.text(sgrClick(10, 3))
	s.waitFor("a click picks block #1 in the lab", "Block #1 · t to tamper")
	s.keys("Escape")
	s.waitFor("back on the panes", "Pending")
	s.quit()
}

// startWithOneBlock runs the binary in memory with flags, and mines one
// block from the screen; it returns once the chain pane lists the block
// (the status line says "block #1 mined" before the pane has it).
func startWithOneBlock(t *testing.T, flags string) *tmuxSession {
	t.Helper()
	requireTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, fmt.Sprintf("%q --mem --listen off %s", bin, flags))
	s.waitFor("start-up", "Pending", "nothing pending")
	s.keys("n")
	s.text("alice")
	s.keys("Tab")
	s.text("pay bob")
	s.keys("Enter")
	s.waitFor("the transaction", "pay bob")
	s.keys("m")
	s.waitFor("the mined block on the chain", "Chain (2)")
	return s
}
