package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// chainRowHash matches a block row of the lab's chain view or of the chain
// pane: "#1   00fabcc1a1…", and captures the height and the shown digits.
var chainRowHash = regexp.MustCompile(`#(\d+)\s+([0-9a-f]{8,})`)

// shownHashes reads the hash digits shown for each height on the screen.
func shownHashes(screen string) map[string]string {
	out := map[string]string{}
	for _, m := range chainRowHash.FindAllStringSubmatch(screen, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestEndToEndLab drives the tamper lab as a person would: tamper with
// block 1 of the demo chain, see blocks 1..3 turn invalid, re-mine them,
// leave, and find the real chain unchanged.
func TestEndToEndLab(t *testing.T) {
	requireTmux(t)
	bin := buildBinary(t)
	s := startTmux(t, fmt.Sprintf("%q --lab --listen off", bin))

	scr := s.waitFor("the lab opens on the demo chain", "Tamper lab", "#3", "✓ genesis")
	before := shownHashes(scr)
	for _, h := range []string{"0", "1", "2", "3"} {
		if before[h] == "" {
			t.Fatalf("no hash shown for block %s:\n%s", h, scr)
		}
	}

	s.keys("t")
	s.waitFor("the editor opens on block 1", "Tampering with block #1")
	s.keys("Tab", "C-u")
	s.text("pay mallory 1000")
	s.waitFor("blocks 1..3 turn invalid as the person types", "pay mallory 1000",
		"✗ hash no longer meets difficulty 2", "✗ previous_hash no longer links", "✗ builds on invalid block 1")
	s.keys("Enter")

	s.keys("r")
	scr = s.waitFor("re-mining makes the forged chain valid again", "re-mined 3 blocks", "valid but not longer")
	if n := strings.Count(scr, "re-mined  ✓ links, hash matches"); n != 3 {
		t.Fatalf("%d re-mined blocks shown valid, want 3:\n%s", n, scr)
	}

	s.keys("Escape")
	s.waitFor("leaving asks first", "Discard the sandbox")
	s.keys("y")
	scr = s.waitFor("the main screen is back", "Pending", "Chain", "Mining")
	if strings.Contains(scr, "Tamper lab") {
		t.Fatalf("the lab is still shown:\n%s", scr)
	}
	after := shownHashes(scr)
	for h, was := range before {
		now := after[h]
		if now == "" {
			t.Fatalf("block %s is not in the chain pane after the lab:\n%s", h, scr)
		}
		n := min(len(was), len(now))
		if was[:n] != now[:n] {
			t.Errorf("block %s: the chain pane shows %s…, before the lab it was %s…", h, now, was)
		}
	}
	if len(after) != len(before) {
		t.Errorf("the real chain has %d blocks after the lab, %d before:\n%s", len(after), len(before), scr)
	}

	s.quit()
}
