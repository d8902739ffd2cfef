package ui

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"blockscope/blockchain"
)

// TestFilterRanksMatches: an exact index comes first, then hash prefixes,
// then a hash's inside, then authors and contents; "0000" is not block 0,
// and the summary says how each matched.
func TestFilterRanksMatches(t *testing.T) {
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	mineChain(t, c, 12)
	b7 := c.Block(7)
	infix := b7.Hash()[20:26]
	prefix := c.Block(9).Hash()[:5]
	// A transaction whose content names block 3 by number.
	if _, err := c.AddTransaction(map[string]any{"author": "bot", "content": "see 3"}); err != nil {
		t.Fatal(err)
	}
	mineNextBlock(t, c)
	tests := []struct {
		query   string
		first   []int64
		summary string
	}{
		{"3", []int64{3, 13}, ""},
		{"0000", nil, ""},
		{infix, []int64{7}, "1 inside a hash"},
		{prefix, []int64{9}, "1 hash prefix"},
		{"#13", []int64{13}, "1 index"},
	}
	for _, tc := range tests {
		msg := scanChain(context.Background(), 1, tc.query, c, &filterSearch{})().(filterResultMsg)
		if len(msg.matches) < len(tc.first) || !slices.Equal(msg.matches[:len(tc.first)], tc.first) {
			t.Errorf("%q matched %v, want %v first", tc.query, msg.matches, tc.first)
		}
		if tc.first == nil && slices.Contains(msg.matches, 0) {
			t.Errorf("%q matched the genesis: %v", tc.query, msg.matches)
		}
		if tc.summary != "" && msg.summary() != tc.summary {
			t.Errorf("%q: summary %q, want %q", tc.query, msg.summary(), tc.summary)
		}
	}
	if got := scanChain(context.Background(), 1, "3", c, &filterSearch{})().(filterResultMsg).counts; got[matchIndex] != 1 || got[matchText] < 1 {
		t.Errorf(`"3" counted %v, want 1 index and the content "see 3"`, got)
	}
}

// TestFilterScanCountsAndStops: a scan counts every block it searched, for
// the progress line, and a cancelled scan gives up without a result.
func TestFilterScanCountsAndStops(t *testing.T) {
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	mineChain(t, c, 5)
	var search filterSearch
	if _, ok := scanChain(context.Background(), 1, "alice", c, &search)().(filterResultMsg); !ok {
		t.Fatal("the scan gave no result")
	}
	if got := search.searched.Load(); got != int64(c.Len()) {
		t.Errorf("searched %d blocks, want all %d", got, c.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if msg := scanChain(ctx, 2, "alice", c, &filterSearch{})(); msg != nil {
		t.Errorf("a cancelled scan answered %T", msg)
	}
}

// TestMayHoldTextNeverMissesAMatch: whenever a JSON string, decoded and
// lowercased, contains the needle, the filter's look at the raw bytes
// says it may; and for plain ASCII it can tell a miss without decoding.
func TestMayHoldTextNeverMissesAMatch(t *testing.T) {
	contents := []string{
		`"Hello World"`, `"\u212aelvin"`, `"K\u00e9lvin caf\u00e9"`, "\"caf\xc3\xa9 raw\"",
		`"tab\there"`, `"quote\"inside"`, `"back\\slash"`, `"\u0130stanbul"`, `"MiXeD CaSe"`,
	}
	needles := []string{"hello", "world", "kelvin", "café", "tab\there", "quote\"", `back\slash`, "i̇stanbul", "mixed case", "elvin", "nothing", "x"}
	for _, c := range contents {
		raw := []byte(`{"index": 1, "transactions": [{"author": "a", "content": ` + c + `}]}`)
		var decoded string
		if err := json.Unmarshal([]byte(c), &decoded); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for _, n := range needles {
			if containsFold(decoded, n) && !mayHoldText(raw, n) {
				t.Errorf("content %s holds %q, but its bytes were judged not to", c, n)
			}
		}
	}
	raw := []byte(`{"index": 1, "transactions": [{"author": "a", "content": "Hello World"}]}`)
	for _, n := range []string{"nothing", "hello!", "worlds"} {
		if mayHoldText(raw, n) {
			t.Errorf("plain ASCII bytes were sent to the decoder for %q", n)
		}
	}
}

// TestFilterMatchesAsDecoding: the filter, which decodes only the blocks
// whose bytes may hold the text, matches exactly the blocks that decoding
// every block matches.
func TestFilterMatchesAsDecoding(t *testing.T) {
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	for _, content := range []string{"Hello World", "\u212aelvin", "Kélvin café", "tab\there", `quote"inside`, `back\slash`, "İstanbul"} {
		if _, err := c.AddTransaction(map[string]any{"author": "Writer", "content": content}); err != nil {
			t.Fatal(err)
		}
		mineNextBlock(t, c)
	}
	for _, q := range []string{"hello", "kelvin", "café", "tab", `quote"`, `back\`, "i̇stanbul", "writer", "nothing", "elvin"} {
		want := map[int64]bool{}
		blocks, err := c.Range(0, int64(c.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range blocks {
			for _, tx := range b.Transactions() {
				if containsFold(blockchain.TxAuthor(tx), q) || containsFold(blockchain.TxContent(tx), q) {
					want[b.Index()] = true
				}
			}
		}
		msg := scanChain(context.Background(), 1, q, c, &filterSearch{})().(filterResultMsg)
		got := map[int64]bool{}
		for _, h := range msg.matches {
			got[h] = true
		}
		if !maps.Equal(got, want) {
			t.Errorf("%q matched %v, decoding every block matches %v", q, msg.matches, want)
		}
	}
}
