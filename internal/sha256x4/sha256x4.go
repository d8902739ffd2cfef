// Package sha256x4 hashes many short messages with SHA-256, four at a time
// where the CPU can: on amd64 with the SHA extensions, four messages'
// compressions run interleaved (blocks_amd64.s), which hides the latency
// that bounds a single message's chain of rounds; on AMD's CPUs with
// AVX-512, the message schedule is computed for the four at once with
// vector instructions, beside the rounds. Elsewhere each message goes
// through crypto/sha256. The digests are SHA-256's in every case.
//
// It is what checking a stored chain needs: a million preimages of a few
// hundred bytes each, read from the store's memory map, hashed without
// copying them except for their last partial block.
package sha256x4

import (
	"crypto/sha256"
	"encoding/binary"
)

// Sums sets out[i] to the SHA-256 digest of msgs[i] for every i. out must be
// at least as long as msgs. It does not keep msgs or out.
func Sums(msgs [][]byte, out [][32]byte) {
	var h Hasher
	h.Sums(msgs, out)
}

// Hasher is Sums with its working memory kept between calls: a caller
// hashing a few messages at a time, as the check of a stored chain does,
// then does not clear that memory for every four messages (it was a tenth
// of the hashing's time). A Hasher is not safe for concurrent use; its zero
// value is ready.
type Hasher struct {
	scratch [8][64]uint32
	tails   [4][128]byte
}

// Sums sets out[i] to the SHA-256 digest of msgs[i] for every i, as the
// package's Sums does.
func (h *Hasher) Sums(msgs [][]byte, out [][32]byte) {
	_ = out[:len(msgs)]
	if !haveKernel {
		for i, m := range msgs {
			out[i] = sha256.Sum256(m)
		}
		return
	}
	var group [4][]byte
	var sums [4][32]byte
	for lo := 0; lo < len(msgs); lo += 4 {
		n := copy(group[:], msgs[lo:])
		for i := n; i < 4; i++ {
			// A partial group repeats its first message: the lane costs
			// nothing, it runs beside the others.
			group[i] = group[0]
		}
		sum4(&group, &sums, h)
		copy(out[lo:lo+n], sums[:n])
	}
}

type laneState [8]uint32

// The four-lane kernels, as kernel names them.
const (
	kernelSHANI = iota
	kernelAVX512
)

// kernelNames are the kernels' names, for tests and benchmarks.
var kernelNames = [...]string{kernelSHANI: "sha-ni", kernelAVX512: "sha-ni+avx512"}

// initialState is SHA-256's initial hash value (FIPS 180-4, 5.3.3) in
// laneState's order.
var initialState = func() laneState {
	iv := [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	return laneState{iv[5], iv[4], iv[1], iv[0], iv[7], iv[6], iv[3], iv[2]}
}()

// digest writes the state as a SHA-256 digest: A to H, big-endian.
func (s *laneState) digest(out *[32]byte) {
	order := [8]int{3, 2, 7, 6, 1, 0, 5, 4} // A B C D E F G H
	for i, j := range order {
		binary.BigEndian.PutUint32(out[4*i:], s[j])
	}
}

// padTail writes the end of message m, from its last whole 64-byte block
// on, with SHA-256's padding into buf and returns those one or two blocks.
func padTail(m []byte, buf *[128]byte) []byte {
	rest := m[len(m)/64*64:]
	n := 64
	if len(rest) >= 56 {
		n = 128
	}
	t := buf[:n]
	copy(t, rest)
	t[len(rest)] = 0x80
	clear(t[len(rest)+1 : n-8])
	binary.BigEndian.PutUint64(t[n-8:], uint64(len(m))*8)
	return t
}
