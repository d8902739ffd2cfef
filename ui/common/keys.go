package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

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

// NavKeys are the movement keys that every list and scrolling view shares
// (the chain and pending lists, the inspector, the transaction view, the
// lab's chain, the network view's peers), so that each key means the same
// thing everywhere: a row, half a page, a page, or an end.
type NavKeys struct {
	Up, Down         key.Binding
	HalfUp, HalfDown key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
}

// NewNavKeys returns the shared movement keys with their help.
func NewNavKeys() NavKeys {
	return NavKeys{
		Up:       key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "half a page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "half a page down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
	}
}

// Bindings are the movement keys in help order, folded in pairs (a full
// help column of eight would not fit an 80x24 screen's help).
func (k NavKeys) Bindings() []key.Binding {
	return []key.Binding{
		WithHelp(k.Down, "j/k ↓/↑", "down / up"),
		WithHelp(k.HalfDown, "ctrl+d/u", "half a page down / up"),
		WithHelp(k.PageDown, "pgdn/pgup", "a page down / up"),
		WithHelp(k.Top, "g/G", "top / bottom (home/end)"),
	}
}

// Short is the movement keys folded into two entries, for a help bar.
func (k NavKeys) Short() []key.Binding {
	return []key.Binding{WithHelp(k.Down, "j/k", "move"), WithHelp(k.Top, "g/G", "top/bottom")}
}

// Movement is what a movement key asks of a list or a view: to move by
// Rows (negative is up), or to an end. Scroll is set for pages, which move
// the view with the cursor rather than only the cursor.
type Movement struct {
	Rows            int
	Scroll          bool
	ToTop, ToBottom bool
}

// Movement reads msg as a movement in a view that shows page rows; it
// reports false when msg is no movement key.
func (k NavKeys) Movement(msg tea.KeyMsg, page int) (Movement, bool) {
	page = max(1, page)
	switch {
	case key.Matches(msg, k.Up):
		return Movement{Rows: -1}, true
	case key.Matches(msg, k.Down):
		return Movement{Rows: 1}, true
	case key.Matches(msg, k.HalfUp):
		return Movement{Rows: -max(1, page/2), Scroll: true}, true
	case key.Matches(msg, k.HalfDown):
		return Movement{Rows: max(1, page/2), Scroll: true}, true
	case key.Matches(msg, k.PageUp):
		// One row of the old page stays in view, for the eye to follow.
		return Movement{Rows: -max(1, page-1), Scroll: true}, true
	case key.Matches(msg, k.PageDown):
		return Movement{Rows: max(1, page-1), Scroll: true}, true
	case key.Matches(msg, k.Top):
		return Movement{ToTop: true}, true
	case key.Matches(msg, k.Bottom):
		return Movement{ToBottom: true}, true
	}
	return Movement{}, false
}

// Apply returns the row the movement selects from cursor in a list of n
// rows, within the list (0 when it is empty).
func (mv Movement) Apply(cursor, n int) int {
	switch {
	case n <= 0:
		return 0
	case mv.ToTop:
		return 0
	case mv.ToBottom:
		return n - 1
	}
	return max(0, min(n-1, cursor+mv.Rows))
}
