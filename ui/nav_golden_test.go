package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestGoldenNav: goldens of the keys every view shares, help over each
// view, n/N and the mouse. Regenerate with: go test ./ui -run TestGolden -update
func TestGoldenNav(t *testing.T) {
	click := tea.MouseMsg{X: 60, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress}
	tests := []struct {
		name          string
		width, height int
		steps         func(t *testing.T, g goldenRun)
	}{
		{"ChainHalfPage", 100, 30, func(t *testing.T, g goldenRun) {
			mineChain(t, g.chain, 40)
			g.waitScreen(t, "#43")
			g.keys("ctrl+d", "j")
			g.waitScreen(t, "▸ #33")
		}},
		{"InspectorNextMatch", 100, 30, func(t *testing.T, g goldenRun) {
			g.keys("/", "miner")
			g.waitScreen(t, "3 matches")
			g.keys("enter", "enter", "n")
			g.waitScreen(t, "match 2 of 3")
		}},
		{"LabHelp80x24", 80, 24, func(t *testing.T, g goldenRun) {
			g.keys("t", "?")
			g.waitScreen(t, "Keys of the tamper lab")
		}},
		{"Help80x24", 80, 24, func(t *testing.T, g goldenRun) {
			g.keys("?")
			g.waitScreen(t, "ctrl+c still quits")
		}},
		{"TxHelp", 100, 30, func(t *testing.T, g goldenRun) {
			g.keys("1", "enter", "?")
			g.waitScreen(t, "Keys of the pending transaction")
		}},
		{"NetworkHelp", 100, 30, func(t *testing.T, g goldenRun) {
			g.keys("w", "?")
			g.waitScreen(t, "Keys of the network view")
		}},
		// A click on block #1's row selects it, a second on the same row
		// (the clock is fixed: no time between them) inspects it.
		{"MouseDoubleClick", 100, 30, func(t *testing.T, g goldenRun) {
			g.tm.Send(click)
			g.tm.Send(click)
			g.waitScreen(t, "Block #1 of")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := startGolden(t, tt.width, tt.height, nil)
			g.waitScreen(t, "pay bob 5")
			tt.steps(t, g)
			g.finish(t)
		})
	}
}
