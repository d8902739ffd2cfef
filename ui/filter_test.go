package ui

import (
	"context"
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
	tmpl, err := c.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
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
