package common

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A text field of a transaction (its author or content, in the lab's block
// editor and in the new-transaction form) is edited as escaped text,
// because a one-line input cannot hold what a string may: a newline, a tab
// or another control character would be turned into a space (bubbles'
// textinput sanitizes them), and a lone surrogate from a peer (see
// blockchain.DecodePython) or a byte that is not UTF-8 would become U+FFFD.
// In the lab either would change the block's bytes, and so its hash, for an
// edit that was typed and undone; in the form, text pasted with tabs or
// lines would not be what the API would receive. Escaping shows such
// characters (\n, \u001b, \udc00) and keeps them:
// UnescapeField(EscapeField(s)) == s for every string.

// EscapeField returns s as the editor shows it: a backslash doubled, \n \r
// \t, other control characters (C0, DEL, C1) as \uXXXX, a lone surrogate as
// \udXXX and a byte that is not UTF-8 as \xNN; everything else as it is.
func EscapeField(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1 && surrogateAt(s, i):
			writeU(&b, rune(s[i]&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f))
			size = 3
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			writeHex(&b, uint32(s[i]), 2)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			writeU(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// UnescapeField reads the editor's text back into the string it stands
// for. A backslash that starts no escape above is kept as typed, so text
// typed by a person never fails to read.
func UnescapeField(text string) string {
	if !strings.Contains(text, `\`) {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] != '\\' || i+1 == len(text) {
			b.WriteByte(text[i])
			continue
		}
		switch c := text[i+1]; {
		case c == '\\':
			b.WriteByte('\\')
			i++
		case c == 'n' || c == 'r' || c == 't':
			b.WriteByte(map[byte]byte{'n': '\n', 'r': '\r', 't': '\t'}[c])
			i++
		case c == 'u' && hexAt(text, i+2, 4):
			n, _ := strconv.ParseUint(text[i+2:i+6], 16, 32)
			writeCodePoint(&b, rune(n))
			i += 5
		case c == 'x' && hexAt(text, i+2, 2):
			n, _ := strconv.ParseUint(text[i+2:i+4], 16, 8)
			b.WriteByte(byte(n))
			i += 3
		default:
			b.WriteByte('\\')
		}
	}
	return b.String()
}

// surrogateAt reports whether s holds a surrogate code point encoded as
// three bytes (WTF-8) at i, as DecodePython keeps a lone surrogate.
func surrogateAt(s string, i int) bool {
	return i+2 < len(s) && s[i] == 0xed && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf
}

// writeCodePoint writes r as UTF-8, or a surrogate as its three WTF-8 bytes
// (utf8.EncodeRune would write U+FFFD instead).
func writeCodePoint(b *strings.Builder, r rune) {
	if r >= 0xd800 && r <= 0xdfff {
		b.WriteByte(byte(0xe0 | r>>12))
		b.WriteByte(byte(0x80 | r>>6&0x3f))
		b.WriteByte(byte(0x80 | r&0x3f))
		return
	}
	b.WriteRune(r)
}

func writeU(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	writeHex(b, uint32(r), 4)
}

func writeHex(b *strings.Builder, v uint32, digits int) {
	const hexDigits = "0123456789abcdef"
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[v>>uint(shift)&0xf])
	}
}

// hexAt reports whether text holds n hex digits at i.
func hexAt(text string, i, n int) bool {
	if i+n > len(text) {
		return false
	}
	for _, c := range []byte(text[i : i+n]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
