package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// Goldens of the keys every view shares, help over each view, and n/N.
// Regenerate with: go test ./ui -run TestGolden -update

func TestGoldenChainHalfPage(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	mineChain(t, g.chain, 40)
	g.waitScreen(t, "#43")
	g.keys("ctrl+d", "j")
	g.waitScreen(t, "▸ #33")
	g.finish(t)
}

func TestGoldenInspectorNextMatch(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("/", "miner")
	g.waitScreen(t, "3 matches")
	g.keys("enter", "enter", "n")
	g.waitScreen(t, "match 2 of 3")
	g.finish(t)
}

func TestGoldenLabHelp80x24(t *testing.T) {
	g := startGolden(t, 80, 24, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("t", "?")
	g.waitScreen(t, "Keys of the tamper lab")
	g.finish(t)
}

func TestGoldenHelp80x24(t *testing.T) {
	g := startGolden(t, 80, 24, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("?")
	g.waitScreen(t, "not progress.")
	g.finish(t)
}

func TestGoldenTxHelp(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("1", "enter", "?")
	g.waitScreen(t, "Keys of the pending transaction")
	g.finish(t)
}

func TestGoldenNetworkHelp(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("w", "?")
	g.waitScreen(t, "Keys of the network view")
	g.finish(t)
}

// TestGoldenMouseDoubleClick: a click on block #1's row selects it, a
// second on the same row (the clock is fixed: no time between them)
// inspects it.
func TestGoldenMouseDoubleClick(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	click := tea.MouseMsg{X: 60, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
	g.tm.Send(click)
	g.tm.Send(click)
	g.waitScreen(t, "Block #1 of")
	g.finish(t)
}
