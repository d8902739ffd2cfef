package lab

import (
	"context"
	"testing"

	"blockscope/blockchain"
)

// TestLabEditTypedAndUndoneKeepsTheBlock: a transaction whose content holds
// a newline and an author holding an escape character are edited, a key is
// typed and taken back: the block's bytes, hash and validity are as before,
// and the editor shows the characters as escapes instead of hiding them.
func TestLabEditTypedAndUndoneKeepsTheBlock(t *testing.T) {
	real := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: tickingClock()})
	if _, err := real.AddTransaction(map[string]any{"author": "esc\x1b", "content": "two\nlines\ttab"}); err != nil {
		t.Fatal(err)
	}
	tmpl, err := real.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, real.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := real.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	for field, shown := range []string{`esc\u001b`, `two\nlines\ttab`} {
		l := newTestLab(t, real, 1, nil, &testClock{now: labEpoch})
		l, _ = press(t, l, keyRunes("t"))
		for i := 0; i < field; i++ {
			l, _ = press(t, l, keyTab)
		}
		if got := l.editor.input.Value(); got != shown {
			t.Fatalf("field %d shows %q, want %q", field, got, shown)
		}
		l = typeText(t, l, "x")
		l, _ = press(t, l, keyBackspace, keyEnter)
		if got := l.sandbox.Block(1).Hash(); got != b.Hash() {
			t.Errorf("field %d: typing x and backspace changed the hash: %s, was %s", field, got, b.Hash())
		}
		if !l.sandbox.Checks()[1].Valid() {
			t.Errorf("field %d: the block turned invalid after an undone edit", field)
		}
	}
}
