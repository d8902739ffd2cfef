package lab

import (
	"context"
	"testing"
	"unicode/utf8"

	"blockscope/blockchain"
)

// TestFieldTextRoundTrips: every string a block may hold reads back from
// its escaped text unchanged, and the escaped text holds nothing a one-line
// input would alter (no control character, only UTF-8).
func TestFieldTextRoundTrips(t *testing.T) {
	for _, tc := range []struct{ in, shown string }{
		{"plain", "plain"},
		{"two\nlines", `two\nlines`},
		{"tab\there\r", `tab\there\r`},
		{"esc \x1b[31m bell \a del \x7f", `esc \u001b[31m bell \u0007 del \u007f`},
		{"c1 \u0085", `c1 \u0085`},
		{`back\slash \n literal`, `back\\slash \\n literal`},
		{"héllo 🌍", "héllo 🌍"},
		{"lone \xed\xa0\x80 surrogate", `lone \ud800 surrogate`},
		{"bad \xff byte", `bad \xff byte`},
		{"", ""},
	} {
		shown := escapeField(tc.in)
		if shown != tc.shown {
			t.Errorf("escapeField(%q) = %q, want %q", tc.in, shown, tc.shown)
		}
		if back := unescapeField(shown); back != tc.in {
			t.Errorf("unescapeField(%q) = %q, want %q", shown, back, tc.in)
		}
		if !utf8.ValidString(shown) {
			t.Errorf("escapeField(%q) = %q is not UTF-8", tc.in, shown)
		}
		for _, r := range shown {
			if r < 0x20 || r == 0x7f {
				t.Errorf("escapeField(%q) = %q holds control character %U", tc.in, shown, r)
			}
		}
	}
}

// TestUnescapeFieldKeepsStrayBackslashes: what a person types is read as
// typed where it starts no escape.
func TestUnescapeFieldKeepsStrayBackslashes(t *testing.T) {
	for in, want := range map[string]string{
		`a\`:      `a\`,
		`\q`:      `\q`,
		`\u12`:    `\u12`,
		`\u00e9`:  "é",
		`\x4`:     `\x4`,
		`C:\path`: `C:\path`,
	} {
		if got := unescapeField(in); got != want {
			t.Errorf("unescapeField(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFieldText(f *testing.F) {
	for _, s := range []string{"two\nlines", "\xed\xa0\x80", `\\n`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if back := unescapeField(escapeField(s)); back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
	})
}

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
