package netview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/localnet"
)

// longLog is the normal scene with 60 events more, "event 1" the oldest.
func longLog() *fakeNet {
	net := scene("normal")
	net.events = nil
	for i := 1; i <= 60; i++ {
		net.events = append(net.events, localnet.Event{Time: testNow.Add(time.Duration(i) * time.Second), Kind: localnet.EventBlockFound, Message: fmt.Sprintf("event %d.", i)})
	}
	return net
}

// TestEventLogScrolls: the event log moves with the keys every list
// shares, up being older, and stays on what it shows while events arrive.
func TestEventLogScrolls(t *testing.T) {
	// At 100x30 the log shows 15 events: half a page is 7, a page 14.
	tests := []struct {
		name   string
		keys   []tea.KeyMsg
		newest string // the last event shown
		title  string
	}{
		{"follows the newest", nil, "event 60.", "Events ─"},
		{"k is one older", []tea.KeyMsg{runes("k")}, "event 59.", "1 newer below"},
		{"ctrl+u is half a page older", []tea.KeyMsg{{Type: tea.KeyCtrlU}}, "event 53.", "7 newer below"},
		{"pgup is a page older", []tea.KeyMsg{{Type: tea.KeyPgUp}}, "event 46.", "14 newer below"},
		{"g shows the oldest", []tea.KeyMsg{runes("g")}, "event 15.", "45 newer below"},
		{"home shows the oldest", []tea.KeyMsg{{Type: tea.KeyHome}}, "event 15.", "45 newer below"},
		{"g then G returns", []tea.KeyMsg{runes("g"), runes("G")}, "event 60.", "Events ─"},
		{"g then ctrl+d", []tea.KeyMsg{runes("g"), {Type: tea.KeyCtrlD}}, "event 22.", "38 newer below"},
		{"j at the newest stays", []tea.KeyMsg{runes("j")}, "event 60.", "Events ─"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(t, longLog())
			for _, k := range tt.keys {
				m.Update(k)
			}
			v := m.View()
			if last := lastEvent(v); last != tt.newest {
				t.Errorf("the log ends at %q, want %q:\n%s", last, tt.newest, v)
			}
			if !strings.Contains(v, tt.title) {
				t.Errorf("the log's title lacks %q:\n%s", tt.title, v)
			}
		})
	}
}

// TestEventLogKeepsItsPlace: a scrolled log shows the same events after
// more arrive.
func TestEventLogKeepsItsPlace(t *testing.T) {
	net := longLog()
	m := newTestModel(t, net)
	m.Update(tea.KeyMsg{Type: tea.KeyPgUp})
	net.events = append(net.events, localnet.Event{Time: testNow.Add(time.Minute), Kind: localnet.EventBlockFound, Message: "event 61."})
	m.Update(m.read()())
	if last := lastEvent(m.View()); last != "event 46." {
		t.Errorf("after a new event the log ends at %q, want event 46.", last)
	}
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// lastEvent is the last "event N." the view shows.
func lastEvent(v string) string {
	last := ""
	for _, f := range strings.Fields(v) {
		if strings.HasSuffix(f, ".") && strings.Contains(v, "event "+f) {
			last = "event " + f
		}
	}
	return last
}

// TestGoldenEventLogScrolled: the log a page back, its title saying how
// many newer events are below.
func TestGoldenEventLogScrolled(t *testing.T) {
	m := newTestModel(t, longLog())
	m.Update(tea.KeyMsg{Type: tea.KeyPgUp})
	checkGolden(t, "net_events_back", m.View())
}
