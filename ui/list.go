package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// listCursor is the selection and scroll position of a list of n rows of
// which height are visible. Panes embed it; it holds no rows itself, so a
// list of any length moves in constant time.
type listCursor struct {
	Cursor int // the selected row
	Offset int // the first visible row
}

// move applies a movement key to a list of n rows with height visible; it
// reports whether the key was a movement key. A page moves the view with
// the cursor, so the rows keep their place on the screen.
func (c listCursor) move(msg tea.KeyMsg, keys keyMap, n, height int) (listCursor, bool) {
	mv, ok := keys.Movement(msg, height)
	if !ok {
		return c, false
	}
	to := mv.Apply(c.Cursor, n)
	if mv.Scroll {
		c.Offset += to - c.Cursor
	}
	c.Cursor = to
	return c.clamp(n, height), true
}

// scroll moves the cursor by delta rows (mouse wheel).
func (c listCursor) scroll(delta, n, height int) listCursor {
	c.Cursor += delta
	return c.clamp(n, height)
}

// clamp keeps the cursor on a row and the cursor's row visible.
func (c listCursor) clamp(n, height int) listCursor {
	height = max(1, height)
	if n <= 0 {
		return listCursor{}
	}
	c.Cursor = max(0, min(c.Cursor, n-1))
	c.Offset = max(0, min(c.Offset, n-height))
	if c.Cursor < c.Offset {
		c.Offset = c.Cursor
	}
	if c.Cursor >= c.Offset+height {
		c.Offset = c.Cursor - height + 1
	}
	return c
}
