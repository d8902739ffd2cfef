//go:build amd64 && !purego

package sha256x4

import "golang.org/x/sys/cpu"

//go:generate go run gen_blocks.go

// blocksSHANI runs the compression function over n 64-byte blocks of each
// of four messages, the blocks of lane i starting at ptrs[i], updating
// state[i] (blocks_amd64.s). scratch is working memory: the kernel writes
// each word of it before reading it.
//
//go:noescape
func blocksSHANI(state *[4]laneState, ptrs *[4]*byte, n int, scratch *[8][64]uint32)

// blocksAVX512 is blocksSHANI with the message schedule computed for the
// four lanes at once with AVX-512 instructions, between the rounds and two
// blocks at a time where it can (blocks_amd64.s). On Zen 4 it hashes about
// 5% faster (BenchmarkSums: 0.97-1.30 times blocksSHANI's speed in ten
// runs, median 1.05): its SHA unit runs SHA256MSG1/MSG2 beside the rounds
// and seems to share its pipes with shuffles, which the transposes need
// too; the rounds alone run 1.7 times as fast. It needs AVX2, AVX512F and
// AVX512VL besides what blocksSHANI needs.
//
//go:noescape
func blocksAVX512(state *[4]laneState, ptrs *[4]*byte, n int, scratch *[8][64]uint32)

// kernels are the kernels this CPU runs, fastest first.
var kernels = func() []int {
	switch {
	case !haveKernel:
		return nil
	case isAMD() && cpu.X86.HasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL:
		// x/sys/cpu sets these only when the OS saves the registers. Only
		// on AMD: Intel's cores make a legacy SSE instruction (every SHA
		// one) wait on the upper halves a 256-bit instruction left dirty,
		// and the kernel was never measured there.
		return []int{kernelAVX512, kernelSHANI}
	default:
		return []int{kernelSHANI}
	}
}()

// kernel is the kernel Sums uses: the fastest this CPU runs. Tests set it
// to each in turn; nothing else writes it.
var kernel = func() int {
	if len(kernels) == 0 {
		return kernelSHANI
	}
	return kernels[0]
}()

// isAMD reports whether the CPU is AMD's.
func isAMD() bool {
	_, b, c, d := cpuid(0, 0)
	return b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163 // "AuthenticAMD"
}

// kernelsBuilt is true: this build chooses its kernel by the CPU.
const kernelsBuilt = true

// cpuid executes the CPUID instruction (cpu_amd64.s).
func cpuid(leaf, sub uint32) (a, b, c, d uint32)

// haveKernel is true when the CPU has the SHA extensions and the SSSE3
// and SSE4.1 the kernel also uses.
var haveKernel = func() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, c1, _ := cpuid(1, 0)
	_, b7, _, _ := cpuid(7, 0)
	return c1&(1<<9) != 0 && c1&(1<<19) != 0 && b7&(1<<29) != 0
}()

// sum4 hashes four messages in lockstep. Each message is two runs of
// whole blocks: its own bytes up to its last whole block, read where they
// are, then its padded tail; a call of the kernel advances every lane by
// the shortest run left, and a lane already done repeats another lane's
// blocks with its state put back afterwards.
func sum4(msgs *[4][]byte, out *[4][32]byte, h *Hasher) {
	var state [4]laneState
	var runs [4][2][]byte
	for i, m := range msgs {
		state[i] = initialState
		runs[i] = [2][]byte{m[:len(m)/64*64], padTail(m, &h.tails[i])}
	}
	for {
		var ptrs [4]*byte
		var idle [4]bool
		n, busy := 0, -1
		for i := range runs {
			r := &runs[i]
			if len(r[0]) == 0 {
				r[0], r[1] = r[1], nil
			}
			if len(r[0]) == 0 {
				idle[i] = true
				continue
			}
			if busy < 0 || len(r[0])/64 < n {
				n = len(r[0]) / 64
			}
			busy = i
			ptrs[i] = &r[0][0]
		}
		if busy < 0 {
			break
		}
		saved := state
		for i := range ptrs {
			if idle[i] {
				ptrs[i] = ptrs[busy]
			}
		}
		// Direct calls: through a func value, state and ptrs would
		// escape to the heap.
		if kernel == kernelAVX512 {
			blocksAVX512(&state, &ptrs, n, &h.scratch)
		} else {
			blocksSHANI(&state, &ptrs, n, &h.scratch)
		}
		for i := range runs {
			if idle[i] {
				state[i] = saved[i]
			} else {
				runs[i][0] = runs[i][0][64*n:]
			}
		}
	}
	for i := range state {
		state[i].digest(&out[i])
	}
}
