//go:build amd64 && !purego

package miner

//go:generate go run gen_sha256x8.go

// hash8AVX2 sets out[i] to the first word of the SHA-256 state of the
// message that starts with first[i] and goes on with the ntail blocks of
// precomputed W+K at tail (nil when ntail is 0), for i = 0..7
// (sha256x8_amd64.s). scratch is working memory: the first block's schedule
// and the state to feed forward.
//
//go:noescape
func hash8AVX2(tail *[64]uint32, ntail int, first *[8][64]byte, scratch *[5][64]uint32, out *[8]uint32)
