package blockchain

import (
	"slices"
	"testing"
)

// TestTransactionTexts: the texts read from a block's preimage are what
// AppendPython writes for each of its transactions, whatever they and the
// block's other fields hold.
func TestTransactionTexts(t *testing.T) {
	const prev = `"previous_hash": "` + GenesisHash + `"`
	tests := []string{
		`{"index": 1, "nonce": 0, ` + prev + `, "timestamp": 1, "transactions": []}`,
		`{"index": 1, "nonce": 7, ` + prev + `, "timestamp": 1.5, "transactions": [{"author": "a", "content": "b", "timestamp": 1764000000.25}]}`,
		`{"index": 1, "nonce": 0, ` + prev + `, "timestamp": 1, "transactions": [{"content": "x, \"y\": [z]}", "author": "é ✓ 中文 😀 \\", "n": [1, 2.5, {"k": null}]}, "text", 3, [1, [2]], {}, true, -1e-05, NaN]}`,
		`{"index": 1, "nonce": {"transactions": ["not", "these"]}, ` + prev + `, "timestamp": "t]", "transactions": [{"author": "a", "content": "\ud800 lone"}], "zz": 1}`,
	}
	for i, text := range tests {
		b, err := ParseBlock([]byte(text))
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		var want, got []string
		for _, tx := range b.Transactions() {
			w, err := AppendPython(nil, tx)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, string(w))
		}
		err = transactionTexts(b.Preimage(), func(tx []byte) { got = append(got, string(tx)) })
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("block %d: texts %q, %v; want %q", i, got, err, want)
		}
	}
	for _, bad := range []string{``, `{"index": 1`, `{"transactions": [1, `, `{"transactions": ["x]}`, `[1]`} {
		if err := transactionTexts([]byte(bad), func([]byte) {}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
