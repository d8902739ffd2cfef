package common

import "github.com/charmbracelet/bubbles/key"

// BindingsHelp adapts a fixed list of bindings to help.KeyMap, for the help
// bar of the form, the filter and the inspector.
type BindingsHelp []key.Binding

func (b BindingsHelp) ShortHelp() []key.Binding  { return b }
func (b BindingsHelp) FullHelp() [][]key.Binding { return [][]key.Binding{b} }

// WithHelp returns b with other help text.
func WithHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
