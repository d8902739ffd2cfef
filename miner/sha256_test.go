package miner

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"testing"
)

// hashPaths runs f once per hashing path this machine has: the portable Go
// code always, the SHA-NI assembly when the CPU has it.
func hashPaths(t testing.TB, f func(t testing.TB)) {
	saved := useSHANI
	defer func() { useSHANI = saved }()
	useSHANI = false
	f(t)
	if haveSHANI {
		useSHANI = true
		f(t)
	}
}

// checkLayout compares every way the miner hashes the nonces of the message
// prefix+digits+suffix with crypto/sha256. The nonces must have the same
// number of digits.
func checkLayout(t testing.TB, prefix, suffix []byte, nonces [4]int64) {
	t.Helper()
	d := digitCount(nonces[0])
	l, err := newLayout(prefix, suffix, d)
	if err != nil {
		t.Fatal(err)
	}
	var first [4][64]byte
	var want [4][32]byte
	for i, n := range nonces {
		if digitCount(n) != d {
			t.Fatalf("nonces %v differ in digit count", nonces)
		}
		first[i] = l.first
		putDigits(first[i][l.off:l.off+d], n)
		want[i] = sha256.Sum256(preimageOf(prefix, suffix, n))
		if got := digestOf(l, &first[i]); got != want[i] {
			t.Fatalf("len %d nonce %d: digestOf %x, crypto/sha256 %x", l.length, n, got, want[i])
		}
	}
	var scratch [4][64]uint32
	var got [4]uint32
	hashQuad(l, &first, &scratch, &got)
	for i, n := range nonces {
		if w := binary.BigEndian.Uint32(want[i][:]); got[i] != w {
			t.Fatalf("len %d (%d blocks, %s) nonce %d (lane %d): hashQuad %08x, crypto/sha256 %08x",
				l.length, l.blocks(), hasherName(), n, i, got[i], w)
		}
	}
}

func preimageOf(prefix, suffix []byte, n int64) []byte {
	out := append([]byte(nil), prefix...)
	out = strconv.AppendInt(out, n, 10)
	return append(out, suffix...)
}

// TestHashPairMatchesCryptoSHA256 covers every padding case: total lengths
// from a single block to several, including the lengths where the 0x80 byte
// and the bit length spill into a new block (55/56 and 119/120 bytes).
func TestHashPairMatchesCryptoSHA256(t *testing.T) {
	hashPaths(t, func(tb testing.TB) {
		t := tb.(*testing.T)
		rng := rand.New(rand.NewPCG(1, 2))
		for _, prefixLen := range []int{0, 5, 21, 22, 40, 45} {
			for suffixLen := 0; suffixLen < 300; suffixLen++ {
				prefix := randomText(rng, prefixLen)
				suffix := randomText(rng, suffixLen)
				for _, nonces := range [][4]int64{{0, 1, 2, 3}, {9, 8, 7, 6}, {10, 11, 12, 13}, {12345, 12347, 99999, 10000}, {999999996, 999999999, 100000000, 555555555}, {1e18, 1e18 + 1, 1<<63 - 1, 1e18 + 7}} {
					if prefixLen+digitCount(nonces[0]) > 64 {
						continue
					}
					checkLayout(t, prefix, suffix, nonces)
				}
			}
		}
	})
}

// FuzzHashPair checks random prefixes, suffixes and nonces against
// crypto/sha256 on every hashing path.
func FuzzHashPair(f *testing.F) {
	f.Add([]byte(`{"index": 1, "nonce": `), []byte(`, "previous_hash": "0"}`), int64(0), uint8(1))
	f.Add([]byte(""), bytes.Repeat([]byte("x"), 1000), int64(99), uint8(7))
	f.Fuzz(func(t *testing.T, prefix, suffix []byte, n int64, step uint8) {
		if n < 0 {
			n = -(n + 1)
		}
		var nonces [4]int64
		for i := range nonces {
			nonces[i] = n + int64(i)*int64(step%4)
			if nonces[i] < n || digitCount(nonces[i]) != digitCount(n) {
				t.Skip()
			}
		}
		if len(prefix)+digitCount(n) > 64 {
			t.Skip()
		}
		hashPaths(t, func(tb testing.TB) { checkLayout(tb, prefix, suffix, nonces) })
	})
}

func randomText(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(0x20 + rng.IntN(0x5f))
	}
	return b
}

func TestAddDigits(t *testing.T) {
	for _, tc := range []struct {
		n int64
		k byte
	}{{0, 1}, {0, 2}, {8, 1}, {7, 2}, {9, 0}, {19, 1}, {1999, 1}, {98, 1}, {98, 1}, {1099, 2}, {5, 4}} {
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

// BenchmarkHashQuad measures one call (four attempts) on the bench block.
func BenchmarkHashQuad(b *testing.B) {
	tmpl := BenchBlock()
	prefix, suffix := tmpl.NonceSplit()
	hashPaths(b, func(tb testing.TB) {
		b.Run(hasherName(), func(b *testing.B) {
			l, err := newLayout(prefix, suffix, 6)
			if err != nil {
				b.Fatal(err)
			}
			first := [4][64]byte{l.first, l.first, l.first, l.first}
			var scratch [4][64]uint32
			var out [4]uint32
			for b.Loop() {
				hashQuad(l, &first, &scratch, &out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*b.N), "ns/attempt")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(4*b.N*l.blocks()), "ns/compression")
		})
	})
}
