package ui

import (
	"github.com/charmbracelet/bubbles/key"

	"blockscope/ui/common"
)

// keyMap is the one keymap of the screen: every shortcut with its help text.
// Keys typed into the form or the filter never reach it (see Model.Update).
type keyMap struct {
	common.NavKeys                      // the movement keys every list and view shares
	NextPane, PrevPane                  key.Binding
	Pane1, Pane2, Pane3                 key.Binding
	NewTx, Mine, Auto                   key.Binding
	Harder, Easier, Pace, Step          key.Binding
	Inspect, Filter, Network, Lab, Help key.Binding
	Copy, PrevBlock, NextBlock, Jump    key.Binding
	NextMatch, PrevMatch, Drop          key.Binding
	Events, RawBytes                    key.Binding
	Back, Quit                          key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		NavKeys:   common.NewNavKeys(),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Pane1:     key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "pending")),
		Pane2:     key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "chain")),
		Pane3:     key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "mining")),
		NewTx:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new tx")),
		Mine:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mine")),
		Auto:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "auto")),
		Harder:    key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "difficulty")),
		Easier:    key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "lower the difficulty")),
		Pace:      key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pace")),
		Step:      key.NewBinding(key.WithKeys(" ", "s"), key.WithHelp("space/s", "one attempt (step pace)")),
		Inspect:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "inspect")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Network:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "network")),
		Lab:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "tamper lab (a copy)")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Copy:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		PrevBlock: key.NewBinding(key.WithKeys("["), key.WithHelp("[", "previous block")),
		NextBlock: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "next block")),
		Jump:      key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "go to block #")),
		NextMatch: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match of /")),
		PrevMatch: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match of /")),
		Events:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "event log")),
		RawBytes:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "hashed bytes on one line")),
		Drop:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "drop pending tx")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the one-line help bar of the main screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NewTx, k.Mine, k.Auto, k.Harder, k.Pace, k.Inspect, k.Filter, k.Help, k.Quit}
}

// FullHelp is the full help, in columns. Pairs of keys share a line, so
// that the whole of it, notes included, fits an 80x24 screen.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NewTx, k.Mine, k.Auto, common.WithHelp(k.Harder, "+/-", "difficulty up / down"), k.Pace, k.Step},
		append(k.NavKeys.Bindings(), k.Jump),
		{common.WithHelp(k.NextPane, "tab", "next pane (shift+tab: back)"), common.WithHelp(k.Pane1, "1/2/3", "pending / chain / mining"), k.Help, k.Back, k.Quit},
		{k.Inspect, k.Copy, k.Drop, k.Filter, k.Network, k.Events, k.Lab},
	}
}
