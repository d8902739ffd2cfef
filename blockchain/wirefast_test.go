package blockchain

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// minedWire mines a block holding tx after the genesis and returns its
// text as /chain sends it.
func minedWire(t *testing.T, tx map[string]any, timestamp any) []byte {
	t.Helper()
	tmpl, err := NewBlock(1, []any{tx}, timestamp, GenesisHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Mine(context.Background(), tmpl, SeedDifficulty)
	if err != nil {
		t.Fatal(err)
	}
	return b.WireJSON()
}

func TestReadCanonicalWire(t *testing.T) {
	plain := minedWire(t, map[string]any{"author": "a", "content": "b", "timestamp": 1764000000.125}, 1764000000.5)
	tricky := minedWire(t, map[string]any{"author": "h\u00e9llo \"q\" \\ \n\t", "content": "😀 <&>/", "n": Int("-12"), "f": 1e-05, "g": 1e+16, "z": -0.0, "l": []any{true, false, nil, map[string]any{}}}, Int("7"))
	for _, text := range [][]byte{plain, tricky} {
		f, ok := ReadCanonicalWire(text, SeedDifficulty)
		b, err := ParseBlock(text)
		if !ok || err != nil || f.Hash != b.HashBytes() || f.Index != 1 || f.Transactions != 1 || string(f.PreviousHash) != `"`+GenesisHash+`"` {
			t.Errorf("%s: fast reading %+v, %v; full reading %v", text, f, ok, err)
		}
	}
	// Texts that mean something else to Python than they say, or are not
	// canonical, go to the full reading.
	mutate := []struct{ name, from, to string }{
		{"an extra space", `"index": 1`, `"index":  1`},
		{"an index written 1.0", `"index": 1,`, `"index": 1.0,`},
		{"keys out of order", `"author": "a", "content": "b"`, `"content": "b", "author": "a"`},
		{"a duplicate key", `"author": "a", "content": "b"`, `"author": "a", "author": "a", "content": "b"`},
		{"an escaped slash", `"content": "b"`, `"content": "\/"`},
		{"an upper-case escape", `"author": "a"`, `"author": "\u00E9"`},
		{"an escape of printable ASCII", `"author": "a"`, `"author": "\u0061"`},
		{"raw UTF-8", `"author": "a"`, "\"author\": \"\xc3\xa9\""},
		{"a float not in repr form", `1764000000.125`, `1764000000.1250`},
		{"-0 as an integer", `"nonce": `, `"nonce": -0, "x": `},
		{"a big exponent", `1764000000.125`, `1e400`},
		{"an upper-case hash", `{"hash": "00`, `{"hash": "0A`},
		{"another field", `"timestamp": 1764000000.5`, `"timestamp": 1764000000.5, "tip": 1`},
		{"text after the block", `]}`, `]} `},
	}
	for _, m := range mutate {
		text := bytes.Replace(plain, []byte(m.from), []byte(m.to), 1)
		if bytes.Equal(text, plain) {
			t.Fatalf("%s: the mutation did not apply", m.name)
		}
		if _, ok := ReadCanonicalWire(text, SeedDifficulty); ok {
			t.Errorf("%s: read the fast way: %s", m.name, text)
		}
	}
	if _, ok := ReadCanonicalWire(plain, 60); ok {
		t.Error("a block short of the difficulty was read the fast way")
	}
}

// TestReadCanonicalWireAgreesOnVectors checks every block of the peer
// vectors, written in the canonical form: a block read the fast way is the
// block the full reading finds, valid on its own.
func TestReadCanonicalWireAgreesOnVectors(t *testing.T) {
	var cases []peerVector
	readVectors(t, "peer.json", &cases)
	fast := 0
	for _, c := range cases {
		v, err := DecodePython([]byte(c.Text))
		if err != nil {
			continue
		}
		text, err := AppendPython(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		sc := NewDumpScanner(bytes.NewReader(text), 0)
		for {
			raw, err := sc.Next()
			if err != nil { // io.EOF at the end
				break
			}
			f, ok := ReadCanonicalWire(raw, SeedDifficulty)
			if !ok {
				continue
			}
			fast++
			b, err := ParseBlock(raw)
			if err != nil || CheckBlock(b, SeedDifficulty) != nil || b.HashBytes() != f.Hash || b.Index() != f.Index || len(b.Transactions()) != f.Transactions {
				t.Errorf("%s: %s read the fast way as %+v, in full %v", c.Name, raw, f, err)
			}
			again, err := AppendPython(nil, mustDecode(t, raw))
			if err != nil || !bytes.Equal(again, raw) {
				t.Errorf("%s: %s is not what Python writes back (%s)", c.Name, raw, again)
			}
		}
	}
	if fast < 50 {
		t.Errorf("only %d blocks were read the fast way", fast)
	}
}

func mustDecode(t *testing.T, raw []byte) any {
	t.Helper()
	v, err := DecodePython(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPlainRepr checks the shortcut against the full conversion on floats
// of every form.
func TestPlainRepr(t *testing.T) {
	texts := []string{"0.0", "-0.0", "1.0", "10.5", "0.1", "0.0001", "0.00012", "0.00001", "0.10", "1764000000.125",
		"1764000000.001", "123456789012345.0", "1234567890123456.0", "0.30000000000000004", "0.3", "1.5e-05", "00.5", "-12.25",
		"999999999999999.9", "0.000123456789012345", "5.0000000000000001", "1.00", "100.0"}
	// Random decimals of up to 18 digits with the point anywhere.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		digits := make([]byte, 1+rng.IntN(18))
		for i := range digits {
			digits[i] = byte('0' + rng.IntN(10))
		}
		dot := 1 + rng.IntN(len(digits))
		texts = append(texts, string(digits[:dot])+"."+string(digits[dot:])+"5")
		texts = append(texts, "0."+strings.Repeat("0", rng.IntN(6))+string(digits))
	}
	for _, text := range texts {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			t.Fatal(err)
		}
		repr, _ := appendFloat(nil, f)
		if plainRepr([]byte(text)) && string(repr) != text {
			t.Errorf("%s: the shortcut accepts it, but repr writes %s", text, repr)
		}
	}
	for _, text := range []string{"0.0", "1764000000.125", "0.0001", "-12.25"} {
		if !plainRepr([]byte(text)) {
			t.Errorf("%s: the shortcut refuses a plain repr", text)
		}
	}
}
