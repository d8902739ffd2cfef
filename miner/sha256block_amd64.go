//go:build amd64 && !purego

package miner

//go:generate go run gen_sha256block.go

// hashQuadSHANI is hashQuad in SHA-NI assembly (sha256block_amd64.s). tail
// points at ntail blocks of precomputed W+K (it may be nil when ntail is 0);
// scratch is working memory.
//
//go:noescape
func hashQuadSHANI(tail *[64]uint32, ntail int, first *[4][64]byte, scratch *[4][64]uint32, out *[4]uint32)

// cpuid executes the CPUID instruction.
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// haveSHANI reports whether the CPU has the SHA extensions and the SSSE3 and
// SSE4.1 instructions the assembly also uses.
var haveSHANI = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	_, b7, _, _ := cpuid(7, 0)
	ssse3 := c1&(1<<9) != 0
	sse41 := c1&(1<<19) != 0
	sha := b7&(1<<29) != 0
	return ssse3 && sse41 && sha
}()

// useSHANI selects the assembly; tests turn it off to cover the portable code.
var useSHANI = haveSHANI

// hashQuad sets out[i] to the first word of the SHA-256 state (the digest's
// first four bytes, big-endian) of the message that starts with the block
// first[i] and goes on with l's tail. scratch is working memory, so that the
// caller can keep it and the hot loop does not allocate.
func hashQuad(l *layout, first *[4][64]byte, scratch *[4][64]uint32, out *[4]uint32) {
	if useSHANI {
		var tail *[64]uint32
		if len(l.tail) > 0 {
			tail = &l.tail[0]
		}
		hashQuadSHANI(tail, len(l.tail), first, scratch, out)
		return
	}
	hashQuadGeneric(l, first, out)
}

// hasherName names the hashing code in use, for reports.
func hasherName() string {
	if useSHANI {
		return "sha-ni asm, 4 messages interleaved"
	}
	return "portable Go"
}
