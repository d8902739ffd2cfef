package blockchain

import (
	"bytes"
	"context"
	"testing"
)

// FuzzBlockValidation feeds arbitrary text to ParseBlock and CheckLink
// against the genesis, as a peer's /add_block does. Neither may panic; every
// refusal is a RuleError; a block that passes is block 1 on the genesis with
// enough work, and its wire form parses back to the same block and hash.
func FuzzBlockValidation(f *testing.F) {
	genesis := Genesis()
	tmpl, err := NewBlock(1, []any{
		map[string]any{"author": "alice", "content": "pay bob 5", "timestamp": 1764000000.25},
		map[string]any{"author": "bob", "content": "héllo wörld ✓ 中文 😀", "timestamp": 1764000001.5, "extra": []any{Int("1"), nil, true}},
	}, 1764000002.75, GenesisHash, 0)
	if err != nil {
		f.Fatal(err)
	}
	mined, err := Mine(context.Background(), tmpl, SeedDifficulty)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		string(mined.WireJSON()),
		string(mined.Preimage()), // no "hash": the hash is computed, not claimed
		string(genesis.WireJSON()),
		string(tmpl.WireJSON()), // claims its hash, but not mined
		`{"index": 1, "transactions": [], "timestamp": 0, "previous_hash": "` + GenesisHash + `", "nonce": 236}`,
		`{"index": 1, "transactions": {}, "timestamp": 0, "previous_hash": "0", "nonce": 0}`,
		`{"index": -1, "transactions": [], "timestamp": null, "previous_hash": "", "nonce": 1e3}`,
		`{"hash": 5, "index": 1, "transactions": [], "timestamp": 0, "previous_hash": "", "nonce": 0}`,
		`{"index": 99999999999999999999, "transactions": [], "timestamp": 0, "previous_hash": "", "nonce": 0}`,
		`[]`, `null`, `{`, "",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBlock(data)
		if err != nil {
			if !IsRuleError(err) {
				t.Fatalf("ParseBlock error %v (%T) is not a RuleError", err, err)
			}
			return
		}
		if err := CheckLink(genesis, b, SeedDifficulty); err != nil {
			if !IsRuleError(err) {
				t.Fatalf("CheckLink error %v (%T) is not a RuleError", err, err)
			}
			return
		}
		if b.Index() != 1 || b.PreviousHash() != GenesisHash || LeadingZeros(b.Hash()) < SeedDifficulty {
			t.Fatalf("CheckLink passed block %d on %s with hash %s", b.Index(), short(b.PreviousHash()), b.Hash())
		}
		if claimed, ok := b.ClaimedHash(); ok && claimed != b.Hash() {
			t.Fatalf("CheckLink passed a block claiming %s that hashes to %s", claimed, b.Hash())
		}
		again, err := ParseBlock(b.WireJSON())
		if err != nil {
			t.Fatalf("the wire form of a valid block does not parse: %v\n%s", err, b.WireJSON())
		}
		if again.Hash() != b.Hash() || !bytes.Equal(again.Preimage(), b.Preimage()) {
			t.Fatalf("re-parsed block differs:\n%s\n%s", again.Preimage(), b.Preimage())
		}
		if err := ValidateChain([]*Block{genesis, again}, SeedDifficulty); err != nil {
			t.Fatalf("re-parsed block no longer validates: %v", err)
		}
	})
}
