package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestTooSmallStaysReadable: at every size below the minimum the message
// keeps the size needed and how to quit whole on one line each, wrapped
// rather than cut, and names this window's size where it has the room.
func TestTooSmallStaysReadable(t *testing.T) {
	tests := []struct {
		w, h int
		want []string
	}{
		{79, 30, []string{"at least 80×24", "this one is 79×30", "press q to quit"}},
		{60, 20, []string{"at least 80×24", "this one is 60×20", "press q to quit"}},
		{30, 8, []string{"of at least 80×24", "this one is 30×8", "or press q to quit"}},
		{20, 5, []string{"needs 80×24", "is 20×5", "press q to quit"}},
		{14, 3, []string{"80×24 needed", "is 14×3", "q quits"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.w, tt.h), func(t *testing.T) {
			h := newHarness(t, nil)
			h.send(tea.WindowSizeMsg{Width: tt.w, Height: tt.h})
			lines := strings.Split(h.view(), "\n")
			if len(lines) != tt.h {
				t.Errorf("%d lines, want %d", len(lines), tt.h)
			}
			for _, l := range lines {
				if w := len([]rune(l)); w > tt.w {
					t.Errorf("line %q is %d cells, wider than %d", l, w, tt.w)
				}
			}
			for _, want := range tt.want {
				found := false
				for _, l := range lines {
					found = found || strings.Contains(l, want)
				}
				if !found {
					t.Errorf("no line holds %q whole:\n%s", want, h.view())
				}
			}
		})
	}
}
