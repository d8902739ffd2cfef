// Package blockchain holds the seed's consensus rules: canonical JSON exactly
// as Python's json.dumps(value, sort_keys=True) writes it, blocks and their
// hashes, proof of work, the pending pool, the chain and its durable store.
//
// It imports nothing else of blockscope, never prints and never panics on
// input: every rule violation comes back as a typed error.
package blockchain

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A decoded JSON value is one of these Go types:
//
//	nil           null
//	bool          true, false
//	string        a string (valid UTF-8, no lone surrogates)
//	Int           an integer literal, any size (Python's int)
//	float64       a literal with a fraction or exponent (Python's float), finite
//	[]any         an array
//	map[string]any an object (a repeated key keeps its last value, as Python does)
//
// An integer and a float are different values: 0 and 0.0 hash differently.

// Int is a JSON integer of any size, kept as its canonical decimal text
// (optional '-' then digits, no leading zeros, never "-0"), so that integers
// beyond 64 bits survive a round trip exactly as Python's int does.
type Int string

// IntOf returns the Int for a Go integer.
func IntOf(n int64) Int { return Int(strconv.FormatInt(n, 10)) }

// Int64 returns the integer's value and whether it fits in an int64.
func (i Int) Int64() (int64, bool) {
	n, err := strconv.ParseInt(string(i), 10, 64)
	return n, err == nil
}

// maxDepth bounds nesting; Python's json module gives up near 1,000 levels
// (its recursion limit), so no seed node can hold a deeper value either.
const maxDepth = 1000

// MaxTransactionDepth is the deepest nesting a new transaction may have. A
// block wraps its transactions in two more levels and a /chain answer in two
// more again; this leaves room for both in every decoder, Python's (whose
// recursion limit Flask's own frames eat into) as well as ours, so that an
// accepted transaction can never make a chain unreadable.
const MaxTransactionDepth = 500

// maxIntDigits is the longest integer Python's json module parses (its
// default int_max_str_digits): a longer one would make our chain unreadable
// to the tutorial's nodes.
const maxIntDigits = 4300

// Depth returns how deeply v nests lists and objects: 0 for a scalar, 1
// for a flat list or object.
func Depth(v any) int {
	d := 0
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			d = max(d, Depth(e))
		}
		return d + 1
	case map[string]any:
		for _, e := range x {
			d = max(d, Depth(e))
		}
		return d + 1
	}
	return 0
}

// SyntaxError reports JSON text that is malformed or holds a value the seed's
// rules cannot hash reproducibly (non-finite numbers, lone surrogates,
// invalid UTF-8).
type SyntaxError struct {
	Offset int    // byte offset in the input where the problem was found
	Msg    string // what is wrong
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

// Decode parses one JSON text into the value types listed above. It refuses
// NaN and Infinity, numbers that overflow a float64, lone surrogates, invalid
// UTF-8, trailing data and nesting deeper than Python can parse. It is the
// reader of new data (transactions typed or posted to us); what peers hold is
// read by DecodePython.
func Decode(data []byte) (any, error) {
	d := decoder{data: data}
	return d.document()
}

// DecodePython parses one JSON text exactly as Python's json.loads reads the
// bytes a peer sends, for judging what peers hold as the seed's nodes judge
// it. Beyond what Decode reads, it reads NaN, Infinity and -Infinity, floats
// that overflow (1e400 is Infinity, as float() makes it), lone surrogates
// (escaped, or encoded in the bytes, which json.loads decodes with
// "surrogatepass") and a leading UTF-8 byte order mark. It refuses what
// Python refuses: malformed text, invalid UTF-8, integers of more than 4,300
// digits, nesting deeper than Python's recursion limit lets it parse.
//
// Go strings cannot hold a lone surrogate as UTF-8, and Python's str can, so
// a string here is the sequence of the Python str's code points, each in
// UTF-8's byte form: a surrogate U+D800..U+DFFF takes the three bytes
// ED A0 80..ED BF BF that UTF-8 would give it were it allowed (WTF-8's
// encoding). Every other string is plain UTF-8, byte order is code point
// order (so keys sort as Python sorts them) and equal strings are equal
// bytes; AppendPython writes such a surrogate back as Python does, \udXXX.
func DecodePython(data []byte) (any, error) {
	d := decoder{data: data, python: true}
	if len(data) >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf {
		d.pos = 3 // json.loads decodes bytes with a BOM as utf-8-sig
	}
	return d.document()
}

func (d *decoder) document() (any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.fail("empty text: expected a JSON value")
	}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.data) {
		return nil, d.fail(fmt.Sprintf("unexpected %s after the JSON value", d.describe()))
	}
	return v, nil
}

type decoder struct {
	data   []byte
	pos    int
	buf    []byte // scratch for strings with escapes
	python bool   // read as json.loads does (see DecodePython)
}

func (d *decoder) fail(msg string) error { return &SyntaxError{Offset: d.pos, Msg: msg} }

func (d *decoder) describe() string {
	if d.pos >= len(d.data) {
		return "end of text"
	}
	c := d.data[d.pos]
	if c >= 0x20 && c < 0x7f {
		return strconv.Quote(string(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail("unexpected end of text: expected a value")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == 'N' && d.python:
		return math.NaN(), d.literal("NaN")
	case c == 'I' && d.python:
		return math.Inf(1), d.literal("Infinity")
	case c == 'N':
		return nil, d.fail("NaN is not allowed: it has no reproducible hash")
	case c == 'I':
		return nil, d.fail("Infinity is not allowed: it has no reproducible hash")
	default:
		return nil, d.fail(fmt.Sprintf("unexpected %s: expected a value", d.describe()))
	}
}

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos < len(word) || string(d.data[d.pos:d.pos+len(word)]) != word {
		return d.fail(fmt.Sprintf("unexpected %s: expected %s", d.describe(), word))
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) object(depth int) (any, error) {
	if depth > maxDepth {
		return nil, d.fail(fmt.Sprintf("nesting deeper than %d levels", maxDepth))
	}
	d.pos++ // '{'
	obj := map[string]any{}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return obj, nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected a string key", d.describe()))
		}
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected ':'", d.describe()))
		}
		d.pos++
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail("unexpected end of text: expected ',' or '}'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return obj, nil
		default:
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected ',' or '}'", d.describe()))
		}
	}
}

func (d *decoder) array(depth int) (any, error) {
	if depth > maxDepth {
		return nil, d.fail(fmt.Sprintf("nesting deeper than %d levels", maxDepth))
	}
	d.pos++ // '['
	arr := []any{}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return arr, nil
	}
	for {
		d.skipSpace()
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail("unexpected end of text: expected ',' or ']'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return arr, nil
		default:
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected ',' or ']'", d.describe()))
		}
	}
}

func (d *decoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
		if d.pos < len(d.data) && d.data[d.pos] == 'I' {
			if d.python {
				return math.Inf(-1), d.literal("Infinity")
			}
			return nil, d.fail("-Infinity is not allowed: it has no reproducible hash")
		}
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	intStart := d.pos
	n := digits()
	if n == 0 {
		return nil, d.fail(fmt.Sprintf("unexpected %s: expected a digit", d.describe()))
	}
	if n > 1 && d.data[intStart] == '0' {
		d.pos = intStart
		return nil, d.fail("a number may not have a leading zero")
	}
	isFloat := false
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		isFloat = true
		d.pos++
		if digits() == 0 {
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected a digit after '.'", d.describe()))
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		isFloat = true
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.fail(fmt.Sprintf("unexpected %s: expected a digit in the exponent", d.describe()))
		}
	}
	text := string(d.data[start:d.pos])
	if !isFloat && n > maxIntDigits {
		d.pos = start
		return nil, d.fail(fmt.Sprintf("integer of %d digits: Python's json refuses integers over %d digits", n, maxIntDigits))
	}
	if !isFloat {
		if text == "-0" {
			return Int("0"), nil
		}
		return Int(text), nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		d.pos = start
		return nil, d.fail(fmt.Sprintf("bad number %q", text))
	}
	if math.IsInf(f, 0) && !d.python {
		d.pos = start
		return nil, d.fail(fmt.Sprintf("number %s overflows a 64-bit float (it would be Infinity)", text))
	}
	return f, nil
}

func (d *decoder) str() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes, all ASCII.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '"' {
			s := internString(d.data[start:d.pos])
			d.pos++
			return s, nil
		}
		if c == '\\' || c >= 0x80 || c < 0x20 {
			break
		}
		d.pos++
	}
	d.buf = append(d.buf[:0], d.data[start:d.pos]...)
	for {
		if d.pos >= len(d.data) {
			return "", d.fail("unterminated string")
		}
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(d.buf), nil
		case c < 0x20:
			return "", d.fail(fmt.Sprintf("control character 0x%02x inside a string must be escaped", c))
		case c == '\\':
			if err := d.escape(); err != nil {
				return "", err
			}
		case c < 0x80:
			d.buf = append(d.buf, c)
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size <= 1 {
				if !d.python || !isSurrogateBytes(d.data[d.pos:]) {
					return "", d.fail("invalid UTF-8 in a string")
				}
				size = 3
			}
			d.buf = append(d.buf, d.data[d.pos:d.pos+size]...)
			d.pos += size
		}
	}
}

// internString returns the string of b, without allocating for the field
// names every block and transaction repeats.
func internString(b []byte) string {
	switch string(b) { // the compiler does not allocate for this comparison
	case "author":
		return "author"
	case "content":
		return "content"
	case "timestamp":
		return "timestamp"
	case "index":
		return "index"
	case "transactions":
		return "transactions"
	case "previous_hash":
		return "previous_hash"
	case "nonce":
		return "nonce"
	case "hash":
		return "hash"
	}
	return string(b)
}

func (d *decoder) escape() error {
	if d.pos+1 >= len(d.data) {
		d.pos = len(d.data)
		return d.fail("unterminated escape in a string")
	}
	c := d.data[d.pos+1]
	switch c {
	case '"', '\\', '/':
		d.buf = append(d.buf, c)
	case 'b':
		d.buf = append(d.buf, '\b')
	case 'f':
		d.buf = append(d.buf, '\f')
	case 'n':
		d.buf = append(d.buf, '\n')
	case 'r':
		d.buf = append(d.buf, '\r')
	case 't':
		d.buf = append(d.buf, '\t')
	case 'u':
		r, ok := d.hex4(d.pos + 2)
		if !ok {
			return d.fail(`\u must be followed by four hex digits`)
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00:
			lo, ok := rune(0), false
			if d.pos+7 < len(d.data) && d.data[d.pos+6] == '\\' && d.data[d.pos+7] == 'u' {
				lo, ok = d.hex4(d.pos + 8)
			}
			if (!ok || lo < 0xdc00 || lo > 0xdfff) && d.python {
				d.buf = appendSurrogate(d.buf, r)
				d.pos += 6
				return nil
			}
			if !ok || lo < 0xdc00 || lo > 0xdfff {
				return d.fail(fmt.Sprintf(`lone high surrogate \u%04x: not valid Unicode text`, r))
			}
			d.buf = utf8.AppendRune(d.buf, utf16.DecodeRune(r, lo))
			d.pos += 12
			return nil
		case utf16.IsSurrogate(r) && d.python:
			d.buf = appendSurrogate(d.buf, r)
			d.pos += 6
			return nil
		case utf16.IsSurrogate(r):
			return d.fail(fmt.Sprintf(`lone low surrogate \u%04x: not valid Unicode text`, r))
		}
		d.buf = utf8.AppendRune(d.buf, r)
		d.pos += 6
		return nil
	default:
		d.pos++
		return d.fail(fmt.Sprintf("invalid escape \\%s", d.describe()))
	}
	d.pos += 2
	return nil
}

func (d *decoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// UnsupportedValueError reports a Go value that has no canonical JSON form.
type UnsupportedValueError struct {
	Value any
	Why   string
}

func (e *UnsupportedValueError) Error() string {
	return fmt.Sprintf("cannot encode %T as canonical JSON: %s", e.Value, e.Why)
}

// Canonical returns the bytes Python's json.dumps(v, sort_keys=True) writes
// for v, which must be made of the decoded value types listed above. It
// refuses what new data may not hold (NaN, Infinity, lone surrogates); see
// AppendPython for values read from peers.
func Canonical(v any) ([]byte, error) {
	return appendJSON(nil, v, false)
}

// AppendCanonical appends the canonical encoding of v to dst.
func AppendCanonical(dst []byte, v any) ([]byte, error) {
	return appendJSON(dst, v, false)
}

// AppendPython appends what Python's json.dumps(v, sort_keys=True) writes
// for a value DecodePython read: as AppendCanonical, and also NaN, Infinity
// and -Infinity for non-finite floats and \udXXX for a lone surrogate. It is
// how a peer's block is hashed.
func AppendPython(dst []byte, v any) ([]byte, error) {
	return appendJSON(dst, v, true)
}

// appendJSON writes v; python admits the values only peers' data holds.
func appendJSON(dst []byte, v any, python bool) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		if x {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case string:
		return appendString(dst, x, python)
	case Int:
		if !validInt(string(x)) {
			return dst, &UnsupportedValueError{Value: v, Why: fmt.Sprintf("%q is not a canonical integer", string(x))}
		}
		return append(dst, x...), nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case float64:
		if python {
			return appendPythonFloat(dst, x), nil
		}
		return appendFloat(dst, x)
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			var err error
			if dst, err = appendJSON(dst, e, python); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case map[string]any:
		return appendObject(dst, x, python)
	default:
		return dst, &UnsupportedValueError{Value: v, Why: "not a decoded JSON value"}
	}
}

func appendObject(dst []byte, x map[string]any, python bool) ([]byte, error) {
	var small [8]string
	keys := small[:0]
	for k := range x {
		keys = append(keys, k)
	}
	// Go compares strings by their bytes, which orders UTF-8 (and the
	// surrogates DecodePython keeps in UTF-8's form) by code point, exactly
	// as Python sorts str keys.
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		var err error
		if dst, err = appendString(dst, k, python); err != nil {
			return dst, err
		}
		dst = append(dst, ": "...)
		if dst, err = appendJSON(dst, x[k], python); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendPythonFloat writes f as json.dumps does, non-finite values included.
func appendPythonFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	dst, _ = appendFloat(dst, f) // finite: cannot fail
	return dst
}

// isSurrogateBytes reports whether b starts with a surrogate code point in
// UTF-8's byte form (ED A0..BF 80..BF), which UTF-8 forbids and Python's
// "surrogatepass" reads.
func isSurrogateBytes(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xed && b[1] >= 0xa0 && b[1] <= 0xbf && b[2] >= 0x80 && b[2] <= 0xbf
}

// appendSurrogate appends surrogate r in UTF-8's byte form.
func appendSurrogate(dst []byte, r rune) []byte {
	return append(dst, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
}

func validInt(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
		if s == "0" {
			return false
		}
	}
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the bytes Python's ensure_ascii writes as they are:
// printable ASCII except the quote and the backslash.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString writes s as Python's json.dumps with ensure_ascii=True does.
// Runs of plain ASCII, the bulk of any transaction, are copied at once.
// python admits lone surrogates (see DecodePython).
func appendString(dst []byte, s string, python bool) ([]byte, error) {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				dst = append(dst, '\\', '"')
			case '\\':
				dst = append(dst, '\\', '\\')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default: // other control characters and DEL
				dst = appendU(dst, rune(c))
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 && python && isSurrogateBytes([]byte(s[i:min(i+3, len(s))])) {
			r, size = rune(s[i]&0x0f)<<12|rune(s[i+1]&0x3f)<<6|rune(s[i+2]&0x3f), 3
		}
		if r == utf8.RuneError && size == 1 {
			return dst, &UnsupportedValueError{Value: s, Why: fmt.Sprintf("invalid UTF-8 at byte %d", i)}
		}
		if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			dst = appendU(appendU(dst, hi), lo)
		} else {
			dst = appendU(dst, r)
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"'), nil
}

func appendU(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// appendFloat writes f as Python's float.__repr__: the shortest digits that
// round-trip, positional when the decimal exponent is in [-4, 16) (a whole
// number keeps ".0"), otherwise d.ddde±XX with at least two exponent digits.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, &UnsupportedValueError{Value: f, Why: "NaN and Infinity have no reproducible hash"}
	}
	if f == 0 {
		if math.Signbit(f) {
			return append(dst, "-0.0"...), nil
		}
		return append(dst, "0.0"...), nil
	}
	var digitBuf [24]byte
	neg, digits, exp := shortestDigits(f, &digitBuf)
	if neg {
		dst = append(dst, '-')
	}
	if exp >= -4 && exp < 16 {
		return appendPositional(dst, digits, exp), nil
	}
	return appendExponent(dst, digits, exp), nil
}

// shortestDigits returns the sign, the shortest round-trip decimal digits
// of f (in buf, without the point) and the decimal exponent of the first
// digit, as in d.ddd × 10^exp.
func shortestDigits(f float64, buf *[24]byte) (neg bool, digits []byte, exp int) {
	var scratch [32]byte
	// 'e' with precision -1 gives the shortest round-trip digits: d.ddde±XX.
	e := strconv.AppendFloat(scratch[:0], f, 'e', -1, 64)
	neg = e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant := e
	for i, c := range e {
		if c == 'e' {
			mant = e[:i]
			sign, j := 1, i+1
			if e[j] == '-' || e[j] == '+' {
				if e[j] == '-' {
					sign = -1
				}
				j++
			}
			for ; j < len(e); j++ {
				exp = exp*10 + int(e[j]-'0')
			}
			exp *= sign
			break
		}
	}
	digits = buf[:0]
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	return neg, digits, exp
}

// appendPositional writes digits × 10^exp (exp in [-4, 16)) without an
// exponent: 0.000ddd, ddd.dd, or ddd00.0 for a whole number.
func appendPositional(dst, digits []byte, exp int) []byte {
	if exp < 0 {
		dst = append(dst, "0."...)
		for i := 0; i < -exp-1; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	intLen := exp + 1
	if len(digits) <= intLen {
		dst = append(dst, digits...)
		for i := len(digits); i < intLen; i++ {
			dst = append(dst, '0')
		}
		return append(dst, ".0"...)
	}
	dst = append(dst, digits[:intLen]...)
	dst = append(dst, '.')
	return append(dst, digits[intLen:]...)
}

// appendExponent writes digits × 10^exp as d.ddde±XX, Python's form for
// exponents outside [-4, 16).
func appendExponent(dst, digits []byte, exp int) []byte {
	dst = append(dst, digits[0])
	if len(digits) > 1 {
		dst = append(dst, '.')
		dst = append(dst, digits[1:]...)
	}
	dst = append(dst, 'e')
	if exp < 0 {
		dst = append(dst, '-')
		exp = -exp
	} else {
		dst = append(dst, '+')
	}
	if exp < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendInt(dst, int64(exp), 10)
}
