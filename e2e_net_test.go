package main

import (
	"fmt"
	"testing"
)

// TestNetScreenSplitHealReorg runs `blockscope net --nodes 3` in tmux:
// x splits the network, and once the halves hold different branches x
// heals it, after which the losing half reorganises onto the longer
// branch and the event log says so.
func TestNetScreenSplitHealReorg(t *testing.T) {
	requireTmux(t)
	bin := buildBinary(t)
	// Blocks every half second, so that the halves diverge quickly.
	s := startTmux(t, fmt.Sprintf("%q net --nodes 3 --difficulty 2 --rate 171", bin))
	s.waitFor("start-up", "blockscope net", "Nodes", "Events", "linked")
	s.keys("x")
	s.waitFor("split, then two branches", "SPLIT", "2 branches")
	s.keys("x")
	s.waitFor("heal, then a reorg", "network healed", "reorg at")
	s.quit()
}
