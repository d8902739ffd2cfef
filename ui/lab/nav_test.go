package lab

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestLabChainNavigation: the lab's chain moves with the keys every list
// shares, so the tip of a long chain is one key away, not hundreds of j.
func TestLabChainNavigation(t *testing.T) {
	chain := newBenchChain(t, 348)
	// At 100x30 the chain box lists 6 blocks: half a page is 3, a page 5.
	tests := []struct {
		name string
		keys []tea.Msg
		want int64
	}{
		{"G goes to the tip", []tea.Msg{keyRunes("G")}, 347},
		{"end goes to the tip", []tea.Msg{tea.KeyMsg{Type: tea.KeyEnd}}, 347},
		{"g goes to the genesis", []tea.Msg{keyRunes("g")}, 0},
		{"home goes to the genesis", []tea.Msg{tea.KeyMsg{Type: tea.KeyHome}}, 0},
		{"ctrl+d is half a page down", []tea.Msg{tea.KeyMsg{Type: tea.KeyCtrlD}}, 103},
		{"ctrl+u is half a page up", []tea.Msg{keyCtrlU}, 97},
		{"pgdown is a page down", []tea.Msg{tea.KeyMsg{Type: tea.KeyPgDown}}, 105},
		{"pgup is a page up", []tea.Msg{tea.KeyMsg{Type: tea.KeyPgUp}}, 95},
		{"j and k still step", []tea.Msg{keyRunes("j"), keyRunes("j"), keyRunes("k")}, 101},
		{"pgdown stops at the tip", []tea.Msg{keyRunes("G"), tea.KeyMsg{Type: tea.KeyPgDown}}, 347},
		{"ctrl+u stops at the genesis", []tea.Msg{keyRunes("g"), keyCtrlU}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLab(t, chain, 100, nil, &testClock{now: labEpoch})
			defer l.Close()
			l, _ = press(t, l, tt.keys...)
			if l.selected != tt.want {
				t.Errorf("selected #%d, want #%d", l.selected, tt.want)
			}
		})
	}
}

// TestLabNavigationKeysAreTextWhileEditing: g and G typed into a field are
// text, not moves.
func TestLabNavigationKeysAreTextWhileEditing(t *testing.T) {
	l := newTestLab(t, newBenchChain(t, 20), 5, nil, &testClock{now: labEpoch})
	defer l.Close()
	l, _ = press(t, l, keyRunes("t"), keyRunes("G"), keyRunes("g"))
	if l.selected != 5 || l.mode != labEditing {
		t.Fatalf("selected #%d in mode %d, want #5 still editing", l.selected, l.mode)
	}
	if v := l.editor.input.Value(); !strings.HasSuffix(v, "Gg") {
		t.Errorf("the field reads %q, want the typed Gg at its end", v)
	}
	if l.Browsing() {
		t.Error("Browsing while a field is edited: the host would take ? for help")
	}
}

// TestLabMouse: the wheel moves the selection by three, a click selects
// the block under the pointer, and other parts of the lab ignore clicks.
func TestLabMouse(t *testing.T) {
	chain := newBenchChain(t, 348)
	press := func(b tea.MouseButton, y int) tea.MouseMsg {
		return tea.MouseMsg{X: 10, Y: y, Button: b, Action: tea.MouseActionPress}
	}
	// Block 100 selected: the box lists #97..#102 on lines 2..7.
	tests := []struct {
		name string
		msg  tea.MouseMsg
		want int64
	}{
		{"wheel down", press(tea.MouseButtonWheelDown, 20), 103},
		{"wheel up", press(tea.MouseButtonWheelUp, 20), 97},
		{"click on the first row", press(tea.MouseButtonLeft, 2), 97},
		{"click on the last row", press(tea.MouseButtonLeft, 7), 102},
		{"click on the box's border", press(tea.MouseButtonLeft, 1), 100},
		{"click below the box", press(tea.MouseButtonLeft, 9), 100},
		{"release is no click", tea.MouseMsg{X: 10, Y: 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionRelease}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLab(t, chain, 100, nil, &testClock{now: labEpoch})
			defer l.Close()
			l, _ = l.Update(tt.msg)
			if l.selected != tt.want {
				t.Errorf("selected #%d, want #%d", l.selected, tt.want)
			}
		})
	}
}

// TestLabGoldenNavigation: a long chain's tip reached with G, then half a
// page back with ctrl+u.
func TestLabGoldenNavigation(t *testing.T) {
	l := newTestLab(t, newBenchChain(t, 348), 100, nil, &testClock{now: labEpoch})
	defer l.Close()
	l, _ = press(t, l, keyRunes("G"), keyCtrlU)
	checkGolden(t, "nav_tip", l.View())
}
