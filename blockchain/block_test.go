package blockchain

import (
	"context"
	"errors"
	"strconv"
	"testing"
)

type blockVector struct {
	Name       string         `json:"name"`
	Block      map[string]any `json:"block"`
	Preimage   string         `json:"preimage"`
	Hash       string         `json:"hash"`
	FirstNonce map[string]struct {
		Nonce int64  `json:"nonce"`
		Hash  string `json:"hash"`
	} `json:"first_nonce"`
}

// loadBlockVectors reads blocks.json through Decode, so number kinds (0 vs
// 0.0) are kept exactly as Python wrote them.
func loadBlockVectors(t testing.TB) []struct {
	blockVector
	block *Block
} {
	t.Helper()
	var vs []blockVector
	readVectors(t, "blocks.json", &vs)
	raw := readFile(t, "blocks.json")
	decoded, err := Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	list := decoded.([]any)
	out := make([]struct {
		blockVector
		block *Block
	}, len(vs))
	for i, v := range vs {
		b, err := BlockFromValue(list[i].(map[string]any)["block"])
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		out[i].blockVector, out[i].block = v, b
	}
	return out
}

func TestBlockVectors(t *testing.T) {
	for _, v := range loadBlockVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			if string(v.block.Preimage()) != v.Preimage {
				t.Fatalf("preimage\n got: %s\nwant: %s", v.block.Preimage(), v.Preimage)
			}
			if v.block.Hash() != v.Hash {
				t.Fatalf("hash %s, want %s", v.block.Hash(), v.Hash)
			}
			prefix, suffix := v.block.NonceSplit()
			if got := string(prefix) + strconv.FormatInt(v.block.Nonce(), 10) + string(suffix); got != v.Preimage {
				t.Fatalf("NonceSplit does not rebuild the preimage: %s", got)
			}
			for d := 1; d <= 4; d++ {
				want, ok := v.FirstNonce[strconv.Itoa(d)]
				if !ok {
					continue
				}
				mined, err := Mine(context.Background(), v.block, d)
				if err != nil {
					t.Fatal(err)
				}
				if mined.Nonce() != want.Nonce || mined.Hash() != want.Hash {
					t.Errorf("difficulty %d: nonce %d hash %s, want %d %s", d, mined.Nonce(), mined.Hash(), want.Nonce, want.Hash)
				}
				if err := CheckBlock(mined, d); err != nil {
					t.Errorf("mined block fails its own difficulty: %v", err)
				}
			}
		})
	}
}

func TestGenesis(t *testing.T) {
	g := Genesis()
	if g.Hash() != GenesisHash {
		t.Fatalf("genesis hash %s", g.Hash())
	}
	if err := CheckGenesis(g); err != nil {
		t.Fatal(err)
	}
	sample, err := ParseBlock([]byte(`{"index": 0, "nonce": 0, "previous_hash": "0", "timestamp": 1576665446.403836, "transactions": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := sample.Hash(); got != "e2a1ec32fcf89d0388f3d0d8abcd914f941d056c080df1c765a3f6035626fc94" {
		t.Fatalf("seed sample genesis hash %s", got)
	}
	if err := CheckGenesis(sample); err == nil {
		t.Fatal("the float-timestamp sample is not our genesis, yet CheckGenesis accepted it")
	}
}

func TestWireJSONRoundTrip(t *testing.T) {
	for _, v := range loadBlockVectors(t) {
		sealed := v.block.Sealed()
		back, err := ParseBlock(sealed.WireJSON())
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if back.Hash() != sealed.Hash() || string(back.Preimage()) != string(sealed.Preimage()) {
			t.Fatalf("%s: wire round trip changed the block", v.Name)
		}
		m, err := Canonical(sealed.Map())
		if err != nil || string(m) != string(sealed.WireJSON()) {
			t.Fatalf("%s: Map and WireJSON disagree:\n%s\n%s (%v)", v.Name, m, sealed.WireJSON(), err)
		}
	}
}

func TestCheckLinkErrors(t *testing.T) {
	ctx := context.Background()
	g := Genesis()
	tmpl, _ := NewBlock(1, []any{map[string]any{"author": "a", "content": "c"}}, 1764000000.5, GenesisHash, 0)
	good, err := Mine(ctx, tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	wrongIndex, _ := NewBlock(2, nil, 1.0, GenesisHash, 0)
	wrongPrev, _ := NewBlock(1, nil, 1.0, "00ab", 0)
	wrongPrevMined, _ := Mine(ctx, wrongPrev, 2)
	lying, _ := ParseBlock([]byte(`{"index": 1, "nonce": 0, "previous_hash": "` + GenesisHash + `", "timestamp": 1, "transactions": [], "hash": "00` + GenesisHash[2:] + `"}`))
	weak := good.WithNonce(good.Nonce() + 1)
	for weak.Hash()[:2] == "00" {
		weak = weak.WithNonce(weak.Nonce() + 1)
	}
	tests := []struct {
		name  string
		block *Block
		want  any
	}{
		{"valid", good, nil},
		{"wrong index", wrongIndex, &IndexError{}},
		{"previous_hash mismatch", wrongPrevMined, &PreviousHashError{}},
		{"hash does not match contents", lying, &HashMismatchError{}},
		{"insufficient work", weak, &InsufficientWorkError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckLink(g, tt.block, 2)
			if Follows(g, tt.block, 2) != (err == nil) {
				t.Fatalf("Follows disagrees with CheckLink (%v)", err)
			}
			switch want := tt.want.(type) {
			case nil:
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			case *IndexError:
				if !errors.As(err, &want) {
					t.Fatalf("got %v, want IndexError", err)
				}
			case *PreviousHashError:
				if !errors.As(err, &want) || want.Index != 1 {
					t.Fatalf("got %v, want PreviousHashError", err)
				}
			case *HashMismatchError:
				if !errors.As(err, &want) {
					t.Fatalf("got %v, want HashMismatchError", err)
				}
			case *InsufficientWorkError:
				if !errors.As(err, &want) {
					t.Fatalf("got %v, want InsufficientWorkError", err)
				}
			}
			if tt.want != nil && !IsRuleError(err) {
				t.Fatalf("%v is not a RuleError", err)
			}
		})
	}
}

func TestParseBlockMalformed(t *testing.T) {
	// Only what the seed's block_error refuses before looking at values
	// is malformed: not an object, a field missing, transactions not a list.
	for _, in := range []string{
		`[]`, `{"index": 1}`, `"block"`,
		`{"index": 1, "transactions": {}, "timestamp": 1, "previous_hash": "0", "nonce": 0}`,
		`{"index": 1, "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 0, "x": NaN`,
	} {
		_, err := ParseBlock([]byte(in))
		var me *MalformedBlockError
		if !errors.As(err, &me) {
			t.Errorf("ParseBlock(%s) = %v, want MalformedBlockError", in, err)
		}
	}
}

func TestOddBlocksReadButJudgedInvalid(t *testing.T) {
	// Values Python reads: the block exists and hashes as Python hashes it;
	// the chain rules, not the reader, refuse it.
	for _, in := range []string{
		`{"index": "1", "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 0, "hash": "00"}`,
		`{"index": 1, "transactions": [], "timestamp": 1, "previous_hash": 0, "nonce": 0, "hash": "00"}`,
		`{"index": 1, "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 1.5, "hash": "00"}`,
		`{"index": 1, "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 0, "hash": 5}`,
		`{"index": 1, "transactions": [], "timestamp": NaN, "previous_hash": "0", "nonce": 0, "hash": "00"}`,
		`{"index": 1.5, "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 0, "hash": "00"}`,
		`{"index": 1, "transactions": [], "timestamp": 1, "previous_hash": "0", "nonce": 0}`,
	} {
		b, err := ParseBlock([]byte(in))
		if err != nil {
			t.Errorf("ParseBlock(%s): %v", in, err)
			continue
		}
		if err := Judge(Genesis(), b, SeedDifficulty); !IsRuleError(err) {
			t.Errorf("Judge(%s) = %v, want a RuleError", in, err)
		}
	}
}
