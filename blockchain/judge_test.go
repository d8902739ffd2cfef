package blockchain

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// peerVector is one case of peer.json: a chain as a peer may serve it, with
// the seed network's verdict and the hash of each block as Python reads it.
type peerVector struct {
	Name   string   `json:"name"`
	Text   string   `json:"text"`
	Valid  bool     `json:"valid"`
	Reason string   `json:"reason"`
	Hashes []string `json:"hashes"`
}

// judgeText is blockscope's verdict on a dump: nil when valid.
func judgeText(text []byte) (*ChainDump, error) {
	d, err := ParseChainDump(text, SeedDifficulty)
	if err != nil {
		return nil, err
	}
	return d, d.Err()
}

func TestPeerVectors(t *testing.T) {
	var cases []peerVector
	readVectors(t, "peer.json", &cases)
	if len(cases) != 30 {
		t.Fatalf("%d peer vectors, want 30", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			d, err := judgeText([]byte(c.Text))
			if (err == nil) != c.Valid {
				t.Fatalf("verdict %v (err %v); the seed's nodes say valid=%v (%s)", err == nil, err, c.Valid, c.Reason)
			}
			if !c.Valid && !IsRuleError(err) && !errors.As(err, new(*NotAChainError)) {
				t.Fatalf("%v is neither a RuleError nor a NotAChainError", err)
			}
			if d == nil || c.Hashes == nil {
				return
			}
			for i, want := range c.Hashes {
				if b := d.Blocks[i]; b != nil && b.Hash() != want {
					t.Errorf("block %d hashes to %s, Python says %s\npreimage %s", i, b.Hash(), want, b.Preimage())
				}
			}
		})
	}
}

func TestDecodePythonValues(t *testing.T) {
	tests := []struct{ in, out string }{
		{`NaN`, `NaN`}, {`Infinity`, `Infinity`}, {`-Infinity`, `-Infinity`},
		{`1e400`, `Infinity`}, {`-1e400`, `-Infinity`}, {`1e-400`, `0.0`},
		{`"\ud800"`, `"\ud800"`}, {`"\udc00x\ud800"`, `"\udc00x\ud800"`},
		{`"\ud83d\ude00"`, `"\ud83d\ude00"`}, {`"\ud800\u0041"`, `"\ud800A"`},
		{"\"\xed\xa0\x80\"", `"\ud800"`}, {"\xef\xbb\xbf[1]", `[1]`},
		{`{"b": 1, "a": 2, "b": 3}`, `{"a": 2, "b": 3}`},
		{`{"\udfff": 1, "\ud800": 2, "\ud83d\ude00": 3, "\ue000": 4}`,
			`{"\ud800": 2, "\udfff": 1, "\ue000": 4, "\ud83d\ude00": 3}`},
		{`[1.0, -0.0, 1E2, 10000000000000000000000]`, `[1.0, -0.0, 100.0, 10000000000000000000000]`},
	}
	for _, tt := range tests {
		v, err := DecodePython([]byte(tt.in))
		if err != nil {
			t.Errorf("DecodePython(%q): %v", tt.in, err)
			continue
		}
		got, err := AppendPython(nil, v)
		if err != nil || string(got) != tt.out {
			t.Errorf("DecodePython(%q) writes %q, %v; want %q", tt.in, got, err, tt.out)
		}
	}
	for _, in := range []string{`nan`, `inf`, `"\ud800\uzzzz"`, "\"\xff\"", `[1] x`, "1" + strings.Repeat("0", 4300), `{"a": 01}`} {
		if _, err := DecodePython([]byte(in)); err == nil {
			t.Errorf("DecodePython(%.40q) succeeded; Python refuses it", in)
		}
	}
	if v, _ := DecodePython([]byte(`NaN`)); !math.IsNaN(v.(float64)) {
		t.Errorf("NaN reads as %v", v)
	}
}

func TestStrictDecodeStillRefusesPythonOnlyValues(t *testing.T) {
	for _, in := range []string{`NaN`, `Infinity`, `-Infinity`, `1e400`, `"\ud800"`, "\"\xed\xa0\x80\"", "\xef\xbb\xbf[1]"} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%q) succeeded; new data may not hold it", in)
		}
	}
	for _, v := range []any{math.NaN(), math.Inf(1), "\xed\xa0\x80"} {
		if _, err := Canonical(v); err == nil {
			t.Errorf("Canonical(%q) succeeded", v)
		}
	}
}

func TestGenesisByPythonEquality(t *testing.T) {
	g := `"previous_hash": "0", "hash": "` + GenesisHash + `"`
	tests := []struct {
		text string
		ok   bool
	}{
		{`{"index": 0, "transactions": [], "timestamp": 0, "nonce": 0, ` + g + `}`, true},
		{`{"index": 0.0, "transactions": [], "timestamp": -0.0, "nonce": false, ` + g + `}`, true},
		{`{"index": false, "transactions": [], "timestamp": 0.0, "nonce": 0, ` + g + `}`, true},
		{`{"index": 0, "transactions": [], "timestamp": 0, "nonce": 0, "x": 1, ` + g + `}`, false},
		{`{"index": 0, "transactions": [], "timestamp": 1, "nonce": 0, ` + g + `}`, false},
		{`{"index": 0, "transactions": [], "timestamp": NaN, "nonce": 0, ` + g + `}`, false},
		{`{"index": 0, "transactions": [1], "timestamp": 0, "nonce": 0, ` + g + `}`, false},
		{`{"index": 0, "transactions": [], "timestamp": 0, "nonce": 0, "previous_hash": "0"}`, false},
		{`{"index": 0, "transactions": [], "timestamp": 0, "nonce": "0", ` + g + `}`, false},
	}
	for _, tt := range tests {
		b, err := ParseBlock([]byte(tt.text))
		if err != nil {
			t.Fatalf("ParseBlock(%s): %v", tt.text, err)
		}
		if err := CheckGenesis(b); (err == nil) != tt.ok {
			t.Errorf("CheckGenesis(%s) = %v, want ok=%v", tt.text, err, tt.ok)
		}
	}
}

func TestParseChainDumpNotAChain(t *testing.T) {
	for _, in := range []string{`{}`, `{"chain": {}}`, `{"chain": []}`, `[]`, `5`, `{"chain": [1e99999999999`, `nan`} {
		_, err := ParseChainDump([]byte(in), SeedDifficulty)
		var nac *NotAChainError
		if !errors.As(err, &nac) {
			t.Errorf("ParseChainDump(%s) = %v, want a NotAChainError", in, err)
		}
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"}, {"héllo ✓ 😀", "héllo ✓ 😀"},
		{"a\nb\tc\x1b[31m", `a\nb\tc\u001b[31m`}, {"x\u2028y\u0085", `x\u2028y\u0085`},
		{"a\xed\xa0\x80b", `a\ud800b`}, {"\xff", `\xff`}, {"\x7f", `\u007f`},
	}
	for _, tt := range tests {
		if got := DisplayString(tt.in); got != tt.want {
			t.Errorf("DisplayString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	v, err := DecodePython([]byte(`[NaN, -Infinity, 1e400, "\udc00", 1.0]`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := DisplayValue(v), `[NaN, -Infinity, Infinity, "\udc00", 1.0]`; got != want {
		t.Errorf("DisplayValue = %s, want %s", got, want)
	}
}
