package blockchain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// DisplayString returns s fit for one line of a terminal: printable
// characters as they are; control characters (C0, DEL, C1) and the line and
// paragraph separators as Python's json.dumps escapes them (\n, \u001b,
// \u2028); a lone surrogate, which a peer's string may hold (see
// DecodePython), as Python writes it, \udXXX; a byte that is not UTF-8 as
// \xNN. Nothing it returns can move the cursor or break a layout.
func DisplayString(s string) string {
	if !needsDisplayEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1 && isSurrogateBytes([]byte(s[i:min(i+3, len(s))])):
			fmt.Fprintf(&b, `\u%04x`, rune(s[i]&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f))
			size = 3
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case isDisplayControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsDisplayEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			return !utf8.ValidString(s) || strings.ContainsFunc(s, isDisplayControl)
		}
	}
	return false
}

func isDisplayControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029
}

// DisplayValue returns a decoded JSON value (from Decode or DecodePython) as
// Python's json.dumps(v, sort_keys=True) writes it: NaN, Infinity, a lone
// surrogate as \udXXX. The text is printable ASCII, safe on any screen.
func DisplayValue(v any) string {
	text, err := AppendPython(nil, v)
	if err != nil {
		return fmt.Sprintf("(%s)", kindOf(v))
	}
	return string(text)
}
