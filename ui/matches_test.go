package ui

import (
	"strings"
	"testing"
)

// TestNextMatch: n and N in the inspector step through the filter's
// matches in the filtered list's order, going round at the ends, and keep
// the list's selection on the block shown.
func TestNextMatch(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 30) // authors minera, minerb, …: minerb wrote #2 and #28
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 31 })
	start := h.m
	h.keys("enter", "n")
	if got := h.m.insp.block.Index(); got != 30 {
		t.Errorf("n without a filter moved the inspector to #%d", got)
	}
	h.mustContain("/ filters the chain first")

	h.m = start
	h.keys("/", "minerb")
	h.until("filtered", func(m Model) bool { return m.chainP.filtered && len(m.chainP.matches) == 2 })
	h.keys("enter", "enter")
	steps := []struct {
		key    string
		want   int64
		status string
	}{
		{"n", 2, "match 2 of 2"},
		{"n", 28, "went round"},
		{"N", 2, "went round"},
		{"N", 28, "match 1 of 2"},
	}
	for _, s := range steps {
		h.keys(s.key)
		if got := h.m.insp.block.Index(); got != s.want {
			t.Fatalf("%s shows #%d, want #%d", s.key, got, s.want)
		}
		if sel, _ := h.m.chainP.SelectedHeight(); sel != s.want {
			t.Errorf("%s left #%d selected in the list, want #%d", s.key, sel, s.want)
		}
		if !strings.Contains(h.m.status.text, s.status) {
			t.Errorf("%s: status %q, want %q in it", s.key, h.m.status.text, s.status)
		}
	}
	h.keys("esc")
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 28 || h.m.modes.top() != modeBrowse {
		t.Errorf("esc returned to #%d in mode %d", sel, h.m.modes.top())
	}
}

// TestMatchStatusLeavesWithItsView: the status "match N of M for …" stays
// while the inspector is open over the filter (help over it too), and is
// gone once the inspector is left or the filter cleared: the form opened
// afterwards does not show it.
func TestMatchStatusLeavesWithItsView(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		mode mode
		kept bool
	}{
		{"help over the inspector", []string{"?"}, modeHelp, true},
		{"inspector left", []string{"esc"}, modeBrowse, false},
		{"filter cleared, then the form", []string{"esc", "esc", "n"}, modeForm, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			mineChain(t, h.chain, 30) // minerb wrote #2 and #28
			h.until("chain shows", func(m Model) bool { return m.chainP.length == 31 })
			h.keys("/", "minerb")
			h.until("filtered", func(m Model) bool { return m.chainP.filtered && len(m.chainP.matches) == 2 })
			h.keys("enter", "j", "enter", "n")
			if !strings.Contains(h.m.status.text, "match 1 of 2") {
				t.Fatalf("after n the status is %q, want the match count", h.m.status.text)
			}
			h.keys(tt.keys...)
			if h.m.modes.top() != tt.mode {
				t.Fatalf("mode %d, want %d", h.m.modes.top(), tt.mode)
			}
			if got := strings.Contains(h.m.status.text, "match 1 of 2"); got != tt.kept {
				t.Errorf("status %q; kept %v, want %v", h.m.status.text, got, tt.kept)
			}
		})
	}
}
