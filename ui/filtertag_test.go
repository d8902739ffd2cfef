package ui

import (
	"context"
	"testing"

	"blockscope/blockchain"
)

// tagChain is mineChain's 16 blocks and two more whose transactions hold
// "15": an author (block 17) and a content (block 18).
func tagChain(t *testing.T) *blockchain.Chain {
	t.Helper()
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	mineChain(t, c, 16)
	for _, tx := range []map[string]any{{"author": "ann15", "content": "hi"}, {"author": "bo", "content": "room 15"}} {
		if _, err := c.AddTransaction(tx); err != nil {
			t.Fatal(err)
		}
		mineNextBlock(t, c)
	}
	return c
}

// TestFilterTagsRows: while a filter is applied, each row of the chain
// list says what of its block matched.
func TestFilterTagsRows(t *testing.T) {
	c := tagChain(t)
	tests := []struct {
		query string
		want  map[int64]string
	}{
		{"15", map[int64]string{15: "index", 17: "author", 18: "content"}},
		{c.Block(9).Hash()[:6], map[int64]string{9: "hash"}},
		{c.Block(7).Hash()[30:36], map[int64]string{7: "in hash"}},
		{"#4", map[int64]string{4: "index"}},
		{"ROOM", map[int64]string{18: "content"}},
	}
	for _, tc := range tests {
		msg := scanChain(context.Background(), 1, tc.query, c, &filterSearch{})().(filterResultMsg)
		p := newChainPane(c).SetSize(100, 30).SetFilter(tc.query, msg.matches, msg.counts)
		rows := p.visibleRows(p.rows(), testNow)
		got := map[int64]string{}
		for _, r := range rows {
			got[p.heightAt(r.row)] = r.matched
		}
		for h, tag := range tc.want {
			if got[h] != tag {
				t.Errorf("%q: block %d tagged %q, want %q (all: %v)", tc.query, h, got[h], tag, got)
			}
		}
	}
}

// TestFilterTitleFits: the filtered title shortens rather than be cut.
func TestFilterTitleFits(t *testing.T) {
	c := tagChain(t)
	tests := []struct {
		width int
		want  string
	}{
		{80, "2 Chain (3 of 19 match “15”, best first)"},
		{44, "2 Chain (3 of 19 match “15”)"},
		{35, "2 Chain (3 of 19 match)"},
		{20, "2 Chain (3/19)"},
	}
	msg := scanChain(context.Background(), 1, "15", c, &filterSearch{})().(filterResultMsg)
	for _, tc := range tests {
		p := newChainPane(c).SetSize(tc.width, 10).SetFilter("15", msg.matches, msg.counts)
		if got := p.Title(); got != tc.want {
			t.Errorf("width %d: title %q, want %q", tc.width, got, tc.want)
		}
	}
}

func TestGoldenFilterTags80x24(t *testing.T) {
	g := startGolden(t, 80, 24, func(o *Options) { o.Chain = tagChain(t) })
	g.keys("/", "15")
	g.waitScreen(t, "3 matches")
	g.finish(t)
}

func TestGoldenFilterTags200x50(t *testing.T) {
	g := startGolden(t, 200, 50, func(o *Options) { o.Chain = tagChain(t) })
	g.keys("/", "15")
	g.waitScreen(t, "3 matches")
	g.finish(t)
}
