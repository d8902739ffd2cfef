package ui

import "testing"

// Goldens of the pending transaction's keys: enter (the transaction view),
// y (its copy menu) and d (the question, and the pool after y), with the
// fixed clock at 100x30 and 80x24. Regenerate with:
// go test ./ui -run TestGoldenPending -update
func TestGoldenPending(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		keys          []string
		want          string
	}{
		{"TxView", 100, 30, []string{"1", "enter"}, "d drop"},
		{"CopyMenu", 100, 30, []string{"1", "y"}, "esc cancels"},
		{"CopyMenuFromTxView80x24", 80, 24, []string{"1", "j", "enter", "y"}, "esc cancels"},
		{"DropAsk", 100, 30, []string{"1", "d"}, "Drop it from"},
		{"DropAsk80x24", 80, 24, []string{"1", "j", "d"}, "Drop it from"},
		{"Dropped", 100, 30, []string{"1", "d", "y"}, "dropped from this node"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := startGolden(t, tc.width, tc.height, nil)
			g.waitScreen(t, "pay bob 5")
			g.keys(tc.keys...)
			g.waitScreen(t, tc.want)
			g.finish(t)
		})
	}
}
