package blockchain

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// scanAll reads every block of a dump, one byte at a time when slow.
func scanAll(text string, slow bool, maxBlock int) ([]string, *DumpScanner, error) {
	var r io.Reader = strings.NewReader(text)
	if slow {
		r = iotest.OneByteReader(r)
	}
	s := NewDumpScanner(r, maxBlock)
	var out []string
	for {
		b, err := s.Next()
		if err == io.EOF {
			return out, s, nil
		}
		if err != nil {
			return out, s, err
		}
		out = append(out, string(b))
	}
}

func TestDumpScanner(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		blocks []string
		fields map[string]string
		err    string
	}{
		{name: "the /chain answer", text: `{"length": 2, "chain": [{"a": [1, {"b": "]}"}]}, {"c": "\"x\\\\"}], "peers": ["http://h/"]}`,
			blocks: []string{`{"a": [1, {"b": "]}"}]}`, `{"c": "\"x\\\\"}`}, fields: map[string]string{"length": "2", "peers": `["http://h/"]`}},
		{name: "a bare list with odd spacing", text: " \n[ {\"i\":0} ,{\"i\":1}\t]\n ", blocks: []string{`{"i":0}`, `{"i":1}`}},
		{name: "Python's key order and NaN", text: `{"chain": [{"t": NaN}, 5, "s", [1]], "length": 4}`, blocks: []string{`{"t": NaN}`, "5", `"s"`, "[1]"}, fields: map[string]string{"length": "4"}},
		{name: "an escaped field name", text: `{"ch\u0061in": []}`, blocks: nil},
		{name: "an empty list", text: `[]`, blocks: nil},
		{name: "empty", text: "  ", err: "the text is empty"},
		{name: "a number", text: "5", err: "not a number"},
		{name: "no chain", text: `{"length": 1}`, err: `no "chain" field`},
		{name: "an empty object", text: `{}`, err: `no "chain" field`},
		{name: "chain not a list", text: `{"chain": {"a": 1}}`, err: `"chain" must be a list of blocks, not an object`},
		{name: "two chains", text: `{"chain": [], "chain": []}`, err: `two "chain" fields`},
		{name: "cut inside a block", text: `{"chain": [{"a": "b`, blocks: nil, err: "ends inside a string"},
		{name: "cut after a block", text: `[{"a": 1}`, blocks: []string{`{"a": 1}`}, err: "ends inside the chain list"},
		{name: "missing comma", text: `[{"a": 1} {"b": 2}]`, blocks: []string{`{"a": 1}`}, err: "want , or ]"},
		{name: "text after the end", text: `[] x`, err: "text after the end"},
		{name: "a block over the limit", text: `[{"a": "` + strings.Repeat("x", 300) + `"}]`, err: "larger than the limit of 256 bytes"},
	}
	for _, tt := range tests {
		for _, slow := range []bool{false, true} {
			blocks, s, err := scanAll(tt.text, slow, 256)
			if !reflect.DeepEqual(blocks, tt.blocks) {
				t.Errorf("%s (slow %v): blocks %q, want %q", tt.name, slow, blocks, tt.blocks)
			}
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("%s (slow %v): error %v, want %q", tt.name, slow, err, tt.err)
			}
			var de *DumpError
			if err != nil && !errors.As(err, &de) {
				t.Errorf("%s: error %T, want a *DumpError", tt.name, err)
			}
			for k, v := range tt.fields {
				if got := string(s.Field(k)); got != v {
					t.Errorf("%s: field %s = %q, want %q", tt.name, k, got, v)
				}
			}
		}
	}
}

// TestDumpScannerAgreesWithDecode checks on real chains that the scanner
// cuts out exactly the values Decode reads.
func TestDumpScannerAgreesWithDecode(t *testing.T) {
	c := NewMemoryChain(ChainOptions{})
	for i := range 20 {
		if _, err := c.AddTransaction(map[string]any{"author": "a\"\\", "content": strings.Repeat("\\\"]}", i+1)}); err != nil {
			t.Fatal(err)
		}
		tmpl, _ := c.Template()
		b, err := Mine(t.Context(), tmpl, 2)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	var sb strings.Builder
	sb.WriteString(`{"length": 21, "chain": [`)
	for i, b := range allBlocks(c) {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.Write(b.WireJSON())
	}
	sb.WriteString(`], "peers": []}`)
	blocks, _, err := scanAll(sb.String(), false, 0)
	if err != nil || len(blocks) != 21 {
		t.Fatalf("%d blocks, %v", len(blocks), err)
	}
	for i, text := range blocks {
		b, err := ParseBlock([]byte(text))
		if err != nil || b.Hash() != c.Block(int64(i)).Hash() {
			t.Fatalf("block %d: %v", i, err)
		}
	}
}
