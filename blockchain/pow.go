package blockchain

import (
	"context"
	"crypto/sha256"
	"strconv"
)

// SeedDifficulty is the seed's proof-of-work floor: a hash must start with
// this many '0' hex digits. A block mined at a higher target is still valid.
const SeedDifficulty = 2

// MaxDifficulty is the most leading zero hex digits a SHA-256 hash can have.
const MaxDifficulty = 64

// LeadingZeros counts the leading '0' characters of a hex hash.
func LeadingZeros(hexHash string) int {
	n := 0
	for n < len(hexHash) && hexHash[n] == '0' {
		n++
	}
	return n
}

// LeadingZeroNibbles counts the leading zero hex digits of a raw digest
// without hex-encoding it.
func LeadingZeroNibbles(sum *[32]byte) int {
	for i, c := range sum {
		if c != 0 {
			if c < 0x10 {
				return 2*i + 1
			}
			return 2 * i
		}
	}
	return 64
}

// MeetsDifficulty reports whether a raw digest starts with difficulty zero
// hex digits.
func MeetsDifficulty(sum *[32]byte, difficulty int) bool {
	full := difficulty / 2
	for i := 0; i < full; i++ {
		if sum[i] != 0 {
			return false
		}
	}
	return difficulty%2 == 0 || sum[full] < 0x10
}

// Mine is the seed's proof_of_work, single-threaded: it tries nonces from 0
// upward and returns the block with the first nonce whose hash meets the
// difficulty. It is the reference the fast miner is checked against; it
// stops with ctx's error when ctx is done.
func Mine(ctx context.Context, template *Block, difficulty int) (*Block, error) {
	prefix, suffix := template.NonceSplit()
	buf := make([]byte, 0, len(prefix)+20+len(suffix))
	for nonce := int64(0); ; nonce++ {
		if nonce&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		buf = strconv.AppendInt(append(buf[:0], prefix...), nonce, 10)
		buf = append(buf, suffix...)
		sum := sha256.Sum256(buf)
		if MeetsDifficulty(&sum, difficulty) {
			return template.WithNonce(nonce), nil
		}
	}
}
