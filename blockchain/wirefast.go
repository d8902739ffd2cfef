package blockchain

import (
	"bytes"
	"crypto/sha256"
	"strconv"
)

// WireFacts are what judging a block against its parent needs, read from a
// block's text without decoding it (see ReadCanonicalWire).
type WireFacts struct {
	// Index is the block's index.
	Index int64
	// Hash is the block's hash, which its "hash" field claims and its
	// preimage hashes to.
	Hash [32]byte
	// PreviousHash is the text of the previous_hash field, quotes included.
	PreviousHash []byte
	// Transactions counts the block's transactions.
	Transactions int
}

// wirePrefix starts every block as /chain sends it.
const wirePrefix = `{"hash": "`

// maxFastDepth bounds the nesting the fast reading follows; deeper values
// take the full decoder.
const maxFastDepth = 64

// ReadCanonicalWire reads a block's JSON text the fast way when the text is
// exactly what the seed's nodes and this one send: the fields "hash" (64
// lowercase hex digits), "index" (an integer), "nonce", "previous_hash" (a
// string), "timestamp" and "transactions" (a list) in that order, each value
// written as Python's json.dumps(json.loads(text), sort_keys=True) writes
// it, and the claimed hash the SHA-256 of the preimage (the text without
// "hash") meeting difficulty. Such a text means to Python exactly what it
// says, so its hash is taken over its own bytes without decoding them. It
// returns false for any other text, which the full reading (ParseBlock and
// Judge) must judge: a text it accepts is one Judge accepts on its own.
func ReadCanonicalWire(text []byte, difficulty int) (WireFacts, bool) {
	var f WireFacts
	const hashEnd = len(wirePrefix) + 64
	if len(text) < hashEnd+3 || string(text[:len(wirePrefix)]) != wirePrefix || string(text[hashEnd:hashEnd+3]) != `", ` {
		return f, false
	}
	claimed, ok := decodeLowerHex(string(text[len(wirePrefix):hashEnd]))
	if !ok {
		return f, false
	}
	c := canonScanner{text: text, pos: hashEnd + 3}
	if !c.lit(`"index": `) {
		return f, false
	}
	start := c.pos
	if !c.number() || bytes.ContainsAny(text[start:c.pos], ".eE") {
		return f, false
	}
	index, err := strconv.ParseInt(string(text[start:c.pos]), 10, 64)
	if err != nil {
		return f, false
	}
	if !c.lit(`, "nonce": `) || !c.value(0) || !c.lit(`, "previous_hash": `) {
		return f, false
	}
	start = c.pos
	if c.pos >= len(text) || text[c.pos] != '"' || !c.str() {
		return f, false
	}
	prev := text[start:c.pos]
	if !c.lit(`, "timestamp": `) || !c.value(0) || !c.lit(`, "transactions": `) {
		return f, false
	}
	if c.pos >= len(text) || text[c.pos] != '[' || !c.value(0) || !c.lit("}") || c.pos != len(text) {
		return f, false
	}
	h := sha256.New()
	h.Write([]byte{'{'})
	h.Write(text[hashEnd+3:])
	var sum [32]byte
	h.Sum(sum[:0])
	if sum != claimed || !MeetsDifficulty(&sum, difficulty) {
		return f, false
	}
	return WireFacts{Index: index, Hash: sum, PreviousHash: prev, Transactions: c.topItems}, true
}

// canonScanner checks that text is in the canonical form: what Python's
// json.dumps(..., sort_keys=True) writes for the value it reads there.
type canonScanner struct {
	text     []byte
	pos      int
	topItems int // elements of the last list closed at depth 0
}

func (c *canonScanner) lit(s string) bool {
	if !bytes.HasPrefix(c.text[c.pos:], []byte(s)) {
		return false
	}
	c.pos += len(s)
	return true
}

func (c *canonScanner) value(depth int) bool {
	if c.pos >= len(c.text) || depth > maxFastDepth {
		return false
	}
	switch ch := c.text[c.pos]; {
	case ch == '"':
		return c.str()
	case ch == '{':
		return c.object(depth)
	case ch == '[':
		return c.array(depth)
	case ch == '-' || ch >= '0' && ch <= '9':
		if c.lit("-Infinity") {
			return true
		}
		return c.number()
	}
	for _, word := range []string{"true", "false", "null", "NaN", "Infinity"} {
		if c.lit(word) {
			return true
		}
	}
	return false
}

func (c *canonScanner) array(depth int) bool {
	c.pos++ // [
	items := 0
	if c.lit("]") {
		if depth == 0 {
			c.topItems = 0
		}
		return true
	}
	for {
		if !c.value(depth + 1) {
			return false
		}
		items++
		if c.lit("]") {
			if depth == 0 {
				c.topItems = items
			}
			return true
		}
		if !c.lit(", ") {
			return false
		}
	}
}

// object accepts keys in strictly increasing order. Keys holding escapes
// are left to the full reading: their escaped text does not sort as the
// characters they stand for.
func (c *canonScanner) object(depth int) bool {
	c.pos++ // {
	if c.lit("}") {
		return true
	}
	var last []byte
	for i := 0; ; i++ {
		start := c.pos
		if c.pos >= len(c.text) || c.text[c.pos] != '"' || !c.str() {
			return false
		}
		key := c.text[start:c.pos]
		if bytes.IndexByte(key, '\\') >= 0 || i > 0 && bytes.Compare(key[:len(key)-1], last[:len(last)-1]) <= 0 {
			return false
		}
		last = key
		if !c.lit(": ") || !c.value(depth+1) {
			return false
		}
		if c.lit("}") {
			return true
		}
		if !c.lit(", ") {
			return false
		}
	}
}

// str accepts a string as json.dumps writes it: printable ASCII as is,
// the short escapes, and \u with four lowercase digits for the rest.
func (c *canonScanner) str() bool {
	c.pos++ // "
	for c.pos < len(c.text) {
		ch := c.text[c.pos]
		switch {
		case ch == '"':
			c.pos++
			return true
		case ch == '\\':
			if !c.escape() {
				return false
			}
		case ch < 0x20 || ch > 0x7e:
			return false
		default:
			c.pos++
		}
	}
	return false
}

func (c *canonScanner) escape() bool {
	if c.pos+1 >= len(c.text) {
		return false
	}
	switch c.text[c.pos+1] {
	case '"', '\\', 'n', 'r', 't', 'b', 'f':
		c.pos += 2
		return true
	case 'u':
	default:
		return false
	}
	if c.pos+6 > len(c.text) {
		return false
	}
	var r rune
	for _, h := range c.text[c.pos+2 : c.pos+6] {
		v, ok := lowerHexNibble(h)
		if !ok {
			return false
		}
		r = r<<4 | rune(v)
	}
	// Printable ASCII and the characters with a short escape are never
	// written as \u.
	if r >= 0x20 && r <= 0x7e || r == '\b' || r == '\f' || r == '\n' || r == '\r' || r == '\t' {
		return false
	}
	c.pos += 6
	return true
}

// number accepts an integer as Python writes it (no "-0", at most
// maxIntDigits digits) or a float whose text is Python's repr of it.
func (c *canonScanner) number() bool {
	start := c.pos
	if c.pos < len(c.text) && c.text[c.pos] == '-' {
		c.pos++
	}
	digits := c.pos
	for c.pos < len(c.text) && c.text[c.pos] >= '0' && c.text[c.pos] <= '9' {
		c.pos++
	}
	n := c.pos - digits
	if n == 0 || n > 1 && c.text[digits] == '0' {
		return false
	}
	isFloat := false
	for c.pos < len(c.text) {
		ch := c.text[c.pos]
		if ch >= '0' && ch <= '9' || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-' {
			isFloat = isFloat || ch == '.' || ch == 'e' || ch == 'E'
			c.pos++
			continue
		}
		break
	}
	text := c.text[start:c.pos]
	if !isFloat {
		return n <= maxIntDigits && string(text) != "-0" && len(text) == n+digits-start
	}
	if plainRepr(text) {
		return true
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		return false
	}
	var scratch [32]byte
	out, err := appendFloat(scratch[:0], f)
	return err == nil && bytes.Equal(out, text)
}

// plainRepr reports, without converting, whether a float's text is
// Python's repr of the float it reads as, for the common form: decimal
// digits with a point, at most 15 significant digits (which a float64
// keeps exactly, so no shorter text reads as the same float), no zero
// ending the fraction unless it is ".0", and a value repr writes without
// an exponent (from 1e-4 up to below 1e16). It returns false when unsure.
func plainRepr(text []byte) bool {
	if len(text) > 0 && text[0] == '-' {
		text = text[1:]
	}
	dot := bytes.IndexByte(text, '.')
	if dot < 1 || dot == len(text)-1 || dot > 16 {
		return false
	}
	intPart, frac := text[:dot], text[dot+1:]
	if len(intPart) > 1 && intPart[0] == '0' {
		return false
	}
	for _, ch := range frac {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	if frac[len(frac)-1] == '0' && len(frac) > 1 {
		return false
	}
	for _, ch := range intPart {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	significant := len(intPart) + len(frac)
	if string(intPart) == "0" {
		zeros := len(frac) - len(bytes.TrimLeft(frac, "0"))
		if zeros == len(frac) {
			return string(frac) == "0" // 0.0
		}
		if zeros > 3 {
			return false // below 1e-4: repr writes an exponent
		}
		significant = len(frac) - zeros
	}
	return significant <= 15
}
