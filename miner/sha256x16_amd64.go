//go:build amd64 && !purego

package miner

//go:generate go run gen_sha256x16.go

// hash16AVX512 sets out[i] to the first word of the SHA-256 state of the
// message that starts with first[i] and goes on with the ntail blocks of
// precomputed W+K at tail (nil when ntail is 0), for i = 0..15
// (sha256x16_amd64.s).
//
//go:noescape
func hash16AVX512(tail *[64]uint32, ntail int, first *[16][64]byte, out *[16]uint32)
