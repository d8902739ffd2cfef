package blockchain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// GenesisHash is the hash of the seed's genesis block, shared by every node
// of the tutorial's network.
const GenesisHash = "6dbf23122cb5046cc5c0c1b245c75f8e43c59ca8ffeac292715e5078e631d0c9"

// Block is one block of the seed's chain: the five hashed fields and the
// canonical bytes they hash to. A Block is immutable once built (by NewBlock,
// ParseBlock or a With method), so its preimage and hash are computed once;
// it is safe to share between goroutines.
type Block struct {
	index        int64
	transactions []any
	timestamp    any
	previousHash string
	nonce        int64

	preimage []byte   // canonical JSON of the five fields
	hash     [32]byte // sha256(preimage)

	// claimed is the "hash" field the block arrived with, when it had one;
	// claimedRaw is its digest when it is 64 lowercase hex digits.
	claimed    string
	hasClaimed bool
	claimedOK  bool
	claimedRaw [32]byte

	// prevRaw is previous_hash decoded, when it is 64 lowercase hex digits.
	// Validation compares digests kept inside the Block, so checking a long
	// chain touches no memory beyond what hashing it touches.
	prevOK  bool
	prevRaw [32]byte

	// wire is the block's exact wire form when it is not the one WireJSON
	// derives from the preimage (kept byte for byte by the store); nil for
	// every block built here.
	wire []byte

	// odd keeps what a peer's block held that the typed fields above cannot:
	// nil for every block built here and for almost every block read.
	odd *oddFields
}

// oddFields are a peer's block's values with no int64 or string form, kept
// as read so that the block hashes as Python hashes it.
type oddFields struct {
	// index, nonce and previousHash are the values as read when the typed
	// field cannot hold them (an index 1.0 or true, a float nonce or one
	// past 2^63, a previous_hash that is not a string); nil otherwise.
	index, nonce, previousHash any
	// noIndex says the index equals no int64 under Python's equality (a
	// string, 1.5, NaN, 10**30): no chain position can match it.
	noIndex bool
	// claimNotString says the "hash" field was not a string.
	claimNotString bool
	// extra names fields beyond the six, which the hash ignores but the
	// genesis (compared whole) may not have.
	extra []string
}

// setClaim records the "hash" field a block claims.
func (b *Block) setClaim(h string) {
	b.claimed, b.hasClaimed = h, true
	b.claimedRaw, b.claimedOK = decodeLowerHex(h)
}

// decodeLowerHex decodes a hex SHA-256 digest as Python's hexdigest writes
// it (lowercase); the seed compares such strings exactly, so "ABC…" differs.
func decodeLowerHex(h string) (sum [32]byte, ok bool) {
	if len(h) != 64 {
		return sum, false
	}
	for i := 0; i < 32; i++ {
		hi, ok1 := lowerHexNibble(h[2*i])
		lo, ok2 := lowerHexNibble(h[2*i+1])
		if !ok1 || !ok2 {
			return [32]byte{}, false
		}
		sum[i] = hi<<4 | lo
	}
	return sum, true
}

func lowerHexNibble(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// NewBlock builds a block from its fields. transactions and timestamp must be
// decoded JSON values (see Decode); timestamp is usually a float64 (seconds,
// as Python's time.time()) or an Int.
func NewBlock(index int64, transactions []any, timestamp any, previousHash string, nonce int64) (*Block, error) {
	return newBlockSized(index, transactions, timestamp, previousHash, nonce, 0)
}

// newBlockSized is NewBlock encoding into a buffer of sizeHint bytes, so
// that a large block is not copied over and over as its preimage grows.
func newBlockSized(index int64, transactions []any, timestamp any, previousHash string, nonce int64, sizeHint int) (*Block, error) {
	if transactions == nil {
		transactions = []any{}
	}
	b := &Block{index: index, transactions: transactions, timestamp: timestamp, previousHash: previousHash, nonce: nonce}
	if sizeHint > 0 {
		b.preimage = make([]byte, 0, sizeHint)
	}
	if err := b.seal(); err != nil {
		return nil, err
	}
	return b, nil
}

// Genesis returns the seed's genesis block: index 0, no transactions,
// integer timestamp 0, previous_hash "0", nonce 0, not mined.
func Genesis() *Block {
	b, err := NewBlock(0, nil, Int("0"), "0", 0)
	if err != nil {
		// The genesis is a constant; failing to encode it is a bug in this package.
		panic("blockchain: genesis does not encode: " + err.Error())
	}
	b.setClaim(b.Hash())
	return b
}

func (b *Block) seal() error {
	var err error
	b.preimage, err = b.appendPreimage(b.preimage[:0], b.nonce)
	if err != nil {
		return &MalformedBlockError{Index: b.index, Why: err.Error()}
	}
	b.hash = sha256.Sum256(b.preimage)
	b.prevRaw, b.prevOK = decodeLowerHex(b.previousHash)
	return nil
}

// appendPreimage writes the canonical JSON of the five fields with the given
// nonce. Keys in code-point order: index, nonce, previous_hash, timestamp,
// transactions.
// Every value is written as Python's json.dumps writes it, NaN and lone
// surrogates included: a peer's block hashes as the seed's nodes hash it.
func (b *Block) appendPreimage(dst []byte, nonce int64) ([]byte, error) {
	var index, nonceV, prev any
	if b.odd != nil {
		index, nonceV, prev = b.odd.index, b.odd.nonce, b.odd.previousHash
	}
	var err error
	dst = append(dst, `{"index": `...)
	if dst, err = appendIntOr(dst, b.index, index); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	dst = append(dst, `, "nonce": `...)
	if dst, err = appendIntOr(dst, nonce, nonceV); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	dst = append(dst, `, "previous_hash": `...)
	if prev != nil {
		dst, err = AppendPython(dst, prev)
	} else {
		dst, err = appendString(dst, b.previousHash, true)
	}
	if err != nil {
		return nil, fmt.Errorf("previous_hash: %w", err)
	}
	dst = append(dst, `, "timestamp": `...)
	if dst, err = AppendPython(dst, b.timestamp); err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	dst = append(dst, `, "transactions": `...)
	if dst, err = AppendPython(dst, b.transactions); err != nil {
		return nil, fmt.Errorf("transactions: %w", err)
	}
	return append(dst, '}'), nil
}

// appendIntOr writes odd when a peer's block had a value there that n
// cannot hold, else n.
func appendIntOr(dst []byte, n int64, odd any) ([]byte, error) {
	if odd != nil {
		return AppendPython(dst, odd)
	}
	return strconv.AppendInt(dst, n, 10), nil
}

// Index returns the block's height: its index field's value under Python's
// equality (1.0 and true are 1), or -1 when that is no integer.
func (b *Block) Index() int64 { return b.index }

// IndexValue returns the index field as read (an Int for blocks built here).
func (b *Block) IndexValue() any {
	if b.odd != nil && b.odd.index != nil {
		return b.odd.index
	}
	return IntOf(b.index)
}

// NonceValue returns the nonce field as read (an Int for blocks built here;
// a peer's may be a float, an integer past 64 bits or any other value).
func (b *Block) NonceValue() any {
	if b.odd != nil && b.odd.nonce != nil {
		return b.odd.nonce
	}
	return IntOf(b.nonce)
}

// PreviousHashValue returns the previous_hash field as read.
func (b *Block) PreviousHashValue() any {
	if b.odd != nil && b.odd.previousHash != nil {
		return b.odd.previousHash
	}
	return b.previousHash
}

// ExtraFields names the fields a peer's block had beyond the six, which no
// hash covers and which are not kept.
func (b *Block) ExtraFields() []string {
	if b.odd == nil {
		return nil
	}
	return b.odd.extra
}

// Transactions returns the block's transactions. The slice and its values
// must not be modified.
func (b *Block) Transactions() []any { return b.transactions }

// Timestamp returns the block's timestamp as a decoded JSON value.
func (b *Block) Timestamp() any { return b.timestamp }

// Seconds returns the timestamp as seconds since the epoch, and false when
// it is not a number.
func (b *Block) Seconds() (float64, bool) { return numberValue(b.timestamp) }

// PreviousHash returns the previous_hash field.
func (b *Block) PreviousHash() string { return b.previousHash }

// Nonce returns the block's nonce, 0 when it has no int64 form (see
// NonceValue).
func (b *Block) Nonce() int64 { return b.nonce }

// Preimage returns the exact canonical bytes that are hashed (what Python's
// json.dumps(block.__dict__, sort_keys=True) gives). It must not be modified.
func (b *Block) Preimage() []byte { return b.preimage }

// Hash returns the hex SHA-256 of the block's preimage.
func (b *Block) Hash() string { return hex.EncodeToString(b.hash[:]) }

// HashBytes returns the raw SHA-256 of the block's preimage.
func (b *Block) HashBytes() [32]byte { return b.hash }

// ClaimedHash returns the "hash" field the block arrived with and whether it
// had one. A block built here claims its own hash.
func (b *Block) ClaimedHash() (string, bool) {
	if !b.hasClaimed {
		return b.Hash(), false
	}
	return b.claimed, true
}

// Sealed returns the block claiming its own computed hash, as a block this
// node mined or accepted is stored and sent.
func (b *Block) Sealed() *Block {
	c := *b
	c.setClaim(b.Hash())
	return &c
}

// WithNonce returns a copy of the block with another nonce, rehashed and
// claiming its new hash.
func (b *Block) WithNonce(nonce int64) *Block {
	c := *b
	c.nonce = nonce
	c.wire = nil
	if b.odd != nil && b.odd.nonce != nil {
		odd := *b.odd
		odd.nonce = nil
		c.odd = &odd
		if err := c.seal(); err != nil {
			return b // cannot happen: b's other fields encoded already
		}
		c.setClaim(c.Hash())
		return &c
	}
	// The other fields are encoded already: splice in the new digits.
	prefix, suffix := b.NonceSplit()
	c.preimage = make([]byte, 0, len(b.preimage)+20)
	c.preimage = append(strconv.AppendInt(append(c.preimage, prefix...), nonce, 10), suffix...)
	c.hash = sha256.Sum256(c.preimage)
	c.setClaim(c.Hash())
	return &c
}

// NonceSplit returns the preimage bytes before and after the nonce digits:
// preimage(n) = prefix + decimal(n) + suffix. Miners build these once and
// write only the digits per attempt.
func (b *Block) NonceSplit() (prefix, suffix []byte) {
	p := make([]byte, 0, 32)
	p = append(p, `{"index": `...)
	p, _ = appendIntOr(p, b.index, b.IndexValue())
	p = append(p, `, "nonce": `...)
	nonce, _ := appendIntOr(nil, b.nonce, b.NonceValue())
	return p, b.preimage[len(p)+len(nonce):]
}

// Map returns the block as a decoded JSON object with its "hash", as it is
// sent on the wire and served by /chain.
func (b *Block) Map() map[string]any {
	h, _ := b.ClaimedHash()
	return map[string]any{
		"index":         b.IndexValue(),
		"transactions":  b.transactions,
		"timestamp":     b.timestamp,
		"previous_hash": b.PreviousHashValue(),
		"nonce":         b.NonceValue(),
		"hash":          h,
	}
}

// WireJSON returns the block with its hash as canonical JSON (sorted keys,
// the seed's separators), the form sent to peers and served by /chain.
func (b *Block) WireJSON() []byte {
	if b.wire != nil {
		return b.wire
	}
	h, _ := b.ClaimedHash()
	// "hash" sorts before "index": {"hash": ..., "index": ... rest of preimage.
	out := make([]byte, 0, len(b.preimage)+80)
	out = append(out, `{"hash": `...)
	out, _ = appendString(out, h, true)
	out = append(out, ", "...)
	return append(out, b.preimage[1:]...)
}

// ParseBlock reads a block from JSON text with the five fields and, when
// present, "hash", as Python's json.loads reads it (see DecodePython). It
// checks the block's shape, not the chain rules: see Judge.
func ParseBlock(data []byte) (*Block, error) {
	v, err := DecodePython(data)
	if err != nil {
		return nil, &MalformedBlockError{Index: -1, Why: err.Error()}
	}
	return BlockFromValue(v)
}

// blockFields are the five hashed fields, in the seed's order.
var blockFields = [...]string{"index", "transactions", "timestamp", "previous_hash", "nonce"}

// BlockFromValue builds a block from a decoded JSON object (from Decode or
// DecodePython), keeping every value as read so that it hashes as Python
// hashes it. It fails as the seed's block_error does first: a value that is
// not an object, a missing field, transactions that are not a list. Any
// other oddity (an index 1.0, a float nonce, a previous_hash that is not a
// string, a "hash" that is not one) makes a block that the chain rules, not
// this function, find valid or not.
func BlockFromValue(v any) (*Block, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &MalformedBlockError{Index: -1, Why: fmt.Sprintf("a block must be a JSON object, not %s", kindOf(v))}
	}
	for _, f := range blockFields {
		if _, ok := obj[f]; !ok {
			return nil, &MalformedBlockError{Index: indexHint(obj), Why: fmt.Sprintf("missing field %q", f)}
		}
	}
	idx, idxOK := pythonInt(obj["index"])
	if !idxOK {
		idx = -1
	}
	txs, ok := obj["transactions"].([]any)
	if !ok {
		return nil, &MalformedBlockError{Index: idx, Why: fmt.Sprintf("transactions must be a list, not %s", kindOf(obj["transactions"]))}
	}
	for i, tx := range txs {
		// A block and a /chain answer wrap a transaction in four levels;
		// deeper, the chain could not be read back.
		if d := Depth(tx); d > maxDepth-4 {
			return nil, &MalformedBlockError{Index: idx, Why: fmt.Sprintf("transaction %d nests %d levels deep, more than a chain can carry (%d)", i, d, maxDepth-4)}
		}
	}
	b := &Block{index: idx, transactions: txs, timestamp: obj["timestamp"]}
	b.odd = oddOf(obj, idxOK)
	b.previousHash, _ = obj["previous_hash"].(string)
	if n, ok := obj["nonce"].(Int); ok {
		b.nonce, _ = n.Int64()
	}
	if err := b.seal(); err != nil {
		return nil, err
	}
	if h, present := obj["hash"]; present {
		s, ok := h.(string)
		if !ok {
			text, _ := AppendPython(nil, h)
			s = string(text)
			b.odd = b.oddOrNew()
			b.odd.claimNotString = true
		}
		b.setClaim(s)
		b.claimedOK = b.claimedOK && ok
	}
	return b, nil
}

// oddOf returns what obj holds beyond the typed fields' reach, or nil.
func oddOf(obj map[string]any, idxOK bool) *oddFields {
	var odd oddFields
	found := false
	if iv, ok := obj["index"].(Int); !ok || !fitsInt64(iv) {
		odd.index, odd.noIndex, found = obj["index"], !idxOK, true
	}
	if n, ok := obj["nonce"].(Int); !ok || !fitsInt64(n) {
		odd.nonce, found = obj["nonce"], true
	}
	if _, ok := obj["previous_hash"].(string); !ok {
		odd.previousHash, found = obj["previous_hash"], true
	}
	known := len(blockFields)
	if hasKey(obj, "hash") {
		known++
	}
	if len(obj) > known {
		for k := range obj {
			if k != "hash" && !slices.Contains(blockFields[:], k) {
				odd.extra = append(odd.extra, k)
			}
		}
		slices.Sort(odd.extra)
		found = true
	}
	if !found {
		return nil
	}
	return &odd
}

func hasKey(obj map[string]any, k string) bool {
	_, ok := obj[k]
	return ok
}

func fitsInt64(n Int) bool {
	_, ok := n.Int64()
	return ok
}

func (b *Block) oddOrNew() *oddFields {
	if b.odd == nil {
		return &oddFields{}
	}
	return b.odd
}

// pythonInt returns the int64 that v equals under Python's equality, where
// 1 == 1.0 == True: an integer, an integral float or a boolean.
func pythonInt(v any) (int64, bool) {
	switch x := v.(type) {
	case Int:
		return x.Int64()
	case float64:
		if x != math.Trunc(x) || x < -(1<<63) || x >= 1<<63 {
			return 0, false // NaN and the infinities too
		}
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func indexHint(obj map[string]any) int64 {
	if i, ok := pythonInt(obj["index"]); ok {
		return i
	}
	return -1
}

func numberValue(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	case Int:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	}
	return 0, false
}

// kindOf names a decoded value's JSON kind for error messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case Int:
		return "an integer"
	case float64:
		return "a float"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
