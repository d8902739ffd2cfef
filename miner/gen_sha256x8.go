//go:build ignore

// gen_sha256x8 writes sha256x8_amd64.s: AVX2 code that hashes eight
// candidate messages at once, one per 32-bit lane of the YMM registers. Run
// it with go generate.
//
// It is the AVX-512 kernel's design (gen_sha256x16.go) for CPUs that have
// AVX2 but neither AVX-512 nor SHA-NI (Intel's cores from Haswell to Comet
// Lake), where it is the fastest the miner has. AVX2 has no rotate and no
// three-way logic, so a Σ is six shifts and five XORs and a round is about
// thirty-five instructions for eight messages; and it has only sixteen YMM
// registers, so the first block's schedule lives in a ring of sixteen words
// per lane in the scratch memory rather than in registers.
//
// Layout of the work: the first 64-byte block (the only one holding the
// nonce digits) is gathered from the eight messages, one word per lane, and
// its schedule is computed just before each round needs it. The later
// blocks are the same for every attempt; their W[t]+K[t] is precomputed
// once per layout and broadcast to every lane, so their rounds are the
// rounds alone.
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
)

var out bytes.Buffer

func p(format string, args ...any) { fmt.Fprintf(&out, "\t"+format+"\n", args...) }

// Offsets in the constant table x8Const<> (AX points at it). Every word is
// stored eight times, once per lane, because AVX2 cannot broadcast a memory
// operand of an addition.
const (
	offK     = 0    // 64 round constants, 32 bytes each
	offIV    = 2048 // 8 initial state words, 32 bytes each
	offIndex = 2304 // 8 gather offsets: lane i reads first[i], 64 bytes apart
	offFlip  = 2336 // 32-byte VPSHUFB mask swapping the bytes of each word
	constLen = 2368
)

// Offsets in the scratch memory (DI points at it).
const (
	offRing  = 0   // W[t] of the first block, t mod 16, 32 bytes each
	offSaved = 512 // the state to feed forward after a constant block
)

// state holds the registers of a..h; rounds rename rather than move.
type state [8]string

// regs are the temporaries of a round and of the schedule, and the pair of
// registers that carry b^c from one round to the next (Maj needs it, and
// one round's a^b is the next one's b^c).
type regs struct {
	t          [4]string
	carry, alt string
	w          string // W[t] just computed by the schedule
}

// sigma emits dst = ror(x, r1) ^ ror(x, r2) ^ ror(x, r3) (Σ0 and Σ1) with
// the temporaries t1..t3, four shifts in flight at a time.
func sigma(x, dst string, t [4]string, r1, r2, r3 int) {
	p("VPSRLD $%d, %s, %s", r1, x, dst)
	p("VPSLLD $%d, %s, %s", 32-r1, x, t[1])
	p("VPSRLD $%d, %s, %s", r2, x, t[2])
	p("VPSLLD $%d, %s, %s", 32-r2, x, t[3])
	p("VPXOR %s, %s, %s", t[1], dst, dst)
	p("VPXOR %s, %s, %s", t[3], t[2], t[2])
	p("VPSRLD $%d, %s, %s", r3, x, t[1])
	p("VPSLLD $%d, %s, %s", 32-r3, x, t[3])
	p("VPXOR %s, %s, %s", t[2], dst, dst)
	p("VPXOR %s, %s, %s", t[3], t[1], t[1])
	p("VPXOR %s, %s, %s", t[1], dst, dst)
}

// smallSigma emits dst = ror(x, r1) ^ ror(x, r2) ^ (x >> s) (σ0 and σ1).
func smallSigma(x, dst, t1, t2 string, r1, r2, s int) {
	p("VPSRLD $%d, %s, %s", r1, x, dst)
	p("VPSLLD $%d, %s, %s", 32-r1, x, t1)
	p("VPXOR %s, %s, %s", t1, dst, dst)
	p("VPSRLD $%d, %s, %s", r2, x, t1)
	p("VPSLLD $%d, %s, %s", 32-r2, x, t2)
	p("VPXOR %s, %s, %s", t2, t1, t1)
	p("VPSRLD $%d, %s, %s", s, x, t2)
	p("VPXOR %s, %s, %s", t1, dst, dst)
	p("VPXOR %s, %s, %s", t2, dst, dst)
}

// round emits one SHA-256 round on s, adding W[t]+K[t] with addWK, and
// returns the renamed state and registers (the b^c carry swaps).
func round(s state, addWK func(h string), r regs) (state, regs) {
	a, b, c, d, e, f, g, h := s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
	t := r.t
	addWK(h)
	// T1 = h + W + K + Σ1(e) + Ch(e, f, g), Ch as ((f^g)&e)^g.
	sigma(e, t[0], t, 6, 11, 25)
	p("VPXOR %s, %s, %s", g, f, t[1])
	p("VPAND %s, %s, %s", e, t[1], t[1])
	p("VPXOR %s, %s, %s", g, t[1], t[1])
	p("VPADDD %s, %s, %s", t[0], h, h)
	p("VPADDD %s, %s, %s", t[1], h, h)
	p("VPADDD %s, %s, %s", h, d, d)
	// The new a = T1 + Σ0(a) + Maj(a, b, c), Maj as b^((a^b)&(b^c)).
	sigma(a, t[0], t, 2, 13, 22)
	p("VPXOR %s, %s, %s", b, a, r.alt)
	p("VPAND %s, %s, %s", r.carry, r.alt, t[1])
	p("VPXOR %s, %s, %s", b, t[1], t[1])
	p("VPADDD %s, %s, %s", t[0], h, h)
	p("VPADDD %s, %s, %s", t[1], h, h)
	r.carry, r.alt = r.alt, r.carry
	return state{h, a, b, c, d, e, f, g}, r
}

// startCarry emits the b^c the first round of a block needs.
func startCarry(s state, r regs) {
	p("VPXOR %s, %s, %s", s[2], s[1], r.carry)
}

// schedule emits W[t] for t >= 16 into r.w and into the ring slot of t,
// which holds W[t-16].
func schedule(t int, r regs) {
	slot := func(t int) int { return offRing + 32*(t%16) }
	p("VMOVDQU %d(DI), %s", slot(t-15), r.t[0])
	smallSigma(r.t[0], r.t[1], r.t[2], r.t[3], 7, 18, 3)
	p("VMOVDQU %d(DI), %s", slot(t-2), r.t[0])
	smallSigma(r.t[0], r.w, r.t[2], r.t[3], 17, 19, 10)
	p("VPADDD %s, %s, %s", r.t[1], r.w, r.w)
	p("VPADDD %d(DI), %s, %s", slot(t-7), r.w, r.w)
	p("VPADDD %d(DI), %s, %s", slot(t-16), r.w, r.w)
	p("VMOVDQU %s, %d(DI)", r.w, slot(t))
}

func yregs(from, n int) []string {
	r := make([]string, n)
	for i := range r {
		r[i] = fmt.Sprintf("Y%d", from+i)
	}
	return r
}

// firstBlock emits the gather of the first blocks' words and their 64
// rounds, and returns the state after the feed-forward.
func firstBlock(st state, r regs) (state, regs) {
	out.WriteString("\n\t// The first blocks' words, word t of message i in lane i, into the ring.\n")
	p("VMOVDQU %d(AX), Y8", offIndex)
	p("VMOVDQU %d(AX), Y9", offFlip)
	for t := 0; t < 16; t++ {
		p("VPCMPEQD Y10, Y10, Y10")
		p("VPGATHERDD Y10, %d(SI)(Y8*1), Y11", 4*t)
		p("VPSHUFB Y9, Y11, Y11")
		p("VMOVDQU Y11, %d(DI)", offRing+32*t)
	}
	for i, reg := range st {
		p("VMOVDQU %d(AX), %s", offIV+32*i, reg)
	}

	out.WriteString("\n\t// First blocks' rounds, the schedule computed as it is needed.\n")
	startCarry(st, r)
	for t := 0; t < 64; t++ {
		if t >= 16 {
			schedule(t, r)
		}
		st, r = round(st, func(h string) {
			if t < 16 {
				p("VPADDD %d(DI), %s, %s", offRing+32*t, h, h)
			} else {
				p("VPADDD %s, %s, %s", r.w, h, h)
			}
			p("VPADDD %d(AX), %s, %s", offK+32*t, h, h)
		}, r)
	}
	for i, reg := range st {
		p("VPADDD %d(AX), %s, %s", offIV+32*i, reg, reg)
	}
	return st, r
}

// tailBlocks emits the loop over the constant blocks: W[t]+K[t] shared by
// every lane, the state to feed forward saved in the scratch memory.
func tailBlocks(st state, r regs) state {
	out.WriteString("\n\t// Constant blocks: W[t]+K[t] shared by every lane.\n")
	out.WriteString("tail:\n")
	p("TESTQ CX, CX")
	p("JZ    done")
	for i, reg := range st {
		p("VMOVDQU %s, %d(DI)", reg, offSaved+32*i)
	}
	startCarry(st, r)
	for t := 0; t < 64; t++ {
		st, r = round(st, func(h string) {
			p("VPBROADCASTD %d(DX), %s", 4*t, r.w)
			p("VPADDD %s, %s, %s", r.w, h, h)
		}, r)
	}
	for i, reg := range st {
		p("VPADDD %d(DI), %s, %s", offSaved+32*i, reg, reg)
	}
	p("ADDQ $256, DX")
	p("DECQ CX")
	p("JMP  tail")
	return st
}

func main() {
	out.WriteString("// Code generated by go run gen_sha256x8.go. DO NOT EDIT.\n\n")
	out.WriteString("//go:build amd64 && !purego\n\n")
	out.WriteString("#include \"textflag.h\"\n\n")

	out.WriteString("// func hash8AVX2(tail *[64]uint32, ntail int, first *[8][64]byte, scratch *[5][64]uint32, out *[8]uint32)\n")
	out.WriteString("// Requires: AVX, AVX2.\n")
	out.WriteString("TEXT ·hash8AVX2(SB), NOSPLIT, $0-40\n")
	p("MOVQ tail+0(FP), DX")
	p("MOVQ ntail+8(FP), CX")
	p("MOVQ first+16(FP), SI")
	p("MOVQ scratch+24(FP), DI")
	p("LEAQ x8Const<>(SB), AX")

	var st state
	copy(st[:], yregs(0, 8))
	r := regs{carry: "Y12", alt: "Y13", w: "Y14"}
	copy(r.t[:], yregs(8, 4))

	st, r = firstBlock(st, r)
	st = tailBlocks(st, r)

	out.WriteString("\ndone:\n")
	out.WriteString("\t// A, the digest's first word, of every lane.\n")
	p("MOVQ out+32(FP), BX")
	p("VMOVDQU %s, (BX)", st[0])
	p("VZEROUPPER")
	p("RET")

	writeConstants()
	if err := os.WriteFile("sha256x8_amd64.s", out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeConstants() {
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
	iv := []uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
	out.WriteString("\n")
	word := func(off int, v uint32) { fmt.Fprintf(&out, "DATA x8Const<>+%d(SB)/4, $0x%08x\n", off, v) }
	lanes := func(off int, v uint32) {
		for l := 0; l < 8; l++ {
			word(off+4*l, v)
		}
	}
	for i, v := range k {
		lanes(offK+32*i, v)
	}
	for i, v := range iv {
		lanes(offIV+32*i, v)
	}
	for i := 0; i < 8; i++ {
		word(offIndex+4*i, uint32(64*i))
	}
	for i := 0; i < 8; i++ {
		// Bytes 3, 2, 1, 0 of each word, as VPSHUFB indexes within a 128-bit lane.
		j := 4 * (i % 4)
		word(offFlip+4*i, uint32(j+3)|uint32(j+2)<<8|uint32(j+1)<<16|uint32(j)<<24)
	}
	fmt.Fprintf(&out, "GLOBL x8Const<>(SB), RODATA|NOPTR, $%d\n", constLen)
}
