package miner

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// wantKernelEnv names the environment variable that, when set, says which
// kernel the machine must have; the kernel tests then run that one only.
// The emulated arm64 run sets it, so that a build which silently lost its
// assembly cannot pass.
const wantKernelEnv = "BLOCKSCOPE_WANT_KERNEL"

// forEachKernel runs f once per kernel this machine has, or only on the
// kernel wantKernelEnv names.
func forEachKernel(t testing.TB, f func(t testing.TB, k kernel)) {
	if name := os.Getenv(wantKernelEnv); name != "" {
		k, err := kernelNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		f(t, k)
		return
	}
	for _, k := range kernels {
		f(t, k)
	}
}

// TestWantedKernelPresent fails when wantKernelEnv names a kernel this
// machine does not have.
func TestWantedKernelPresent(t *testing.T) {
	name := os.Getenv(wantKernelEnv)
	if name == "" {
		t.Skip(wantKernelEnv + " is not set")
	}
	if _, err := kernelNamed(name); err != nil {
		t.Fatal(err)
	}
}

// checkLayout compares kernel k's hash of the nonces of the message
// prefix+digits+suffix, and digestOf's, with crypto/sha256. The nonces must
// have the same number of digits; they go through the kernel's lanes in
// groups, the last group padded with its last nonce.
func checkLayout(t testing.TB, k kernel, prefix, suffix []byte, nonces []int64) {
	t.Helper()
	d := digitCount(nonces[0])
	l, err := newLayout(prefix, suffix, d)
	if err != nil {
		t.Fatal(err)
	}
	var buf laneBuf
	for lo := 0; lo < len(nonces); lo += k.lanes {
		var want [maxLanes][32]byte
		group := nonces[lo:min(lo+k.lanes, len(nonces))]
		for i := range k.lanes {
			n := group[min(i, len(group)-1)]
			if digitCount(n) != d {
				t.Fatalf("nonces %v differ in digit count", nonces)
			}
			buf.first[i] = l.first
			putDigits(buf.first[i][l.off:l.off+d], n)
			want[i] = sha256.Sum256(preimageOf(prefix, suffix, n))
			if k.name != KernelGo {
				continue // digestOf is the Go kernel's code: checked once
			}
			if got := digestOf(l, &buf.first[i]); got != want[i] {
				t.Fatalf("len %d nonce %d: digestOf %x, crypto/sha256 %x", l.length, n, got, want[i])
			}
		}
		k.hash(l, &buf)
		for i, n := range group {
			if w := binary.BigEndian.Uint32(want[i][:]); buf.out[i] != w {
				t.Fatalf("len %d (%d blocks, kernel %s) nonce %d (lane %d): %08x, crypto/sha256 %08x",
					l.length, l.blocks(), k.name, n, i, buf.out[i], w)
			}
		}
	}
}

// testNonces returns maxLanes nonces of d digits: the smallest, the
// largest, and random ones between.
func testNonces(rng *rand.Rand, d int) []int64 {
	pow10 := func(e int) int64 {
		p := int64(1)
		for range e {
			p *= 10
		}
		return p
	}
	lo, hi := int64(0), int64(math.MaxInt64) // 10^19 does not fit in int64
	if d > 1 {
		lo = pow10(d - 1)
	}
	if d < maxDigits {
		hi = pow10(d)
	}
	out := []int64{lo, hi - 1}
	for len(out) < maxLanes {
		out = append(out, lo+rng.Int64N(hi-lo))
	}
	return out
}

func preimageOf(prefix, suffix []byte, n int64) []byte {
	out := append([]byte(nil), prefix...)
	out = strconv.AppendInt(out, n, 10)
	return append(out, suffix...)
}

// TestKernelsMatchCryptoSHA256 covers every padding case on every kernel:
// total lengths from a single block to several, including the lengths where
// the 0x80 byte and the bit length spill into a new block (55/56 and
// 119/120 bytes), for nonces of every digit count.
func TestKernelsMatchCryptoSHA256(t *testing.T) {
	forEachKernel(t, func(tb testing.TB, k kernel) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, prefixLen := range []int{0, 5, 21, 22, 40, 45} {
			for suffixLen := 0; suffixLen < 300; suffixLen++ {
				prefix := randomText(rng, prefixLen)
				suffix := randomText(rng, suffixLen)
				for _, d := range []int{1, 2, 6, 9, 10, 18, 19} {
					// The portable kernels are slow under -race, and every
					// kernel emulated: they take the lengths around the edges.
					if prefixLen+d > 64 || (testing.Short() || portable(k)) && !nearPaddingEdge(prefixLen+d+suffixLen) {
						continue
					}
					checkLayout(tb, k, prefix, suffix, testNonces(rng, d))
				}
			}
		}
	})
}

// nearPaddingEdge reports whether a message of n bytes is within a byte of
// where SHA-256's padding changes the number of blocks, or of a block edge.
func nearPaddingEdge(n int) bool {
	switch n % 64 {
	case 0, 1, 54, 55, 56, 57, 63:
		return true
	}
	return false
}

// FuzzKernels checks random prefixes, suffixes and nonces against
// crypto/sha256 on every kernel.
func FuzzKernels(f *testing.F) {
	f.Add([]byte(`{"index": 1, "nonce": `), []byte(`, "previous_hash": "0"}`), int64(0), uint8(1))
	f.Add([]byte(""), bytes.Repeat([]byte("x"), 1000), int64(99), uint8(7))
	f.Fuzz(func(t *testing.T, prefix, suffix []byte, n int64, step uint8) {
		if n < 0 {
			n = -(n + 1)
		}
		// Nonces n, n+step, ... that run past n's digit count stop at its
		// last nonce.
		last := digitsEnd(n) - 1
		nonces := make([]int64, maxLanes)
		for i := range nonces {
			nonces[i] = n
			if s := int64(i) * int64(step); n <= last-s {
				nonces[i] = n + s
			} else {
				nonces[i] = last
			}
		}
		if len(prefix)+digitCount(n) > 64 {
			t.Skip()
		}
		forEachKernel(t, func(tb testing.TB, k kernel) { checkLayout(tb, k, prefix, suffix, nonces) })
	})
}

func randomText(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x20 + rng.IntN(0x5f))
	}
	return b
}

// portable reports whether k is one of the kernels every build has (slow).
func portable(k kernel) bool { return k.name == KernelGo || k.name == KernelStdlib }

func TestAddDigits(t *testing.T) {
	for _, tc := range []struct {
		n int64
		k byte
	}{{0, 1}, {0, 2}, {8, 1}, {7, 2}, {9, 0}, {19, 1}, {1999, 1}, {98, 1}, {98, 1}, {1099, 2}, {5, 4},
		{0, 16}, {4, 16}, {10, 16}, {84, 16}, {83, 16}, {9983, 16}, {99983, 16}, {12, 8}, {92, 8}, {991, 9}} {
		d := digitCount(tc.n)
		buf := make([]byte, d)
		putDigits(buf, tc.n)
		if digitCount(tc.n+int64(tc.k)) != d {
			continue
		}
		addDigits(buf, tc.k)
		if got, want := string(buf), strconv.FormatInt(tc.n+int64(tc.k), 10); got != want {
			t.Errorf("%d + %d = %s, want %s", tc.n, tc.k, got, want)
		}
	}
}

func TestDigitsEnd(t *testing.T) {
	for _, tc := range []struct{ n, want int64 }{{0, 10}, {9, 10}, {10, 100}, {99, 100}, {123456, 1000000}, {1e18, 1<<63 - 1}, {1<<63 - 2, 1<<63 - 1}} {
		if got := digitsEnd(tc.n); got != tc.want {
			t.Errorf("digitsEnd(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// BenchmarkKernels measures one call of each kernel on the bench block.
func BenchmarkKernels(b *testing.B) {
	tmpl := BenchBlock()
	prefix, suffix := tmpl.NonceSplit()
	for _, k := range kernels {
		b.Run(k.name, func(b *testing.B) {
			l, err := newLayout(prefix, suffix, 6)
			if err != nil {
				b.Fatal(err)
			}
			var buf laneBuf
			for i := range buf.first {
				buf.first[i] = l.first
			}
			for b.Loop() {
				k.hash(l, &buf)
			}
			attempts := float64(k.lanes * b.N)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/attempts, "ns/attempt")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/attempts/float64(l.blocks()), "ns/compression")
		})
	}
}
