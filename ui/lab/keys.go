package lab

import "github.com/charmbracelet/bubbles/key"

// The tamper lab (lab*.go) has its own keys while it is open.

// keyMap is the tamper lab's part of the keymap: browsing the sandbox,
// editing a block, re-mining and leaving. While a field is being edited only
// the Edit* bindings are special; every other key is text.
type keyMap struct {
	Up, Down        key.Binding
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
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
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
