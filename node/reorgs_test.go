package node

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"blockscope/blockchain"
)

func TestReorgIsRecordedWithStaleBlocks(t *testing.T) {
	tests := []struct {
		name                string
		ours, theirs        int  // blocks each side mines apart
		shareTx             bool // both chains start with the same block
		wantDepth, wantBack int
	}{
		{name: "one block replaced", ours: 1, theirs: 2, wantDepth: 1, wantBack: 1},
		{name: "two blocks replaced", ours: 2, theirs: 3, wantDepth: 2, wantBack: 2},
		{name: "common prefix kept", ours: 2, theirs: 4, shareTx: true, wantDepth: 2, wantBack: 2},
		{name: "extension only", ours: 0, theirs: 2, wantDepth: 0, wantBack: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newMemNode(t, Options{})
			b := newMemNode(t, Options{})
			if tc.shareTx {
				// One block both chains hold: the fork starts after it.
				growChain(t, b.Chain(), "common", 1)
				if err := a.Chain().AddBlock(b.Chain().Tip()); err != nil {
					t.Fatal(err)
				}
			}
			base := a.Chain().Len()
			growChain(t, a.Chain(), "a", tc.ours)
			oldTip := a.Chain().Tip()
			dropped := chainBlocks(a.Chain())[base:]
			growChain(t, b.Chain(), "b", tc.theirs)

			res, err := a.RegisterWith(context.Background(), b.url)
			if err != nil || !res.Adopted {
				t.Fatalf("RegisterWith = %+v, %v", res, err)
			}
			reorgs := a.Reorgs()
			if tc.wantDepth == 0 {
				if len(reorgs) != 0 || len(a.StaleBlocks()) != 0 {
					t.Fatalf("an extension is no reorg: %+v", reorgs)
				}
				return
			}
			if len(reorgs) != 1 {
				t.Fatalf("Reorgs() = %d records, want 1", len(reorgs))
			}
			r := reorgs[0]
			newTip := b.Chain().Tip()
			if r.Seq != 1 || r.Peer != b.url || r.ForkHeight != int64(base) || r.Depth != tc.wantDepth ||
				r.OldTip != oldTip.Hash() || r.NewTip != newTip.Hash() || r.OldLength != base+tc.ours || r.NewLength != base+tc.theirs {
				t.Errorf("reorg = %+v", r)
			}
			if len(r.Returned) != tc.wantBack || blockchain.TxAuthor(r.Returned[0]) != "a" {
				t.Errorf("returned = %v, want %d of a's transactions", r.Returned, tc.wantBack)
			}
			if _, pending := txKeys(a.Chain()); pending[fmt.Sprintf("a/a block %s", "i")] != 1 {
				t.Errorf("a's first transaction is not pending: %v", pending)
			}
			stale := a.StaleBlocks()
			var got []string
			for _, s := range stale {
				got = append(got, s.Block.Hash())
				if s.Reorg != 1 {
					t.Errorf("stale block #%d names reorg %d", s.Block.Index(), s.Reorg)
				}
			}
			if !slices.Equal(got, hashes(dropped)) {
				t.Errorf("stale blocks %v, want the dropped %v", got, hashes(dropped))
			}
			if r.String() != fmt.Sprintf("reorg at #%d: %s replaced by the branch of %s, %s back to pending", base, plural(tc.wantDepth, "block"), b.url, plural(tc.wantBack, "transaction")) {
				t.Errorf("String() = %q", r.String())
			}
		})
	}
}

func TestReorgEventIsEmitted(t *testing.T) {
	a := newMemNode(t, Options{})
	b := newMemNode(t, Options{})
	growChain(t, a.Chain(), "a", 1)
	growChain(t, b.Chain(), "b", 2)
	if _, err := a.RegisterWith(context.Background(), b.url); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case ev := <-a.Events():
			if ev.Kind != EventReorg {
				continue
			}
			if ev.Length != 1 || ev.Index != 1 || ev.Peer != b.url || ev.Message != a.Reorgs()[0].String() {
				t.Errorf("reorg event = %+v", ev)
			}
			return
		default:
			t.Fatal("no reorg event was queued")
		}
	}
}

func TestAppendBoundedKeepsTheNewest(t *testing.T) {
	tests := []struct {
		limit, add int
		want       []int
	}{
		{limit: 3, add: 2, want: []int{0, 1}},
		{limit: 3, add: 3, want: []int{0, 1, 2}},
		{limit: 3, add: 7, want: []int{4, 5, 6}},
		{limit: 1, add: 4, want: []int{3}},
	}
	for _, tc := range tests {
		var s []int
		for i := range tc.add {
			s = appendBounded(s, tc.limit, i)
		}
		if !slices.Equal(s, tc.want) {
			t.Errorf("limit %d after %d: %v, want %v", tc.limit, tc.add, s, tc.want)
		}
	}
}

func TestStaleBlocksAreBounded(t *testing.T) {
	var l reorgLog
	blocks := make([]*blockchain.Block, MaxStaleBlocks/2+1)
	for i := range blocks {
		blocks[i] = blockchain.Genesis()
	}
	for range 3 {
		l.add(Reorg{}, blocks)
	}
	if len(l.stale) != MaxStaleBlocks || l.stale[0].Reorg != 2 || l.stale[len(l.stale)-1].Reorg != 3 {
		t.Errorf("kept %d stale blocks from reorg %d to %d", len(l.stale), l.stale[0].Reorg, l.stale[len(l.stale)-1].Reorg)
	}
}
