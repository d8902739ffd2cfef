package miner

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
)

// maxLanes is the most messages a kernel hashes in one call.
const maxLanes = 16

// kernel is one implementation of the miner's inner step: it hashes lanes
// candidate messages of a layout at once and returns the first word of each
// digest. Which kernel a search uses is measured at start (see calibrate);
// they all compute the same thing.
type kernel struct {
	// name is what --kernel takes and what reports show.
	name string
	// lanes is how many messages one call hashes (at most maxLanes).
	lanes int
	// hash sets b.out[i] to the first word of the SHA-256 state (the
	// digest's first four bytes, big-endian) of the message that starts
	// with the block b.first[i] and goes on with l's tail, for i < lanes.
	hash func(l *layout, b *laneBuf)
}

// laneBuf is a worker's memory for kernel calls, so that the hot loop does
// not allocate.
type laneBuf struct {
	first [maxLanes][64]byte
	out   [maxLanes]uint32
	// scratch is the SHA-NI and AVX2 kernels' working memory (the SHA-NI
	// kernel's first block uses 1280 bytes: W+K and a ring of schedule
	// quads for each of four messages).
	scratch [5][64]uint32
	// msg is the crypto/sha256 kernel's message buffer, grown once.
	msg []byte
}

// Kernel names, for --kernel and reports.
const (
	KernelAVX512 = "avx512"
	KernelSHANI  = "sha-ni"
	KernelARM64  = "arm64-sha2"
	KernelAVX2   = "avx2"
	KernelStdlib = "crypto-sha256"
	KernelGo     = "go"
)

// portableKernels are the kernels every build has.
var portableKernels = []kernel{
	{name: KernelStdlib, lanes: 4, hash: hashStdlib},
	{name: KernelGo, lanes: 4, hash: hashGo},
}

// kernels lists the kernels this CPU can run, fastest first where known
// (calibration decides anyway).
var kernels = append(archKernels(), portableKernels...)

// Kernels returns the names of the kernels this machine can run, for
// Config.Kernel.
func Kernels() []string {
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
	}
	return names
}

// kernelNamed returns the kernel called name, or an error naming the ones
// this machine has.
func kernelNamed(name string) (kernel, error) {
	for _, k := range kernels {
		if k.name == name {
			return k, nil
		}
	}
	return kernel{}, fmt.Errorf("miner: no kernel %q on this machine (it has %s)", name, strings.Join(Kernels(), ", "))
}

// hashGo is the portable kernel: the compression function in Go, one
// message after another.
func hashGo(l *layout, b *laneBuf) {
	for i := range 4 {
		h := sha256IV
		compressBlock(&h, &b.first[i])
		for j := range l.tail {
			compressWK(&h, &l.tail[j])
		}
		b.out[i] = h[0]
	}
}

// hashStdlib hashes each whole message with crypto/sha256, which has
// assembly for more CPUs than this package (the ARMv8 SHA-2 instructions,
// for one) but cannot reuse the constant blocks' schedule.
func hashStdlib(l *layout, b *laneBuf) {
	if cap(b.msg) < l.length {
		b.msg = make([]byte, l.length+maxDigits)
	}
	msg := b.msg[:l.length]
	if l.length > 64 {
		copy(msg[64:], l.rest)
	}
	for i := range 4 {
		copy(msg, b.first[i][:])
		sum := sha256.Sum256(msg)
		b.out[i] = binary.BigEndian.Uint32(sum[:])
	}
}
