package blockchain

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxBlockBytes bounds the text of one block read from a peer or a dump:
// far beyond any block a node accepts transactions for, yet a bound, where
// a whole chain has none.
const MaxBlockBytes = 16 << 20

// dumpReadSize is how much a DumpScanner asks its reader for at a time.
const dumpReadSize = 256 << 10

// DumpScanner reads a chain dump, {"length", "chain", "peers"} (the /chain
// answer) or a bare list of blocks, from a stream and hands out each
// block's JSON text as it arrives, so that a chain of any length is checked
// in memory bounded by its largest block. It finds where values begin and
// end; judging a block's text (Decode, ParseBlock) is the caller's.
//
// A top-level object may hold other fields before and after "chain"; their
// text is kept (each bounded like a block) for Field. A second "chain"
// field is refused rather than read as Python would (the last one wins):
// the blocks of the first are gone by then.
//
// A DumpScanner is not safe for concurrent use.
type DumpScanner struct {
	src      io.Reader
	buf      []byte
	pos, end int   // unread text is buf[pos:end]
	consumed int64 // bytes dropped from buf before buf[0], for offsets
	srcErr   error // the reader's error (io.EOF at the end), once seen
	maxValue int

	state     scanState
	inObject  bool
	chainSeen bool
	blocks    int // blocks handed out
	fields    map[string][]byte
	names     []string // fields in the order read
}

type scanState int

const (
	scanStart scanState = iota
	scanFirstBlock
	scanNextBlock
	scanDone
)

// DumpError reports a dump that is not one: bad JSON or the wrong shape,
// at a byte offset.
type DumpError struct {
	Offset int64
	Why    string
}

func (e *DumpError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.Why, e.Offset) }

// invalidJSON words a text Python's json.loads refuses.
func invalidJSON(why string) string { return "Python cannot read the text: invalid JSON: " + why }

// kindAt names the kind of the JSON value starting with c.
func kindAt(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// NewDumpScanner returns a scanner reading a dump from r. maxBlock bounds
// one block's text (and one other field's); 0 means MaxBlockBytes.
func NewDumpScanner(r io.Reader, maxBlock int) *DumpScanner {
	if maxBlock <= 0 {
		maxBlock = MaxBlockBytes
	}
	return &DumpScanner{src: r, buf: make([]byte, 0, dumpReadSize), maxValue: maxBlock, fields: map[string][]byte{}}
}

// Blocks returns how many blocks Next has handed out.
func (s *DumpScanner) Blocks() int { return s.blocks }

// Field returns the text of a top-level field other than "chain" read so
// far, or nil. Fields written after the chain ("peers" in the /chain
// answer) are known once Next has returned io.EOF.
func (s *DumpScanner) Field(name string) []byte { return s.fields[name] }

// FieldNames returns the names of the top-level fields other than "chain"
// read so far, in the order first read.
func (s *DumpScanner) FieldNames() []string { return s.names }

// Next returns the text of the next block of the chain list, valid until
// the next call. It returns io.EOF once the list and the whole document
// have ended cleanly; a dump that is not one comes back as a *DumpError, a
// failing reader's error as it is.
func (s *DumpScanner) Next() ([]byte, error) {
	for {
		switch s.state {
		case scanStart:
			if err := s.start(); err != nil {
				return nil, err
			}
		case scanFirstBlock, scanNextBlock:
			return s.nextBlock()
		default:
			return nil, io.EOF
		}
	}
}

// start reads up to the chain list's first element.
func (s *DumpScanner) start() error {
	// Python's reader of an HTTP answer skips a byte order mark.
	if err := s.skipBOM(); err != nil {
		return err
	}
	c, err := s.peekNonSpace()
	if err != nil {
		return s.wantMore(err, invalidJSON("the text is empty"))
	}
	switch c {
	case '[':
		s.pos++
		s.state = scanFirstBlock
		return nil
	case '{':
		s.pos++
		s.inObject = true
		return s.objectUntilChain(true)
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n', 'N', 'I':
		return s.fail(`want an object with a "chain" list or a list of blocks, not ` + kindAt(c))
	}
	return s.fail(invalidJSON(fmt.Sprintf("unexpected %q", c)))
}

// skipBOM skips a UTF-8 byte order mark at the start.
func (s *DumpScanner) skipBOM() error {
	for s.end-s.pos < 3 && s.srcErr == nil {
		if err := s.more(s.end - s.pos); err != nil && err != io.EOF {
			return err
		}
	}
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\xef\xbb\xbf")) {
		s.pos += 3
	}
	return nil
}

// noChain says that a dump's object has no "chain" field.
const noChain = `"chain" must be a list of blocks; the dump has no "chain" field`

// objectUntilChain reads the top-level object's fields until "chain"'s
// list opens, or until the object ends (an error: no chain).
func (s *DumpScanner) objectUntilChain(first bool) error {
	for {
		c, err := s.peekNonSpace()
		if err != nil {
			return s.wantMore(err, invalidJSON("the dump ends inside its object"))
		}
		if c == '}' && first {
			return s.fail(noChain)
		}
		if !first {
			if c == '}' {
				s.pos++
				if !s.chainSeen {
					return s.fail(noChain)
				}
				return s.finish()
			}
			if c != ',' {
				return s.fail(invalidJSON("want , or } between the dump's fields"))
			}
			s.pos++
		}
		first = false
		key, err := s.key()
		if err != nil {
			return err
		}
		if key != "chain" {
			text, err := s.value()
			if err != nil {
				return err
			}
			// Python reads the whole text or none of it: a field it cannot
			// read makes the dump no chain, whatever the blocks are.
			if _, err := DecodePython(text); err != nil {
				return s.fail(fmt.Sprintf("field %q is not JSON Python reads: %v", key, err))
			}
			if _, seen := s.fields[key]; !seen {
				s.names = append(s.names, key)
			}
			s.fields[key] = bytes.Clone(text)
			continue
		}
		if s.chainSeen {
			return s.fail(`the dump has two "chain" fields`)
		}
		s.chainSeen = true
		c, err = s.peekNonSpace()
		if err != nil {
			return s.wantMore(err, invalidJSON("the dump ends after \"chain\""))
		}
		if c != '[' {
			return s.fail(`"chain" must be a list of blocks, not ` + kindAt(c))
		}
		s.pos++
		s.state = scanFirstBlock
		return nil
	}
}

// key reads a field name and its colon.
func (s *DumpScanner) key() (string, error) {
	c, err := s.peekNonSpace()
	if err != nil {
		return "", s.wantMore(err, invalidJSON("the dump ends inside its object"))
	}
	if c != '"' {
		return "", s.fail(invalidJSON("want a field name in quotes"))
	}
	text, err := s.value()
	if err != nil {
		return "", err
	}
	v, err := DecodePython(text)
	if err != nil {
		return "", s.fail(invalidJSON("bad field name: " + err.Error()))
	}
	key, _ := v.(string)
	if c, err = s.peekNonSpace(); err != nil || c != ':' {
		return "", s.wantMore(err, invalidJSON("want : after a field name"))
	}
	s.pos++
	return key, nil
}

// nextBlock returns the chain list's next element, or ends the list.
func (s *DumpScanner) nextBlock() ([]byte, error) {
	c, err := s.peekNonSpace()
	if err != nil {
		return nil, s.wantMore(err, invalidJSON("the dump ends inside the chain list"))
	}
	if c == ']' {
		s.pos++
		if err := s.afterChain(); err != nil {
			return nil, err
		}
		return nil, io.EOF
	}
	if s.state == scanNextBlock {
		if c != ',' {
			return nil, s.fail(invalidJSON("want , or ] after a block"))
		}
		s.pos++
	}
	s.state = scanNextBlock
	text, err := s.value()
	if err != nil {
		return nil, err
	}
	s.blocks++
	return text, nil
}

// afterChain reads the rest of the document once the chain list closed.
func (s *DumpScanner) afterChain() error {
	if s.inObject {
		return s.objectUntilChain(false)
	}
	return s.finish()
}

// finish checks that nothing but white space follows the document.
func (s *DumpScanner) finish() error {
	s.state = scanDone
	if _, err := s.peekNonSpace(); err == nil {
		return s.fail(invalidJSON("text after the end of the dump"))
	} else if err != io.EOF {
		return err
	}
	return nil
}

// value reads one JSON value's text (not checking it) and returns it,
// valid until the next read.
func (s *DumpScanner) value() ([]byte, error) {
	c, err := s.peekNonSpace()
	if err != nil {
		return nil, s.wantMore(err, invalidJSON("the dump ends where a value should be"))
	}
	if c == '"' {
		n, err := s.stringEnd(1)
		if err != nil {
			return nil, err
		}
		return s.take(n)
	}
	container := c == '[' || c == '{'
	i, depth := 0, 0 // i: offset from s.pos
	for {
		if s.pos+i == s.end {
			if err := s.more(i); err != nil {
				return nil, s.wantMore(err, invalidJSON("the dump ends inside a value"))
			}
			continue
		}
		c := s.buf[s.pos+i]
		switch {
		case !container:
			if c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t' {
				return s.take(i)
			}
			i++
		case c == '"':
			n, err := s.stringEnd(i + 1)
			if err != nil {
				return nil, err
			}
			i = n
		case c == '[' || c == '{':
			depth++
			i++
		case c == ']' || c == '}':
			depth--
			i++
			if depth == 0 {
				return s.take(i)
			}
		default:
			i++
		}
	}
}

// stringEnd returns the offset just past the string whose text starts at
// offset start (after its opening quote).
func (s *DumpScanner) stringEnd(start int) (int, error) {
	i := start
	for {
		q := bytes.IndexByte(s.buf[s.pos+i:s.end], '"')
		if q < 0 {
			i = s.end - s.pos
			if err := s.more(i); err != nil {
				return 0, s.wantMore(err, invalidJSON("the dump ends inside a string"))
			}
			continue
		}
		i += q
		// The quote ends the string unless an odd run of backslashes
		// escapes it.
		bs := 0
		for j := s.pos + i - 1; j >= s.pos+start && s.buf[j] == '\\'; j-- {
			bs++
		}
		i++
		if bs%2 == 0 {
			return i, nil
		}
	}
}

// take returns the n bytes at s.pos and moves past them.
func (s *DumpScanner) take(n int) ([]byte, error) {
	if n > s.maxValue {
		return nil, s.fail(fmt.Sprintf("a value is larger than the limit of %d bytes", s.maxValue))
	}
	text := s.buf[s.pos : s.pos+n]
	s.pos += n
	return text, nil
}

// peekNonSpace skips white space and returns the next byte, unread.
func (s *DumpScanner) peekNonSpace() (byte, error) {
	for {
		for s.pos < s.end {
			switch c := s.buf[s.pos]; c {
			case ' ', '\n', '\r', '\t':
				s.pos++
			default:
				return c, nil
			}
		}
		if err := s.more(0); err != nil {
			return 0, err
		}
	}
}

// more reads more text after the have bytes from s.pos on, which it keeps
// (moving them to the front of the buffer). It fails beyond maxValue.
func (s *DumpScanner) more(have int) error {
	if s.srcErr != nil {
		return s.srcErr
	}
	if have > s.maxValue {
		return s.fail(fmt.Sprintf("a value is larger than the limit of %d bytes", s.maxValue))
	}
	if s.pos > 0 {
		n := copy(s.buf[:cap(s.buf)], s.buf[s.pos:s.end])
		s.consumed += int64(s.pos)
		s.pos, s.end = 0, n
		s.buf = s.buf[:n]
	}
	if cap(s.buf)-s.end < dumpReadSize/2 {
		grown := make([]byte, s.end, 2*cap(s.buf))
		copy(grown, s.buf[:s.end])
		s.buf = grown
	}
	n, err := s.src.Read(s.buf[s.end:cap(s.buf)])
	s.end += n
	s.buf = s.buf[:s.end]
	if err != nil {
		s.srcErr = err
		if n > 0 {
			return nil
		}
		return err
	}
	return nil
}

// wantMore turns the end of the text into a DumpError saying why, and
// passes a reader's failure through.
func (s *DumpScanner) wantMore(err error, why string) error {
	if err == nil || errors.Is(err, io.EOF) {
		return s.fail(why)
	}
	return err
}

func (s *DumpScanner) fail(why string) error {
	return &DumpError{Offset: s.consumed + int64(s.pos), Why: why}
}
