package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/node"
)

// TestHelpListsTheActiveView: ? lists the keys of the view it is pressed
// in, and only those, with its notes whole (at 80x24 those of the panes do
// not fit between the header and the status line, and are left out); esc
// returns to that view.
func TestHelpListsTheActiveView(t *testing.T) {
	tests := []struct {
		view  string
		open  []string
		back  mode // the view esc returns to
		title string
		want  []string
		not   []string
		roomy []string // wanted at 100x30 only
	}{
		{"panes", nil, modeBrowse, "Keys", []string{"new tx", "half a page down"}, []string{"re-mine"}, []string{"not progress."}},
		{"inspector", []string{"2", "enter"}, modeInspect, "Keys of the inspector", []string{"next match of /", "previous block", "half a page down", "the / filter matched,", "at the ends."}, []string{"new tx", "blocks / matched"}, nil},
		{"transaction", []string{"1", "enter"}, modeTx, "Keys of the pending transaction", []string{"half a page down", "back"}, []string{"new tx", "previous block"}, nil},
		{"event log", []string{"e"}, modeEvents, "Keys of the event log", []string{"e/esc", "half a page down"}, []string{"new tx", "previous block"}, nil},
		{"network", []string{"w"}, modeNetwork, "Keys of the network view", []string{"esc/w", "half a page down", "remove the peer (asks y/n)"}, []string{"new tx", "previous block", "y remove", "n keep"}, nil},
		{"lab", []string{"2", "t"}, modeLab, "Keys of the tamper lab", []string{"re-mine", "lesson", "stored or sent to a peer.", "ends the edit."}, []string{"new tx", "previous block"}, nil},
	}
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		for _, tt := range tests {
			t.Run(tt.view, func(t *testing.T) {
				h := newHarness(t, func(o *Options) {
					o.Network = &removableNetwork{scriptNetwork: scriptNetwork{events: make(chan node.Event)}}
				})
				mineChain(t, h.chain, 2)
				h.addTx("alice", "pay bob 5")
				h.until("shown", func(m Model) bool { return m.chainP.length == 3 && len(m.pending.txs) == 1 })
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				h.keys(tt.open...)
				before := strings.Split(h.view(), "\n")
				h.keys("?")
				if h.m.modes.top() != modeHelp {
					t.Fatalf("? opened no help over the %s:\n%s", tt.view, h.view())
				}
				h.mustContain("━ "+tt.title+" ━", "esc/? close help")
				h.mustContain(tt.want...)
				if size[1] >= 30 {
					h.mustContain(tt.roomy...)
				}
				// The box stays between the header and the status line.
				if got := strings.Split(h.view(), "\n"); len(got) != size[1] || got[0] != before[0] || got[len(got)-2] != before[len(before)-2] || !strings.Contains(got[len(got)-1], "q quit") {
					t.Errorf("help over the %s covers the header or the key bar:\n%s", tt.view, h.view())
				}
				for _, n := range tt.not {
					if strings.Contains(h.view(), n) {
						t.Errorf("help over the %s lists %q, a key of another view:\n%s", tt.view, n, h.view())
					}
				}
				h.keys("esc")
				if h.m.modes.top() != tt.back {
					t.Errorf("esc returned to mode %d, want %d", h.m.modes.top(), tt.back)
				}
			})
		}
	}
}

// TestHelpNotOpenedFromText: ? is text where keys are text: in the form,
// and in a field of the lab being edited.
func TestHelpNotOpenedFromText(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 2)
	h.until("shown", func(m Model) bool { return m.chainP.length == 3 })
	h.keys("n", "?")
	if h.m.modes.top() != modeForm || h.m.form.fields[0].Value() != "?" {
		t.Fatalf("? in the form: mode %d, author %q; want it typed", h.m.modes.top(), h.m.form.fields[0].Value())
	}
	h.keys("esc", "2", "t", "t", "?")
	if h.m.modes.top() != modeLab || h.m.lab.Browsing() {
		t.Fatalf("? in a lab field opened help (mode %d)", h.m.modes.top())
	}
}
