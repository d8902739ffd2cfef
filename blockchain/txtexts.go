package blockchain

import (
	"bytes"
	"errors"
)

// errTextShape reports a preimage that is not a block as json.dumps writes
// one.
var errTextShape = errors.New("not a block's preimage")

// transactionTexts calls fn with the text of each transaction in a block's
// preimage, in order. A preimage is Python's json.dumps(block,
// sort_keys=True), so each transaction's text is what AppendPython writes
// for it: for a transaction of clean data, its Canonical bytes. It reads
// the preimage's structure only, which costs a small part of decoding the
// block. The slices point into preimage.
func transactionTexts(preimage []byte, fn func(tx []byte)) error {
	s := textScan{b: preimage}
	if !s.eat('{') {
		return errTextShape
	}
	for !s.eat('}') {
		start := s.i
		if !s.skipString() || !s.eat(':') || !s.eat(' ') {
			return errTextShape
		}
		if !bytes.Equal(preimage[start:s.i-2], []byte(`"transactions"`)) {
			if !s.skipValue() {
				return errTextShape
			}
		} else if !s.elements(fn) {
			return errTextShape
		}
		if s.eat(',') && !s.eat(' ') {
			return errTextShape
		}
	}
	return nil
}

// textScan walks JSON text as json.dumps writes it (separators ", " and
// ": "), without decoding it.
type textScan struct {
	b []byte
	i int
}

// eat moves past c when it is next.
func (s *textScan) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// elements calls fn with the text of each element of the array that
// starts at i, and moves past it.
func (s *textScan) elements(fn func([]byte)) bool {
	if !s.eat('[') {
		return false
	}
	for !s.eat(']') {
		start := s.i
		if !s.skipValue() {
			return false
		}
		fn(s.b[start:s.i])
		if s.eat(',') && !s.eat(' ') {
			return false
		}
	}
	return true
}

// skipString moves past the string that starts at i.
func (s *textScan) skipString() bool {
	if !s.eat('"') {
		return false
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return true
		default:
			s.i++
		}
	}
	return false
}

// skipValue moves past the value that starts at i.
func (s *textScan) skipValue() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.i++
			if depth == 0 {
				return true
			}
		}
		return false
	}
	start := s.i
	for s.i < len(s.b) && s.b[s.i] != ',' && s.b[s.i] != '}' && s.b[s.i] != ']' {
		s.i++
	}
	return s.i > start
}
