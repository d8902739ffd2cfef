package ui

import (
	"strings"
	"testing"
)

// Goldens of the form: the counter against the API's limit, pasted text
// with a tab and a line kept (escaped), an error gone with the first edit,
// and a paste over the limit. Regenerate with:
// go test ./ui -run TestGoldenFormInput -update
func TestGoldenFormInput(t *testing.T) {
	tests := []struct {
		name          string
		width, height int
		keys          []string
		paste         string
		after         []string
		want          string
	}{
		{"PastedTab", 100, 30, []string{"n", "carol", "tab"}, "col1\tcol2\nrow 2", nil, "row 2"},
		{"ErrorClearedOnEdit", 100, 30, []string{"n", "tab", "hello", "enter", "a"}, "", nil, "types a new line"},
		{"OverLimit80x24", 80, 24, []string{"n", "alice", "tab"}, strings.Repeat("x", maxTxBytes), []string{"enter"}, "at most"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := startGolden(t, tc.width, tc.height, nil)
			g.waitScreen(t, "pay bob 5")
			g.keys(tc.keys...)
			if tc.paste != "" {
				g.tm.Send(paste(tc.paste))
			}
			g.keys(tc.after...)
			g.waitScreen(t, tc.want)
			g.finish(t)
		})
	}
}
