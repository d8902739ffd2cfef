package main

import (
	"fmt"
	"testing"
)

// sgrClick is a left click at screen cell (x, y), counted from 0, as a
// terminal reports it in SGR mouse mode: the press, then the release.
func sgrClick(x, y int) string {
	return fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1)
}

// TestEndToEndMouseAndKeys drives the real binary in tmux with --mouse: a
// double click on a block's row inspects it, a click in the lab's chain
// selects a block, and ? over the lab lists the lab's keys, whole.
func TestEndToEndMouseAndKeys(t *testing.T) {
	requireTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, fmt.Sprintf("%q --mem --listen off --mouse", bin))
	s.waitFor("start-up", "Pending", "nothing pending")
	s.keys("n")
	s.text("alice")
	s.keys("Tab")
	s.text("pay bob")
	s.keys("Enter")
	s.waitFor("the transaction", "pay bob")
	s.keys("m")
	s.waitFor("the mined block", "#1 ")

	// The chain pane's rows start on line 3 (header, border, column
	// names): #1 on line 3, #0 on line 4. A click selects; two at once
	// (whatever the time since the first) inspect.
	s.text(sgrClick(60, 4))
	s.waitFor("a click selects the genesis", "▸ #0")
	s.text(sgrClick(60, 4) + sgrClick(60, 4))
	s.waitFor("a double click inspects the genesis", "Block #0 of")
	s.keys("Escape")
	s.waitFor("back on the panes", "Pending")

	s.keys("2", "t")
	s.waitFor("the lab", "Tamper lab")
	// The lab's chain lists from line 2: #0, then #1 on line 3.
	s.text(sgrClick(10, 3))
	s.waitFor("a click picks block #1 in the lab", "Block #1 · t to tamper")
	s.keys("?")
	s.waitFor("? over the lab", "Keys of the tamper lab", "re-mine", "ends the edit.", "esc/? close help")
	s.keys("Escape")
	s.waitFor("help closed, the lab again", "Block #1 · t to tamper")
	s.keys("Escape")
	s.waitFor("back on the panes", "Pending")
	s.quit()
}
