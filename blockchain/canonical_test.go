package blockchain

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vectorsDir is ../shared/vectors beside the project root.
func vectorsDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "vectors")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("test vectors not found at %s (../shared beside the project root): %v", dir, err)
	}
	return dir
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readVectors(t testing.TB, name string, into any) {
	t.Helper()
	data := readFile(t, name)
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
}

func TestCanonicalVectors(t *testing.T) {
	var cases []struct {
		Input     string `json:"input"`
		Canonical string `json:"canonical"`
		SHA256    string `json:"sha256"`
	}
	readVectors(t, "canonical.json", &cases)
	if len(cases) < 20 {
		t.Fatalf("only %d canonical vectors", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Input, func(t *testing.T) {
			v, err := Decode([]byte(c.Input))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			got, err := Canonical(v)
			if err != nil {
				t.Fatalf("Canonical: %v", err)
			}
			if string(got) != c.Canonical {
				t.Fatalf("canonical bytes differ\n got: %s\nwant: %s", got, c.Canonical)
			}
			sum := sha256.Sum256(got)
			if hex.EncodeToString(sum[:]) != c.SHA256 {
				t.Fatalf("sha256 = %x, want %s", sum, c.SHA256)
			}
		})
	}
}

func TestRejectVectors(t *testing.T) {
	var cases []struct {
		Why      string  `json:"why"`
		Input    *string `json:"input"`
		InputHex string  `json:"input_hex"`
	}
	readVectors(t, "reject.json", &cases)
	if len(cases) < 10 {
		t.Fatalf("only %d reject vectors", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Why, func(t *testing.T) {
			var in []byte
			if c.Input != nil {
				in = []byte(*c.Input)
			} else {
				var err error
				if in, err = hex.DecodeString(c.InputHex); err != nil {
					t.Fatal(err)
				}
			}
			v, err := Decode(in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode(%q) = %#v, %v; want a *SyntaxError", in, v, err)
			}
			if se.Msg == "" {
				t.Fatal("error says nothing about what is wrong")
			}
		})
	}
}

func TestFloatRepr(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0.5, "0.5"}, {-0.0, "0.0"}, {100.0, "100.0"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"},
		{9999999999999998, "9999999999999998.0"}, {1e-4, "0.0001"}, {1.5e-5, "1.5e-05"},
		{-1.5e300, "-1.5e+300"}, {5e-324, "5e-324"}, {123.456, "123.456"}, {1764000000.123456, "1764000000.123456"},
	}
	for _, tt := range tests {
		got, err := appendFloat(nil, tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("appendFloat(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCanonicalRefusesUnsupported(t *testing.T) {
	for _, v := range []any{Int("01"), Int("-0"), Int(""), Int("1.5"), struct{}{}, "\xff", []any{map[string]any{"a": float32(1)}}} {
		if _, err := Canonical(v); err == nil {
			t.Errorf("Canonical(%#v) succeeded; want an error", v)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": [1, 2.5, "x\u00e9"]}`, `-0.0`, `1e400`, `"\ud83d\ude00"`, `[[[]]]`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			return
		}
		first, err := Canonical(v)
		if err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		v2, err := Decode(first)
		if err != nil {
			t.Fatalf("canonical output %q does not decode: %v", first, err)
		}
		second, err := Canonical(v2)
		if err != nil || string(second) != string(first) {
			t.Fatalf("decode-encode is not stable:\n%s\n%s", first, second)
		}
	})
}

func TestIntegerDigitsLimit(t *testing.T) {
	long := "1" + strings.Repeat("0", maxIntDigits-1)
	if v, err := Decode([]byte(long)); err != nil || v != Int(long) {
		t.Fatalf("%d digits: %v", maxIntDigits, err)
	}
	if _, err := Decode([]byte("-" + long + "0")); err == nil || !strings.Contains(err.Error(), "4300 digits") {
		t.Fatalf("%d digits: %v, want Python's limit named", maxIntDigits+1, err)
	}
	// Floats have no such limit in Python.
	if _, err := Decode([]byte("0." + long)); err != nil {
		t.Fatalf("a long float: %v", err)
	}
}
