//go:build !amd64 || purego

package miner

// haveSHANI is false: the assembly exists only for amd64.
const haveSHANI = false

// useSHANI is false off amd64.
var useSHANI = false

// hashQuad sets out[i] to the first word of the SHA-256 state (the digest's
// first four bytes, big-endian) of the message that starts with the block
// first[i] and goes on with l's tail. scratch is unused here.
func hashQuad(l *layout, first *[4][64]byte, scratch *[4][64]uint32, out *[4]uint32) {
	hashQuadGeneric(l, first, out)
}

// hasherName names the hashing code in use, for reports.
func hasherName() string { return "portable Go" }
