package netview

import (
	"github.com/charmbracelet/bubbles/key"

	"blockscope/ui/common"
)

// keyMap is the network screen's one keymap; every key has its help text.
type keyMap struct {
	common.NavKeys                                                                           // scroll the event log
	Split, Next, Prev, ShareUp, ShareDown, Latency, Pause, AddTx, Follow, Attack, Help, Quit key.Binding
	// In the attack race.
	RaceAgain, RaceShare, Confirm, Back key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		NavKeys:   common.NewNavKeys(),
		Split:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "split / heal")),
		Next:      key.NewBinding(key.WithKeys("right", "tab"), key.WithHelp("→/tab", "next node")),
		Prev:      key.NewBinding(key.WithKeys("left", "shift+tab"), key.WithHelp("←", "previous node")),
		ShareUp:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "node's hash share ±5%")),
		ShareDown: key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "lower share")),
		Latency:   key.NewBinding(key.WithKeys("l"), key.WithHelp("l", "latency 0/100/400/1000 ms")),
		Pause:     key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause / resume node")),
		AddTx:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "add a tx at the node")),
		Follow:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow a tx")),
		Attack:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "the double-spend race")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		RaceAgain: key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter", "next race")),
		RaceShare: key.NewBinding(key.WithKeys("+", "=", "-", "_"), key.WithHelp("+/-", "attacker share ±5%")),
		Confirm:   key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "confirmations 1-6")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp is the help bar of the network view.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Split, k.ShareUp, k.Latency, k.Pause, k.AddTx, k.Follow, k.Attack, k.Help, k.Quit}
}

// FullHelp is every key of the network view.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Split, k.Latency, k.Next, k.Prev},
		{k.ShareUp, k.ShareDown, k.Pause, k.AddTx, k.Follow},
		{k.Attack, k.Help, k.Quit},
		k.eventBindings(),
	}
}

// eventBindings are the movement keys as the event log reads them: up is
// older.
func (k keyMap) eventBindings() []key.Binding {
	b := k.NavKeys.Bindings()
	b[0].SetHelp("j/k ↓/↑", "events: newer / older")
	b[3].SetHelp("g/G", "events: oldest / newest")
	return b
}

// raceHelp is the help of the attack race.
type raceHelp keyMap

func (k raceHelp) ShortHelp() []key.Binding {
	return []key.Binding{k.RaceAgain, k.RaceShare, k.Confirm, k.Back, k.Quit}
}

func (k raceHelp) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
