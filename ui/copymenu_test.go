package ui

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

// fakeClipboard records what the screen copies.
type fakeClipboard struct {
	mu     sync.Mutex
	copied []string
	err    error
}

func (c *fakeClipboard) copy(text string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.copied = append(c.copied, text)
	return nil
}

func (c *fakeClipboard) last() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.copied) == 0 {
		return ""
	}
	return c.copied[len(c.copied)-1]
}

// TestCopyMenu: y in the inspector, and on the selected block, offers the
// hash, the check command and the block's JSON; the pick is copied and the
// status line says what.
func TestCopyMenu(t *testing.T) {
	clip := &fakeClipboard{}
	h := newHarness(t, func(o *Options) { o.Clipboard = clip.copy })
	mineChain(t, h.chain, 2)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 3 })
	b := h.chain.Block(2)
	tests := []struct {
		keys   []string
		want   string
		status string
	}{
		{[]string{"enter", "y", "1"}, b.Hash(), "copied the hash of block #2"},
		{[]string{"y", "2"}, checkCommand(b.Preimage()), "copied the check command of block #2"},
		{[]string{"esc", "y", "3"}, string(b.WireJSON()), "copied block #2 as JSON"},
	}
	for _, tc := range tests {
		h.keys(tc.keys[:len(tc.keys)-1]...)
		h.mustContain("1  the hash of block #2", "2  the check command", "3  block #2 as JSON", "esc cancel")
		h.keys(tc.keys[len(tc.keys)-1])
		h.until(tc.status, func(m Model) bool { return strings.Contains(m.View(), tc.status) })
		if got := clip.last(); got != tc.want {
			t.Errorf("after %v the clipboard holds %q, want %q", tc.keys, got, tc.want)
		}
		if h.m.modes.has(modeCopy) {
			t.Errorf("after %v the copy menu is still open", tc.keys)
		}
	}
}

// TestCopyMenuFailure: a copy that fails says why, and esc copies nothing.
func TestCopyMenuFailure(t *testing.T) {
	clip := &fakeClipboard{err: errors.New("no terminal")}
	h := newHarness(t, func(o *Options) { o.Clipboard = clip.copy })
	mineChain(t, h.chain, 1)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 2 })
	h.keys("y", "esc")
	if h.m.modes.has(modeCopy) {
		t.Fatal("esc left the copy menu open")
	}
	h.keys("y", "1")
	h.until("the failure shows", func(m Model) bool {
		return strings.Contains(m.View(), "could not copy the hash of block #1: no terminal")
	})
}
