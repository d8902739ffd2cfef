package lab

import (
	"github.com/charmbracelet/bubbles/key"

	"blockscope/ui/common"
)

// The tamper lab (lab*.go) has its own keys while it is open.

// keyMap is the tamper lab's part of the keymap: browsing the sandbox,
// editing a block, re-mining and leaving. While a field is being edited only
// the Edit* bindings are special; every other key is text.
type keyMap struct {
	common.NavKeys  // the movement keys every list shares
	Help            key.Binding
	Tamper, Remine  key.Binding
	Stop            key.Binding
	Harder, Easier  key.Binding
	Lesson, Leave   key.Binding
	Quit            key.Binding
	EditNext        key.Binding
	EditPrev        key.Binding
	EditDone        key.Binding
	Confirm, Cancel key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		NavKeys:  common.NewNavKeys(),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Tamper:   key.NewBinding(key.WithKeys("t", "enter"), key.WithHelp("t", "tamper")),
		Remine:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-mine")),
		Stop:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stop")),
		Harder:   key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "difficulty")),
		Easier:   key.NewBinding(key.WithKeys("-", "_"), key.WithHelp("-", "lower the difficulty")),
		Lesson:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "lesson")),
		Leave:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "leave")),
		Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		EditNext: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next field")),
		EditPrev: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous field")),
		EditDone: key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", "done")),
		Confirm:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "discard and leave")),
		Cancel:   key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "stay")),
	}
}

// Browsing reports whether the lab reads keys as shortcuts: false while a
// field is edited (every key is text) or the leave question is asked, when
// the host must not take ? for its help.
func (l Model) Browsing() bool { return l.mode == labBrowse }

// FullHelp is every key of the lab, in columns, for the host's ? overlay.
func (l Model) FullHelp() [][]key.Binding {
	k := l.keys
	return [][]key.Binding{
		append(k.NavKeys.Bindings(), k.Lesson),
		{k.Tamper, k.Remine, k.Stop, common.WithHelp(k.Harder, "+/-", "difficulty up / down")},
		{k.EditNext, k.EditPrev, k.EditDone},
		{k.Help, k.Leave, k.Quit},
	}
}
