package miner

import (
	"encoding/binary"
	"math/bits"
)

// The SHA-256 pieces the miner needs that crypto/sha256 does not expose: the
// compression function on its own, and a variant that takes the message
// schedule already added to the round constants. Every attempt hashes a
// message whose blocks after the first never change (the nonce digits always
// sit in the first 64 bytes), so their schedule is computed once per layout
// and only the rounds are run per attempt.

// sha256K holds the SHA-256 round constants (FIPS 180-4, 4.2.2).
var sha256K = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

// sha256IV is the SHA-256 initial hash value (FIPS 180-4, 5.3.3).
var sha256IV = [8]uint32{
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
}

// scheduleWK returns W[t]+K[t] for t = 0..63 of one 64-byte block.
func scheduleWK(p *[64]byte) [64]uint32 {
	var w [64]uint32
	for t := 0; t < 16; t++ {
		w[t] = binary.BigEndian.Uint32(p[4*t:])
	}
	for t := 16; t < 64; t++ {
		v1 := w[t-2]
		s1 := bits.RotateLeft32(v1, -17) ^ bits.RotateLeft32(v1, -19) ^ (v1 >> 10)
		v2 := w[t-15]
		s0 := bits.RotateLeft32(v2, -7) ^ bits.RotateLeft32(v2, -18) ^ (v2 >> 3)
		w[t] = s1 + w[t-7] + s0 + w[t-16]
	}
	for t := range w {
		w[t] += sha256K[t]
	}
	return w
}

// compressWK runs the 64 rounds of SHA-256 on h with the precomputed
// W[t]+K[t] of one block, including the final addition.
func compressWK(h *[8]uint32, wk *[64]uint32) {
	a, b, c, d, e, f, g, hh := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
	for t := 0; t < 64; t++ {
		t1 := hh + (bits.RotateLeft32(e, -6) ^ bits.RotateLeft32(e, -11) ^ bits.RotateLeft32(e, -25)) + ((e & f) ^ (^e & g)) + wk[t]
		t2 := (bits.RotateLeft32(a, -2) ^ bits.RotateLeft32(a, -13) ^ bits.RotateLeft32(a, -22)) + ((a & b) ^ (a & c) ^ (b & c))
		hh, g, f, e, d, c, b, a = g, f, e, d+t1, c, b, a, t1+t2
	}
	h[0] += a
	h[1] += b
	h[2] += c
	h[3] += d
	h[4] += e
	h[5] += f
	h[6] += g
	h[7] += hh
}

// compressBlock runs the SHA-256 compression function on h with one block.
func compressBlock(h *[8]uint32, p *[64]byte) {
	wk := scheduleWK(p)
	compressWK(h, &wk)
}

// digestOf returns the full SHA-256 digest of the message that starts with
// block first and goes on with l's tail. The hot loop never calls it; it is
// the reference the fast paths are tested against.
func digestOf(l *layout, first *[64]byte) [32]byte {
	h := sha256IV
	compressBlock(&h, first)
	for i := range l.tail {
		compressWK(&h, &l.tail[i])
	}
	var out [32]byte
	for i, v := range h {
		binary.BigEndian.PutUint32(out[4*i:], v)
	}
	return out
}
