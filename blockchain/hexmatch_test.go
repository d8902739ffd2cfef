package blockchain

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestHexEquals holds hexEquals to hex.EncodeToString: every digit value
// in every position, the digits around the letters, and near misses.
func TestHexEquals(t *testing.T) {
	var sums [][32]byte
	for b := range 256 {
		var s [32]byte
		for i := range s {
			s[i] = byte(b + i*37)
		}
		sums = append(sums, s)
	}
	sums = append(sums, [32]byte{}, sha256.Sum256([]byte("blockscope")))
	for _, sum := range sums {
		want := hex.EncodeToString(sum[:])
		if !hexEquals([]byte(want), &sum) {
			t.Fatalf("hexEquals(%s) = false for its own digest", want)
		}
		for _, other := range []string{
			strings.ToUpper(want),
			want[:63],
			want + "0",
			want[1:] + want[:1],
		} {
			if other != want && hexEquals([]byte(other), &sum) {
				t.Fatalf("hexEquals(%q) = true for %s", other, want)
			}
		}
		for i := range want {
			for _, c := range []byte("0123456789abcdef:`/@gG") {
				if c == want[i] {
					continue
				}
				changed := []byte(want)
				changed[i] = c
				if hexEquals(changed, &sum) {
					t.Fatalf("hexEquals(%s) = true for %s", changed, want)
				}
			}
		}
	}
}

func BenchmarkHexEquals(b *testing.B) {
	sum := sha256.Sum256([]byte("blockscope"))
	h := []byte(hex.EncodeToString(sum[:]))
	for b.Loop() {
		if !hexEquals(h, &sum) {
			b.Fatal("no match")
		}
	}
}
