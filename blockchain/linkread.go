package blockchain

import (
	"encoding/binary"
	"math/bits"
)

// The fixed parts of the start of a preimage as this package writes it:
// {"index": N, "nonce": N, "previous_hash": "<64 hex digits>", ...
const (
	linkIndex = `{"index": `
	linkNonce = `, "nonce": `
	linkPrev  = `, "previous_hash": "`
)

// Those parts as little-endian words, compared a word at a time: the
// nonce's prefix as its first eight bytes and its last four, the previous
// hash's as two words and its last four bytes.
var (
	linkIndexWord, linkIndexTail = le64(linkIndex), uint64(binary.LittleEndian.Uint16([]byte(linkIndex[8:])))
	linkNonceWord, linkNonceTail = le64(linkNonce), uint64(binary.LittleEndian.Uint32([]byte(linkNonce[7:])))
	linkPrevWord0, linkPrevWord1 = le64(linkPrev), le64(linkPrev[8:])
	linkPrevTail                 = uint64(binary.LittleEndian.Uint32([]byte(linkPrev[16:])))
)

func le64(s string) uint64 { return binary.LittleEndian.Uint64([]byte(s)) }

// readLink parses the start of a preimage written the way this package
// writes them ({"index": N, "nonce": N, "previous_hash": "<hex>", ...)
// without decoding it, and returns the index and the 64 hex digits of
// previous_hash; ok is false for any other shape, which the slow path then
// judges. The check of a stored chain reads every block's link this way:
// it compares the fixed parts a word at a time and measures the nonce's
// digits eight at a time (digitRun), where comparing bytes and a loop that
// ends at an unpredictable length (the nonce's) cost more than the rest.
func readLink(p []byte) (index int64, prevHex []byte, ok bool) {
	// The shortest link: one digit of index, one of nonce.
	const least = len(linkIndex) + 1 + len(linkNonce) + 1 + len(linkPrev) + 65
	if len(p) < least || binary.LittleEndian.Uint64(p) != linkIndexWord ||
		uint64(binary.LittleEndian.Uint16(p[8:])) != linkIndexTail {
		return 0, nil, false
	}
	idx, n := leadingUint(p[len(linkIndex):])
	if n == 0 || n > 18 || (n > 1 && p[len(linkIndex)] == '0') {
		return 0, nil, false
	}
	at := len(linkIndex) + n // the nonce's prefix
	if len(p) < at+least-len(linkIndex)-1 || binary.LittleEndian.Uint64(p[at:]) != linkNonceWord ||
		uint64(binary.LittleEndian.Uint32(p[at+7:])) != linkNonceTail {
		return 0, nil, false
	}
	at += len(linkNonce)
	if p[at] == '-' {
		at++
	}
	// At least one digit and the previous hash's part follow: eight bytes
	// can be read.
	if len(p) < at+1+len(linkPrev)+65 {
		return 0, nil, false
	}
	run := digitRun(binary.LittleEndian.Uint64(p[at:]))
	if run == 8 {
		_, more := leadingUint(p[at+8:])
		run += more
	}
	if run == 0 {
		return 0, nil, false
	}
	at += run // the previous hash's prefix
	if len(p) < at+len(linkPrev)+65 || binary.LittleEndian.Uint64(p[at:]) != linkPrevWord0 ||
		binary.LittleEndian.Uint64(p[at+8:]) != linkPrevWord1 ||
		uint64(binary.LittleEndian.Uint32(p[at+16:])) != linkPrevTail || p[at+len(linkPrev)+64] != '"' {
		return 0, nil, false
	}
	return int64(idx), p[at+len(linkPrev) : at+len(linkPrev)+64], true
}

// digitRun returns how many of the eight bytes of w, the first in its
// lowest byte, are ASCII digits before the first that is not (8 when all
// are). A byte is a digit when its high nibble is 3 and stays 3 with 6
// added; adding 6 carries into the next byte only from a byte of 0xfa or
// more, not a digit, so the bytes before the first non-digit are read
// right.
func digitRun(w uint64) int {
	const (
		high   = 0xf0f0f0f0f0f0f0f0
		threes = 0x3030303030303030
		sixes  = 0x0606060606060606
	)
	notDigit := ((w & high) ^ threes) | (((w + sixes) & high) ^ threes)
	return bits.TrailingZeros64(notDigit) / 8
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
