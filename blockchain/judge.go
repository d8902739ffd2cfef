package blockchain

import (
	"fmt"
)

// Judge returns why b cannot stand after parent in a peer's chain, judged
// exactly as the seed's Python nodes judge it (chain_error and block_error
// of the tutorial's reference node), or nil when it can. parent nil means b
// is the chain's first block, which must be the genesis. A chain is judged
// by calling Judge on each block with the one before it, in order; the
// first error is the chain's verdict, as it is Python's.
//
// b comes from BlockFromValue, ParseBlock or JudgeJSON, which read values
// as Python's json.loads does; Judge itself is cheap (one SHA-256) and safe
// for concurrent use on distinct or shared blocks.
func Judge(parent, b *Block, difficulty int) error {
	if parent == nil {
		return CheckGenesis(b)
	}
	if !b.hasClaimed {
		return &MalformedBlockError{Index: b.index, Why: `missing field "hash"`}
	}
	return CheckLink(parent, b, difficulty)
}

// JudgeJSON reads one block of a peer's chain from its JSON text, as Python
// reads it, and judges it after parent (nil for the chain's first block).
// It returns the block whenever the text is a block at all, even one judged
// invalid, so that a reader reporting every problem can judge the next block
// against it; the block is nil when raw is not a block (the error is then a
// *MalformedBlockError). It is the step of a streaming reader: the chain is
// valid when every block passes and the whole text is JSON Python reads.
func JudgeJSON(parent *Block, raw []byte, difficulty int) (*Block, error) {
	b, err := ParseBlock(raw)
	if err != nil {
		return nil, err
	}
	return b, Judge(parent, b, difficulty)
}

// NotAChainError reports a text that holds no chain to judge: JSON Python
// cannot read (an integer over 4,300 digits, NaN spelt nan, ...), or a value
// without a non-empty list of blocks. The seed's nodes find no chain there
// either.
type NotAChainError struct {
	Why string
	Err error // the *SyntaxError, when the text is not JSON Python reads
}

func (e *NotAChainError) Error() string {
	if e.Err != nil {
		return "not a chain: " + e.Why + ": " + e.Err.Error()
	}
	return "not a chain: " + e.Why
}

func (e *NotAChainError) Unwrap() error { return e.Err }

// EntryError reports an entry of a chain's list that is not a block at all
// (not an object, a field missing, transactions not a list); Position is
// its place in the list, Err the *MalformedBlockError.
type EntryError struct {
	Position int
	Err      error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("chain[%d]: %v", e.Position, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// BlockIndex implements RuleError: the entry's position in the list.
func (e *EntryError) BlockIndex() int64 { return int64(e.Position) }

// ChainDump is a chain as a node serves it at GET /chain (also the answer
// to /register_node) or as a file holds it, read and judged.
type ChainDump struct {
	// Blocks are the chain's entries in order; an entry that is not a
	// block at all is nil (Problems says why).
	Blocks []*Block
	// Peers are the strings of the "peers" list, as sent.
	Peers []string
	// Length is the "length" field as read, nil when there is none. It plays
	// no part in validity (see LengthAgrees).
	Length any
	// Problems holds every violation in chain order: an *EntryError for an
	// entry that is no block, a RuleError for a block the rules refuse
	// (judged against the entry before it, or on its own after one that is
	// no block). Empty means the chain is valid.
	Problems []error
}

// Err returns the chain's verdict: nil when valid, else its first problem,
// the one the seed's chain_error reports.
func (d *ChainDump) Err() error {
	if len(d.Problems) == 0 {
		return nil
	}
	return d.Problems[0]
}

// LengthAgrees reports whether the "length" field, when there is one, equals
// the number of blocks under Python's equality (so 3.0 agrees with 3).
func (d *ChainDump) LengthAgrees() bool {
	if d.Length == nil {
		return true
	}
	n, ok := pythonInt(d.Length)
	return ok && n == int64(len(d.Blocks))
}

// ParseChainDump reads a chain dump, {"length", "chain", "peers"} or a bare
// list of blocks, as Python's json.loads reads it, and judges every block as
// the seed's chain_error does. It is the one judgement of what peers hold:
// verify, registration, consensus rounds and the store's check all use it or
// Judge. It returns a *NotAChainError when data holds no chain at all;
// otherwise the dump, whose Err is the verdict.
func ParseChainDump(data []byte, difficulty int) (*ChainDump, error) {
	v, err := DecodePython(data)
	if err != nil {
		return nil, &NotAChainError{Why: "Python cannot read the text", Err: err}
	}
	d := &ChainDump{}
	var list []any
	switch doc := v.(type) {
	case []any:
		list = doc
	case map[string]any:
		l, ok := doc["chain"].([]any)
		if !ok {
			return nil, &NotAChainError{Why: fmt.Sprintf(`"chain" must be a list of blocks, not %s`, kindOf(doc["chain"]))}
		}
		list = l
		d.Length = doc["length"]
		if ps, ok := doc["peers"].([]any); ok {
			for _, p := range ps {
				if s, ok := p.(string); ok {
					d.Peers = append(d.Peers, s)
				}
			}
		}
	default:
		return nil, &NotAChainError{Why: fmt.Sprintf(`want an object with a "chain" list or a list of blocks, not %s`, kindOf(v))}
	}
	if len(list) == 0 {
		return nil, &NotAChainError{Why: "the chain is empty: it must start with the genesis block"}
	}
	d.Blocks = make([]*Block, len(list))
	for i, item := range list {
		b, err := BlockFromValue(item)
		if err != nil {
			d.Problems = append(d.Problems, &EntryError{Position: i, Err: err})
			continue
		}
		d.Blocks[i] = b
		if err := judgeAt(d.Blocks, i, difficulty); err != nil {
			d.Problems = append(d.Problems, err)
		}
	}
	return d, nil
}

// judgeAt judges blocks[i] after the entry before it; after an entry that is
// no block, on its own (its claimed hash, its proof of work).
func judgeAt(blocks []*Block, i int, difficulty int) error {
	b := blocks[i]
	switch {
	case i == 0:
		return Judge(nil, b, difficulty)
	case blocks[i-1] != nil:
		return Judge(blocks[i-1], b, difficulty)
	case !b.hasClaimed:
		return &MalformedBlockError{Index: b.index, Why: `missing field "hash"`}
	default:
		return CheckBlock(b, difficulty)
	}
}
