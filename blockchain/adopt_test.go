package blockchain

import (
	"errors"
	"fmt"
	"testing"
)

// grow adds n one-transaction blocks to c, tagged with who.
func grow(t *testing.T, c *Chain, who string, n int) {
	t.Helper()
	for i := range n {
		addTx(t, c, who, fmt.Sprintf("%s %d", who, i))
		mineNext(t, c)
	}
}

func TestReplaceFrom(t *testing.T) {
	// ours: genesis + 3 blocks; theirs shares block 1 and forks at 2.
	base := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	grow(t, base, "shared", 1)
	ours := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	for _, c := range []*Chain{ours, theirs} {
		if _, err := c.Replace(allBlocks(base)); err != nil {
			t.Fatal(err)
		}
	}
	grow(t, ours, "ours", 2)
	grow(t, theirs, "theirs", 4) // heights 2..5
	tb := allBlocks(theirs)
	badLink := tb[3].WithNonce(tb[3].Nonce() + 1)

	tests := []struct {
		name     string
		blocks   []*Block
		wantErr  error
		wantRule bool
		wantLen  int
		wantFork int64
	}{
		{name: "not longer: the fork alone", blocks: tb[2:4], wantErr: ErrNotLonger},
		{name: "nothing new: blocks we hold", blocks: tb[0:2], wantErr: ErrNotLonger},
		{name: "a gap above our tip", blocks: tb[5:6], wantRule: true},
		{name: "a broken link inside", blocks: []*Block{tb[2], badLink, tb[4]}, wantRule: true},
		{name: "longer from the fork", blocks: tb[2:5], wantLen: 5, wantFork: 2},
		{name: "shared blocks skipped, then an extension", blocks: tb[1:6], wantLen: 6, wantFork: 5},
	}
	for _, tt := range tests {
		res, err := ours.ReplaceFrom(tt.blocks)
		switch {
		case tt.wantErr != nil || tt.wantRule:
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) || tt.wantRule && !IsRuleError(err) {
				t.Errorf("%s: error %v, want %v (rule error %v)", tt.name, err, tt.wantErr, tt.wantRule)
			}
			if ours.Len() != 4 {
				t.Errorf("%s: chain changed to %d blocks", tt.name, ours.Len())
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case ours.Len() != tt.wantLen || res.ForkHeight != tt.wantFork || ours.Tip().Hash() != tb[tt.wantLen-1].Hash():
			t.Errorf("%s: %d blocks, fork %d; want %d, fork %d", tt.name, ours.Len(), res.ForkHeight, tt.wantLen, tt.wantFork)
		}
	}
	// The two blocks of ours that were dropped went back to pending.
	if p := ours.Pending(); len(p) != 2 || p[0].Content() != "ours 0" {
		t.Errorf("pending after adopting: %v", p)
	}
	if err := ValidateChain(allBlocks(ours), 2); err != nil {
		t.Error(err)
	}
}
