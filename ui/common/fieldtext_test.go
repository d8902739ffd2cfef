package common

import (
	"testing"
	"unicode/utf8"
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
		shown := EscapeField(tc.in)
		if shown != tc.shown {
			t.Errorf("EscapeField(%q) = %q, want %q", tc.in, shown, tc.shown)
		}
		if back := UnescapeField(shown); back != tc.in {
			t.Errorf("UnescapeField(%q) = %q, want %q", shown, back, tc.in)
		}
		if !utf8.ValidString(shown) {
			t.Errorf("EscapeField(%q) = %q is not UTF-8", tc.in, shown)
		}
		for _, r := range shown {
			if r < 0x20 || r == 0x7f {
				t.Errorf("EscapeField(%q) = %q holds control character %U", tc.in, shown, r)
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
		if got := UnescapeField(in); got != want {
			t.Errorf("UnescapeField(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFieldText(f *testing.F) {
	for _, s := range []string{"two\nlines", "\xed\xa0\x80", `\\n`, "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if back := UnescapeField(EscapeField(s)); back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
	})
}
