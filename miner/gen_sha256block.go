//go:build ignore

// gen_sha256block writes sha256block_amd64.s: SHA-NI code that hashes four
// candidate messages at once. Run it with go generate.
//
// Why four at a time: one SHA-256 compression is a chain of 32 SHA256RNDS2,
// each needing the previous one's result, so a single message runs at the
// instruction's latency (crypto/sha256 does that). On this project's Zen 4
// machine a dependent chain costs about 35 ns a block, two interleaved
// messages 18 ns, four 9 ns, six no better: four independent chains fill the
// unit. Four messages' states take eight of the sixteen XMM registers that
// SHA-NI can address.
//
// Why the split: the nonce digits always sit in the first 64-byte block, so
// only that block needs its message schedule computed per attempt
// (SHA256MSG1/MSG2, as crypto/sha256 does); the later blocks are the same
// for every attempt and arrive as precomputed W[t]+K[t], shared by all four
// messages, so their rounds are just loads and SHA256RNDS2.
//
// Why the first block's schedule runs between its rounds: the rounds wait on
// SHA256RNDS2 and leave the other units idle, so each message's schedule is
// computed four quads (sixteen rounds) ahead of the rounds that need it, in
// between them, its newest quad kept in a register. The sixteen XMM
// registers are too few to keep every message's sixteen-word window (the
// states take eight), so the older quads go through a small ring in the
// scratch memory, and W+K waits there for its rounds. Computing all four
// schedules first and the rounds after was 3-5% slower on the Zen 4
// machine (the calibration's slices, interleaved in one run).
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
)

var out bytes.Buffer

func p(format string, args ...any) { fmt.Fprintf(&out, "\t"+format+"\n", args...) }

// state registers of the four messages: ABEF and CDGH as SHA-NI keeps them.
var abef = [4]string{"X1", "X3", "X5", "X7"}
var cdgh = [4]string{"X2", "X4", "X6", "X8"}

// rounds emits the 64 rounds of one block for the four messages, reading
// W+K at base + s*stride + 16*i (shared when stride is 0).
func rounds(base string, stride int) {
	for i := 0; i < 16; i++ {
		for half := 0; half < 2; half++ {
			for s := 0; s < 4; s++ {
				if s == 0 || stride != 0 {
					p("MOVQ %d(%s), X0", s*stride+16*i+8*half, base)
				}
				if half == 0 {
					p("SHA256RNDS2 X0, %s, %s", abef[s], cdgh[s])
				} else {
					p("SHA256RNDS2 X0, %s, %s", cdgh[s], abef[s])
				}
			}
		}
	}
}

// offRing is where, in the scratch memory, each stream's last four raw
// schedule quads of the first block are (64 bytes a stream), after the
// first block's W+K (256 bytes a stream).
const offRing = 1024

// ringAt returns the offset in the scratch memory of quad q of stream s.
func ringAt(s, q int) int { return offRing + 64*s + 16*(q%4) }

// last holds W[q-1] of each stream's first block while its schedule runs
// beside the rounds; X9, X10 and X15 are the temporaries.
var last = [4]string{"X11", "X12", "X13", "X14"}

// scheduleStep emits quad q (4..15) of stream s's first-block schedule:
// W[4q..4q+3] from the ring and last[s], kept in last[s], stored in the
// ring while a later quad needs it, and stored as W+K for the rounds.
func scheduleStep(s, q int) {
	p("MOVOU %d(DI), X9", ringAt(s, q-4))
	p("MOVOU %d(DI), X10", ringAt(s, q-3))
	p("SHA256MSG1 X10, X9")
	p("MOVOU %d(DI), X10", ringAt(s, q-2))
	p("MOVO %s, X15", last[s])
	p("PALIGNR $4, X10, X15")
	p("PADDL X15, X9")
	p("SHA256MSG2 %s, X9", last[s])
	p("MOVO X9, %s", last[s])
	if q <= 13 {
		p("MOVOU X9, %d(DI)", ringAt(s, q))
	}
	p("PADDL %d(AX), X9", 16*q)
	p("MOVOU X9, %d(DI)", 256*s+16*q)
}

// firstBlock emits the first block of the four messages, each one's
// schedule computed four quads ahead of the rounds that need it, in between
// them.
func firstBlock() {
	out.WriteString("\n\t// First blocks' first sixteen words, raw into the ring and as W+K.\n")
	for s := 0; s < 4; s++ {
		for q := 0; q < 4; q++ {
			p("MOVOU %d(SI), X9", 64*s+16*q)
			p("PSHUFB X10, X9")
			p("MOVOU X9, %d(DI)", ringAt(s, q))
			if q == 3 {
				p("MOVO X9, %s", last[s])
			}
			p("PADDL %d(AX), X9", 16*q)
			p("MOVOU X9, %d(DI)", 256*s+16*q)
		}
	}
	out.WriteString("\n\t// First blocks' rounds, four messages interleaved, the schedule four\n")
	out.WriteString("\t// quads ahead of them.\n")
	p("MOVOU shaniIV<>(SB), X9")
	p("MOVOU shaniIV<>+16(SB), X10")
	for s := 0; s < 4; s++ {
		p("MOVO X9, %s", abef[s])
		p("MOVO X10, %s", cdgh[s])
	}
	for i := 0; i < 16; i++ {
		for half := 0; half < 2; half++ {
			for s := 0; s < 4; s++ {
				p("MOVQ %d(DI), X0", 256*s+16*i+8*half)
				if half == 0 {
					p("SHA256RNDS2 X0, %s, %s", abef[s], cdgh[s])
				} else {
					p("SHA256RNDS2 X0, %s, %s", cdgh[s], abef[s])
				}
				if q := i + 4; q < 16 && half == 1 {
					scheduleStep(s, q)
				}
			}
		}
	}
	p("MOVOU shaniIV<>(SB), X9")
	p("MOVOU shaniIV<>+16(SB), X10")
	for s := 0; s < 4; s++ {
		p("PADDL X9, %s", abef[s])
		p("PADDL X10, %s", cdgh[s])
	}
}

// emitKernel emits hashQuadSHANI.
func emitKernel() {
	out.WriteString("// func hashQuadSHANI(tail *[64]uint32, ntail int, first *[4][64]byte, scratch *[5][64]uint32, out *[4]uint32)\n")
	out.WriteString("// Requires: SHA, SSE4.1, SSSE3.\n")
	out.WriteString("TEXT ·hashQuadSHANI(SB), NOSPLIT, $0-40\n")
	p("MOVQ tail+0(FP), DX")
	p("MOVQ ntail+8(FP), CX")
	p("MOVQ first+16(FP), SI")
	p("MOVQ scratch+24(FP), DI")
	p("LEAQ shaniK<>(SB), AX")
	p("MOVOU shaniFlip<>(SB), X10")

	firstBlock()

	out.WriteString("\n\t// Constant blocks: shared precomputed W+K; the state to feed\n")
	out.WriteString("\t// forward is kept in X9-X15 and scratch (eight registers are needed).\n")
	out.WriteString("tail:\n")
	p("TESTQ CX, CX")
	p("JZ    done")
	saved := []string{"X9", "X10", "X11", "X12", "X13", "X14", "X15"}
	all := []string{abef[0], cdgh[0], abef[1], cdgh[1], abef[2], cdgh[2], abef[3], cdgh[3]}
	for k, r := range all {
		if k < len(saved) {
			p("MOVO %s, %s", r, saved[k])
		} else {
			p("MOVOU %s, (DI)", r)
		}
	}
	rounds("DX", 0)
	for k, r := range all {
		if k < len(saved) {
			p("PADDL %s, %s", saved[k], r)
		} else {
			p("MOVOU (DI), X0")
			p("PADDL X0, %s", r)
		}
	}
	p("ADDQ $256, DX")
	p("DECQ CX")
	p("JMP  tail")
	out.WriteString("\ndone:\n")
	out.WriteString("\t// A, the first word of the digest, is the top lane of ABEF.\n")
	p("MOVQ out+32(FP), BX")
	for s := 0; s < 4; s++ {
		p("PEXTRD $3, %s, AX", abef[s])
		p("MOVL AX, %d(BX)", 4*s)
	}
	p("RET")
}

func main() {
	out.WriteString("// Code generated by go run gen_sha256block.go. DO NOT EDIT.\n\n")
	out.WriteString("//go:build amd64 && !purego\n\n")
	out.WriteString("#include \"textflag.h\"\n\n")

	emitKernel()

	// Constants. The round constants are read with PADDL from memory,
	// which needs 16-byte alignment: the linker aligns a 256-byte symbol to
	// 32 bytes.
	k := []uint32{
		0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
		0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
		0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
		0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
		0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
		0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
		0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
		0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
	}
	out.WriteString("\n")
	for i, v := range k {
		fmt.Fprintf(&out, "DATA shaniK<>+%d(SB)/4, $0x%08x\n", 4*i, v)
	}
	out.WriteString("GLOBL shaniK<>(SB), RODATA|NOPTR, $256\n\n")
	// PSHUFB mask turning each little-endian dword into big-endian.
	out.WriteString("DATA shaniFlip<>+0(SB)/8, $0x0405060700010203\n")
	out.WriteString("DATA shaniFlip<>+8(SB)/8, $0x0c0d0e0f08090a0b\n")
	out.WriteString("GLOBL shaniFlip<>(SB), RODATA|NOPTR, $16\n\n")
	// The IV as SHA-NI keeps the state: ABEF holds (from lane 0) F, E, B, A;
	// CDGH holds H, G, D, C.
	iv := []uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	lanes := []uint32{iv[5], iv[4], iv[1], iv[0], iv[7], iv[6], iv[3], iv[2]}
	for i, v := range lanes {
		fmt.Fprintf(&out, "DATA shaniIV<>+%d(SB)/4, $0x%08x\n", 4*i, v)
	}
	out.WriteString("GLOBL shaniIV<>(SB), RODATA|NOPTR, $32\n")

	if err := os.WriteFile("sha256block_amd64.s", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
