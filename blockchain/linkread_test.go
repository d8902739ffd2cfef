package blockchain

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// readLinkBytewise is readLink as it was written first, a byte at a time:
// the reference the word-at-a-time one is held to.
func readLinkBytewise(p []byte) (index int64, prevHex []byte, ok bool) {
	if !bytes.HasPrefix(p, []byte(linkIndex)) {
		return 0, nil, false
	}
	p = p[len(linkIndex):]
	idx, n := leadingUint(p)
	if n == 0 || n > 18 || (n > 1 && p[0] == '0') {
		return 0, nil, false
	}
	p = p[n:]
	if !bytes.HasPrefix(p, []byte(linkNonce)) {
		return 0, nil, false
	}
	p = p[len(linkNonce):]
	if len(p) > 0 && p[0] == '-' {
		p = p[1:]
	}
	if _, n = leadingUint(p); n == 0 {
		return 0, nil, false
	}
	p = p[n:]
	if !bytes.HasPrefix(p, []byte(linkPrev)) || len(p) < len(linkPrev)+65 || p[len(linkPrev)+64] != '"' {
		return 0, nil, false
	}
	return int64(idx), p[len(linkPrev) : len(linkPrev)+64], true
}

// sameLink fails t unless readLink and readLinkBytewise agree on p.
func sameLink(t *testing.T, p []byte) bool {
	t.Helper()
	i, h, ok := readLink(p)
	wi, wh, wok := readLinkBytewise(p)
	if i != wi || !bytes.Equal(h, wh) || ok != wok {
		t.Errorf("readLink(%q) = %d, %q, %v; byte by byte %d, %q, %v", p, i, h, ok, wi, wh, wok)
		return false
	}
	return ok
}

// TestReadLinkAsBytewise holds readLink to the byte-by-byte reading: links
// with every length of index and nonce around the eight bytes read at once,
// every prefix of them, and every byte of them changed.
func TestReadLinkAsBytewise(t *testing.T) {
	hash := strings.Repeat("0123456789abcdef", 4)
	var links [][]byte
	for _, index := range []string{"0", "7", "10", "1234567", "12345678", "123456789", "100000000000000000", "999999999999999999", "1000000000000000000", "07"} {
		for _, nonce := range []string{"0", "5", "-5", "-", "", "1234567", "12345678", "123456789", "1234567812345678", "00012", "-123456789012345678901"} {
			link := fmt.Sprintf(`{"index": %s, "nonce": %s, "previous_hash": "%s", "timestamp": 1, "transactions": []}`, index, nonce, hash)
			links = append(links, []byte(link))
		}
	}
	links = append(links, Genesis().Preimage(), mustNewBlock(t, 42, 7).Preimage())
	accepted := 0
	for _, link := range links {
		if sameLink(t, link) {
			accepted++
		}
		for n := range len(link) {
			sameLink(t, link[:n:n]) // nothing past the end read
		}
		for i := range min(len(link), 130) {
			for _, c := range []byte("0189-\" ,:{}ax\x00\xff\xfa\x2f\x3a") {
				changed := bytes.Clone(link)
				changed[i] = c
				sameLink(t, changed)
			}
		}
	}
	if accepted < 40 {
		t.Fatalf("only %d of the %d links were read: the cases do not reach the fast path", accepted, len(links))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		link := bytes.Clone(links[rng.IntN(len(links))])
		for range 1 + rng.IntN(3) {
			link[rng.IntN(min(len(link), 130))] = byte(rng.IntN(256))
		}
		sameLink(t, link)
	}
}

func mustNewBlock(t *testing.T, index, nonce int64) *Block {
	t.Helper()
	b, err := NewBlock(index, []any{}, 1.5, GenesisHash, nonce)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDigitRun: every byte value in every position ends the run exactly
// where it is not a digit.
func TestDigitRun(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			w := []byte("99999999")
			w[pos] = byte(c)
			for i := pos + 1; i < 8; i++ {
				w[i] = byte(c + i) // what follows must not matter
			}
			want := pos
			if c >= '0' && c <= '9' {
				want = pos + 1
				for want < 8 && w[want] >= '0' && w[want] <= '9' {
					want++
				}
			}
			if got := digitRun(le64(string(w))); got != want {
				t.Fatalf("digitRun(%q) = %d, want %d", w, got, want)
			}
		}
	}
}
