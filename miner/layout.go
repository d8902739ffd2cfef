package miner

import (
	"encoding/binary"
	"fmt"
	"math"
)

// layout is the padded SHA-256 message of a template for one count of nonce
// digits. Padding and length depend only on the preimage length, so they are
// constant while the digit count is; the digits always sit in the first
// 64-byte block (the preimage starts with {"index": N, "nonce": ), so every
// later block is constant too and is kept as its precomputed schedule.
type layout struct {
	digits int      // decimal digits of every nonce this layout serves
	off    int      // offset of the first nonce digit in first
	first  [64]byte // the first block, digits set to '0'
	// tail holds W[t]+K[t] of each block after the first. The asm reads it
	// as one contiguous array of len(tail)*64 words.
	tail   [][64]uint32
	length int    // preimage bytes
	rest   []byte // preimage bytes after the first block, for crypto/sha256
}

// maxDigits is the most decimal digits a non-negative int64 has.
const maxDigits = 19

// newLayout builds the layout of preimage(n) = prefix + decimal(n) + suffix
// for nonces n with the given number of digits.
func newLayout(prefix, suffix []byte, digits int) (*layout, error) {
	if digits < 1 || digits > maxDigits {
		return nil, fmt.Errorf("nonce digit count %d out of 1..%d", digits, maxDigits)
	}
	if len(prefix)+digits > 64 {
		// Cannot happen for blocks built by package blockchain (the prefix
		// is at most 41 bytes), but the fast path relies on it.
		return nil, fmt.Errorf("nonce digits end at byte %d, past the first 64-byte block", len(prefix)+digits)
	}
	n := len(prefix) + digits + len(suffix)
	padded := (n + 9 + 63) / 64 * 64
	msg := make([]byte, padded)
	copy(msg, prefix)
	for i := 0; i < digits; i++ {
		msg[len(prefix)+i] = '0'
	}
	copy(msg[len(prefix)+digits:], suffix)
	msg[n] = 0x80
	binary.BigEndian.PutUint64(msg[padded-8:], uint64(n)*8)

	l := &layout{digits: digits, off: len(prefix), length: n}
	copy(l.first[:], msg[:64])
	if n > 64 {
		l.rest = msg[64:n]
	}
	l.tail = make([][64]uint32, padded/64-1)
	for i := range l.tail {
		l.tail[i] = scheduleWK((*[64]byte)(msg[64*(i+1):]))
	}
	return l, nil
}

// blocks returns the SHA-256 compressions per attempt.
func (l *layout) blocks() int { return 1 + len(l.tail) }

// compressions returns how many 64-byte blocks SHA-256 runs on a message of
// n bytes: the message, 0x80 and the 8-byte length, rounded up.
func compressions(n int) int { return (n + 9 + 63) / 64 }

// digitCount returns the number of decimal digits of n >= 0.
func digitCount(n int64) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}

// digitsEnd returns the first nonce with more decimal digits than n, or
// math.MaxInt64 when there is none in int64 (the caller treats MaxInt64
// itself as out of range: the search never tries it).
func digitsEnd(n int64) int64 {
	p := int64(10)
	for p <= n {
		if p > math.MaxInt64/10 {
			return math.MaxInt64
		}
		p *= 10
	}
	return p
}

// putDigits writes n into dst as exactly len(dst) decimal digits.
func putDigits(dst []byte, n int64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + n%10)
		n /= 10
	}
}

// addDigits adds k (0..maxLanes) to the decimal number in dst in place.
// The caller guarantees the result still fits in len(dst) digits.
func addDigits(dst []byte, k byte) {
	i := len(dst) - 1
	c := dst[i] - '0' + k
	for c > 9 {
		dst[i] = '0' + c%10
		i--
		c = dst[i] - '0' + c/10
	}
	dst[i] = '0' + c
}
