package blockchain

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// StoredBlock is a block as the store keeps it: the exact bytes that are
// hashed, the hash they had when the block was accepted, and, for a block
// whose wire form is not the one derived from its preimage, those wire
// bytes. Checking a stored block is one SHA-256 over Preimage and a
// comparison of links, without decoding JSON.
//
// The slices of a StoredBlock handed to a callback (Chain.Scan, a
// BlockReader) point into memory that is reused or unmapped afterwards:
// copy what must outlive the call.
type StoredBlock struct {
	Height   int64
	Hash     [32]byte
	Preimage []byte
	// wire is the block's exact wire form when it differs from the one
	// AppendWire derives; nil for every block this node creates.
	wire []byte
}

// errStoredShape is why a stored value cannot even be split into its parts.
var errStoredShape = errors.New("shorter than its hash and preimage length")

// appendStored writes the value stored for b: its 32-byte hash, the length
// of its preimage as a uvarint, the preimage, then its wire bytes when
// WireJSON is not derived from the preimage.
func appendStored(dst []byte, b *Block) []byte {
	return append(appendStoredParts(dst, &b.hash, b.preimage), b.wire...)
}

func appendStoredParts(dst []byte, hash *[32]byte, preimage []byte) []byte {
	dst = append(dst, hash[:]...)
	dst = binary.AppendUvarint(dst, uint64(len(preimage)))
	return append(dst, preimage...)
}

// decodeStored splits a stored value; the slices point into v.
func decodeStored(height int64, v []byte) (StoredBlock, error) {
	sb := StoredBlock{Height: height}
	preimage, wire, err := splitStored(v)
	if err != nil {
		return sb, err
	}
	sb.Hash = [32]byte(v[:32])
	sb.Preimage, sb.wire = preimage, wire
	return sb, nil
}

// splitStored returns the preimage of the stored value v and the wire bytes
// after it (nil when there are none), both pointing into v; v's first 32
// bytes are the hash.
func splitStored(v []byte) (preimage, wire []byte, err error) {
	if len(v) < 33 {
		return nil, nil, errStoredShape
	}
	n, size := binary.Uvarint(v[32:])
	if size <= 0 || n > uint64(len(v)-32-size) {
		return nil, nil, errStoredShape
	}
	rest := v[32+size:]
	if len(rest) > int(n) {
		wire = rest[n:]
	}
	return rest[:n:n], wire, nil
}

// AppendWire appends the block as it is sent to peers and served by /chain
// (what Block.WireJSON gives for it).
func (sb *StoredBlock) AppendWire(dst []byte) []byte {
	if sb.wire != nil {
		return append(dst, sb.wire...)
	}
	return appendDerivedWire(dst, &sb.Hash, sb.Preimage)
}

// appendDerivedWire writes {"hash": "<hex>", ...the preimage's fields}: the
// canonical form with "hash", which sorts before every field of a block.
func appendDerivedWire(dst []byte, hash *[32]byte, preimage []byte) []byte {
	dst = append(dst, `{"hash": "`...)
	for _, c := range hash {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	dst = append(dst, '"')
	if len(preimage) > 2 {
		dst = append(dst, ", "...)
		return append(dst, preimage[1:]...)
	}
	return append(dst, '}')
}

// WireLen returns the length of AppendWire's output.
func (sb *StoredBlock) WireLen() int {
	if sb.wire != nil {
		return len(sb.wire)
	}
	return len(`{"hash": "", `) + 64 + len(sb.Preimage) - 1
}

// clone returns a copy that owns its bytes.
func (sb StoredBlock) clone() StoredBlock {
	sb.Preimage = bytes.Clone(sb.Preimage)
	if sb.wire != nil {
		sb.wire = bytes.Clone(sb.wire)
	}
	return sb
}

// Block decodes the stored block. The result claims the stored hash and
// keeps the stored preimage as its own, so that hashing it again checks the
// stored bytes themselves.
func (sb *StoredBlock) Block() (*Block, error) {
	b, err := ParseBlock(sb.Preimage)
	if err != nil {
		var mal *MalformedBlockError
		why := err.Error()
		if errors.As(err, &mal) {
			why = mal.Why
		}
		return nil, damaged(sb.Height, "stored value does not parse: "+why)
	}
	if !bytes.Equal(b.preimage, sb.Preimage) {
		// Bytes this package would not have written (a peer's block
		// encoded another way, or damage): the stored bytes are what
		// was hashed, so they stay the block's preimage.
		b.preimage = bytes.Clone(sb.Preimage)
		b.hash = sha256.Sum256(b.preimage)
	}
	if sb.wire != nil {
		b.wire = bytes.Clone(sb.wire)
	}
	b.setClaim(hexString(&sb.Hash))
	return b, nil
}

// readLink parses the start of a preimage written the way this package
// writes them ({"index": N, "nonce": N, "previous_hash": "<hex>", ...)
// without decoding it, and returns the index and the 64 hex digits of
// previous_hash; ok is false for any other shape, which the slow path then
// judges.
func readLink(p []byte) (index int64, prevHex []byte, ok bool) {
	const (
		pIndex = `{"index": `
		pNonce = `, "nonce": `
		pPrev  = `, "previous_hash": "`
	)
	if !bytes.HasPrefix(p, []byte(pIndex)) {
		return 0, nil, false
	}
	p = p[len(pIndex):]
	idx, n := leadingUint(p)
	if n == 0 || n > 18 || (n > 1 && p[0] == '0') {
		return 0, nil, false
	}
	p = p[n:]
	if !bytes.HasPrefix(p, []byte(pNonce)) {
		return 0, nil, false
	}
	p = p[len(pNonce):]
	if len(p) > 0 && p[0] == '-' {
		p = p[1:]
	}
	if _, n = leadingUint(p); n == 0 {
		return 0, nil, false
	}
	p = p[n:]
	if !bytes.HasPrefix(p, []byte(pPrev)) || len(p) < len(pPrev)+65 || p[len(pPrev)+64] != '"' {
		return 0, nil, false
	}
	return int64(idx), p[len(pPrev) : len(pPrev)+64], true
}

// leadingUint reads the decimal digits at the start of p (at most 19 are
// used) and returns their value and count.
func leadingUint(p []byte) (uint64, int) {
	var v uint64
	n := 0
	for n < len(p) && p[n] >= '0' && p[n] <= '9' {
		if n < 19 {
			v = v*10 + uint64(p[n]-'0')
		}
		n++
	}
	return v, n
}

// checkStored checks one stored block against the hash of the block before
// it (nil for the genesis) the fast way: one SHA-256 and the link read from
// the preimage. It returns false when the block breaks a rule or has a
// shape the fast way cannot judge; judgeStored then gives the verdict.
func checkStored(sb *StoredBlock, parent *[32]byte, difficulty int) bool {
	sum := sha256.Sum256(sb.Preimage)
	return checkStoredSum(sb, &sum, parent, difficulty)
}

// checkStoredSum is checkStored given the SHA-256 of the block's preimage.
func checkStoredSum(sb *StoredBlock, sum, parent *[32]byte, difficulty int) bool {
	if *sum != sb.Hash {
		return false
	}
	if parent == nil {
		return sb.Height == 0 && hexString(sum) == GenesisHash
	}
	return linkPasses(sb.Height, sb.Preimage, sum, parent, difficulty)
}

// linkPasses is the fast check of a block that is not the genesis, stored
// at height with the given preimage whose SHA-256 is sum (and matches the
// stored hash): the work, and the index and link read from the preimage.
func linkPasses(height int64, preimage []byte, sum, parent *[32]byte, difficulty int) bool {
	if !MeetsDifficulty(sum, difficulty) {
		return false
	}
	index, prevHex, ok := readLink(preimage)
	return ok && index == height && hexEquals(prevHex, parent)
}

// judgeStored returns the verdict on a stored block that checkStored did
// not pass, decoding it: the same RuleError validating the chain in memory
// gives, or nil when the block is valid after all (a shape the fast way
// does not read). parent is the hash of the block before it (nil for the
// genesis).
func judgeStored(sb *StoredBlock, parent *[32]byte, difficulty int) error {
	b, err := sb.Block()
	if err != nil {
		return err
	}
	if b.index != sb.Height {
		return damaged(sb.Height, fmt.Sprintf("stored at height %d but its index is %d", sb.Height, b.index))
	}
	if parent == nil {
		return CheckGenesis(b)
	}
	p := &Block{index: sb.Height - 1, hash: *parent}
	return CheckLink(p, b, difficulty)
}
