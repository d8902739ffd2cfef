package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"blockscope/blockchain"
)

// peerVectors reads ../shared/vectors/peer.json: chains as peers may serve
// them, with the seed network's verdict.
func peerVectors(t *testing.T) []struct {
	Name  string `json:"name"`
	Text  string `json:"text"`
	Valid bool   `json:"valid"`
} {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "shared", "vectors", "peer.json"))
	if err != nil {
		t.Fatalf("the shared vectors are missing: %v", err)
	}
	var cases []struct {
		Name  string `json:"name"`
		Text  string `json:"text"`
		Valid bool   `json:"valid"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

// canonicalText rewrites a dump as blockscope serves it (json.dumps with
// sorted keys), so that its blocks take the fast reading where they can.
func canonicalText(text string) (string, bool) {
	v, err := blockchain.DecodePython([]byte(text))
	if err != nil {
		return "", false
	}
	out, err := blockchain.AppendPython(nil, v)
	return string(out), err == nil
}

// TestVerifyStreamAgreesWithParseChainDump checks the streaming verify
// against the one judgement read whole, on every peer vector as written
// and rewritten in the canonical form.
func TestVerifyStreamAgreesWithParseChainDump(t *testing.T) {
	for _, c := range peerVectors(t) {
		texts := []string{c.Text}
		if canon, ok := canonicalText(c.Text); ok {
			texts = append(texts, canon)
		}
		for i, text := range texts {
			got := verifyDump([]byte(text), blockchain.SeedDifficulty)
			if (len(got.Problems) == 0) != c.Valid {
				t.Errorf("%s (form %d): problems %q; the seed's nodes say valid=%v", c.Name, i, got.Problems, c.Valid)
				continue
			}
			d, err := blockchain.ParseChainDump([]byte(text), blockchain.SeedDifficulty)
			if err != nil {
				if len(got.Problems) != 1 || !strings.HasPrefix(got.Problems[0], "not a chain dump") {
					t.Errorf("%s (form %d): problems %q, want one saying it is not a chain dump (%v)", c.Name, i, got.Problems, err)
				}
				continue
			}
			var want []string
			for _, p := range d.Problems {
				want = append(want, blockProblem(p))
			}
			if !slices.Equal(got.Problems, want) || got.Blocks != len(d.Blocks) {
				t.Errorf("%s (form %d): problems %q in %d blocks, want %q in %d", c.Name, i, got.Problems, got.Blocks, want, len(d.Blocks))
			}
			if tip := d.Blocks[len(d.Blocks)-1]; c.Valid && (got.Tip == nil || got.Tip.Hash() != tip.Hash()) {
				t.Errorf("%s (form %d): tip %v, want %s", c.Name, i, got.Tip, tip.Hash())
			}
		}
	}
}
