//go:build arm64 && !purego

package miner

import "golang.org/x/sys/cpu"

//go:generate go run gen_sha256arm64.go

// hashQuadARM64 hashes four messages with the ARMv8 SHA-2 instructions
// (sha256block_arm64.s). tail points at ntail blocks of precomputed W+K (it
// may be nil when ntail is 0); scratch is working memory.
//
//go:noescape
func hashQuadARM64(tail *[64]uint32, ntail int, first *[4][64]byte, scratch *[4][64]uint32, out *[4]uint32)

// archKernels returns the assembly kernels this CPU can run.
func archKernels() []kernel {
	if !cpu.ARM64.HasSHA2 {
		return nil
	}
	return []kernel{{name: KernelARM64, lanes: 4, hash: hashARM64}}
}

func hashARM64(l *layout, b *laneBuf) {
	var tail *[64]uint32
	if len(l.tail) > 0 {
		tail = &l.tail[0]
	}
	hashQuadARM64(tail, len(l.tail), (*[4][64]byte)(b.first[:4]), (*[4][64]uint32)(b.scratch[:4]), (*[4]uint32)(b.out[:4]))
}
