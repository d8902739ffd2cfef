package common

import (
	"testing"

	"blockscope/blockchain"
)

func TestNonceTextOfPeerBlocks(t *testing.T) {
	tests := []struct{ nonce, want string }{
		{"1234567", "1,234,567"}, {"0.5", "0.5"}, {"18446744073709551616", "18446744073709551616"}, {"NaN", "NaN"}, {`"x\ud800"`, `"x\ud800"`},
	}
	for _, tt := range tests {
		b, err := blockchain.ParseBlock([]byte(`{"index": 1, "transactions": [], "timestamp": 0, "previous_hash": "0", "nonce": ` + tt.nonce + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := NonceText(b); got != tt.want {
			t.Errorf("NonceText(nonce %s) = %q, want %q", tt.nonce, got, tt.want)
		}
	}
}

func TestOneLineShowsPeerStringsAsPythonWritesThem(t *testing.T) {
	for in, want := range map[string]string{"a\xed\xa0\x80\nb": `a\ud800\nb`, "x\x1by": "x·y", "plain": "plain"} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
