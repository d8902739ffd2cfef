//go:build amd64 && !purego

package miner

//go:generate go run gen_sha256block.go

// hashQuadSHANI hashes four messages in SHA-NI assembly
// (sha256block_amd64.s). tail points at ntail blocks of precomputed W+K (it
// may be nil when ntail is 0); scratch is working memory.
//
//go:noescape
func hashQuadSHANI(tail *[64]uint32, ntail int, first *[4][64]byte, scratch *[5][64]uint32, out *[4]uint32)

// cpuid executes the CPUID instruction (cpu_amd64.s).
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// xgetbv returns the XCR0 register: which register states the OS saves.
func xgetbv() (eax, edx uint32)

// cpuFeatures is what the amd64 kernels need to know about the CPU.
type cpuFeatures struct {
	shani  bool // SHA extensions, with the SSSE3 and SSE4.1 the code also uses
	avx512 bool // AVX-512 F and BW, with the OS saving the ZMM and mask registers
	avx2   bool // AVX and AVX2, with the OS saving the YMM registers
}

var cpu = func() cpuFeatures {
	var f cpuFeatures
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return f
	}
	_, _, c1, _ := cpuid(1, 0)
	_, b7, _, _ := cpuid(7, 0)
	bit := func(r uint32, n uint) bool { return r&(1<<n) != 0 }
	f.shani = bit(c1, 9) && bit(c1, 19) && bit(b7, 29)
	if bit(c1, 27) { // OSXSAVE: XGETBV is allowed
		xcr0, _ := xgetbv()
		// SSE, AVX, opmask, ZMM0-15 upper halves, ZMM16-31.
		const zmmState = 1<<1 | 1<<2 | 1<<5 | 1<<6 | 1<<7
		f.avx512 = xcr0&zmmState == zmmState && bit(b7, 16) && bit(b7, 30)
		// SSE and AVX state; AVX (leaf 1) and AVX2 (leaf 7).
		const ymmState = 1<<1 | 1<<2
		f.avx2 = xcr0&ymmState == ymmState && bit(c1, 28) && bit(b7, 5)
	}
	return f
}()

// archKernels returns the assembly kernels this CPU can run.
func archKernels() []kernel {
	var ks []kernel
	if cpu.avx512 {
		ks = append(ks, kernel{name: KernelAVX512, lanes: 16, hash: hashAVX512})
	}
	if cpu.shani {
		ks = append(ks, kernel{name: KernelSHANI, lanes: 4, hash: hashSHANI})
	}
	if cpu.avx2 {
		ks = append(ks, kernel{name: KernelAVX2, lanes: 8, hash: hashAVX2})
	}
	return ks
}

// tailPtr returns the address of l's first precomputed block, or nil.
func tailPtr(l *layout) *[64]uint32 {
	if len(l.tail) == 0 {
		return nil
	}
	return &l.tail[0]
}

func hashSHANI(l *layout, b *laneBuf) {
	hashQuadSHANI(tailPtr(l), len(l.tail), (*[4][64]byte)(b.first[:4]), &b.scratch, (*[4]uint32)(b.out[:4]))
}

func hashAVX512(l *layout, b *laneBuf) {
	hash16AVX512(tailPtr(l), len(l.tail), &b.first, &b.out)
}

func hashAVX2(l *layout, b *laneBuf) {
	hash8AVX2(tailPtr(l), len(l.tail), (*[8][64]byte)(b.first[:8]), &b.scratch, (*[8]uint32)(b.out[:8]))
}
