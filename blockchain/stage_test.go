package blockchain

import (
	"context"
	"errors"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// stageBackends opens a chain to stage forks on, in a store (reopened by
// reopen, nil for memory) and in memory.
type stageBackend struct {
	name string
	open func(t *testing.T) (c *Chain, reopen func() *Chain)
}

var stageBackends = []stageBackend{
	{"store", func(t *testing.T) (*Chain, func() *Chain) {
		dir := t.TempDir()
		s, c := openStoreChain(t, dir)
		return c, func() *Chain {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s, c = openStoreChain(t, dir)
			if err := c.WaitCheck(context.Background()); err != nil {
				t.Fatalf("the reopened store does not pass the check: %v", err)
			}
			if err := s.view(func(tx *bolt.Tx) error {
				if tx.Bucket(bucketStaging) != nil || tx.Bucket(bucketDiscard) != nil {
					return errors.New("staged or replaced blocks are left in the store")
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return c
		}
	}},
	{"memory", func(t *testing.T) (*Chain, func() *Chain) {
		c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
		return c, nil
	}},
}

// smallStages makes a stage copy our chain a few blocks per write and
// restore the transactions of our newest three dropped blocks only.
func smallStages(t *testing.T, txBytes int) {
	oldCopy, oldRestore := stageCopyBytes, deepRestoreBytes
	stageCopyBytes, deepRestoreBytes = 300, 2*txBytes+1
	t.Cleanup(func() { stageCopyBytes, deepRestoreBytes = oldCopy, oldRestore })
}

// mineWith mines a block holding txs onto c's tip and adds it.
func mineWith(t *testing.T, c *Chain, txs ...any) {
	t.Helper()
	tip := c.Tip()
	tmpl, err := NewBlock(tip.Index()+1, txs, 1764000000.5, tip.Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Mine(context.Background(), tmpl, c.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
}

func pendingContents(c *Chain) []string {
	var out []string
	for _, p := range c.Pending() {
		out = append(out, p.Content())
	}
	return out
}

// TestStagedForkSwitch stages a peer's chain that forks from ours at
// height 1 and switches to it once it is longer: the chain, the check
// after reopening and the pending pool follow the deep-fork policy.
func TestStagedForkSwitch(t *testing.T) {
	for _, be := range stageBackends {
		t.Run(be.name, func(t *testing.T) {
			ours, reopen := be.open(t)
			grow(t, ours, "ours", 30) // block h holds "ours h-1"
			oursBlocks := allBlocks(ours)
			addTx(t, ours, "p", "stays")
			taken := addTx(t, ours, "p", "taken")
			smallStages(t, len(restorable(oursBlocks[30], nil)[0].Canonical))

			// Theirs holds our pending "taken" and the transaction of our
			// block 29, which therefore does not go back to pending.
			theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
			mineWith(t, theirs, taken.Tx, oursBlocks[29].Transactions()[0])
			grow(t, theirs, "theirs", 39)
			tb := allBlocks(theirs) // 41 blocks against our 31

			st, err := ours.StageFork(tb[1:10])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ours.StageFork(tb[1:2]); !errors.Is(err, ErrStageBusy) {
				t.Errorf("a second stage: %v, want ErrStageBusy", err)
			}
			if err := st.Add(tb[10:20]); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.Switch(); !errors.Is(err, ErrNotLonger) {
				t.Fatalf("Switch at 20 blocks: %v, want ErrNotLonger", err)
			}
			if got := hashesOf(allBlocks(ours)); !slices.Equal(got, hashesOf(oursBlocks)) {
				t.Fatal("staging changed our chain")
			}
			if err := st.Add(tb[20:]); err != nil {
				t.Fatal(err)
			}
			rr, restored, err := st.Switch()
			if err != nil {
				t.Fatal(err)
			}
			if want := (ReplaceResult{ForkHeight: 1, Dropped: 30, Restored: 2}); rr != want || len(restored) != 2 {
				t.Errorf("Switch = %+v, %d restored; want %+v", rr, len(restored), want)
			}
			// Our newest three dropped blocks hold "ours 27".."ours 29";
			// theirs holds "ours 28" and our pending "taken".
			wantPending := []string{"stays", "ours 27", "ours 29"}
			check := func(c *Chain, when string) {
				if got := hashesOf(allBlocks(c)); !slices.Equal(got, hashesOf(tb)) {
					t.Errorf("%s: the chain is not the peer's", when)
				}
				if got := pendingContents(c); !slices.Equal(got, wantPending) {
					t.Errorf("%s: pending %q, want %q", when, got, wantPending)
				}
			}
			check(ours, "after the switch")
			if reopen != nil {
				check(reopen(), "reopened")
			}
		})
	}
}

// TestStagedForkDiscarded: a staged fork that never gets longer, or whose
// base below the fork is replaced meanwhile, leaves our chain as it is and
// no staging behind; so does a store closed while staging.
func TestStagedForkDiscarded(t *testing.T) {
	for _, be := range stageBackends {
		t.Run(be.name, func(t *testing.T) {
			ours, reopen := be.open(t)
			grow(t, ours, "ours", 12)
			smallStages(t, 60)
			theirs := NewMemoryChain(ChainOptions{Clock: fixedClock()})
			grow(t, theirs, "theirs", 11)
			tb := allBlocks(theirs)
			old := hashesOf(allBlocks(ours))

			st, err := ours.StageFork(tb[1:])
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.Switch(); !errors.Is(err, ErrNotLonger) {
				t.Fatalf("Switch: %v, want ErrNotLonger", err)
			}
			if err := st.Discard(); err != nil {
				t.Fatal(err)
			}
			if got := hashesOf(allBlocks(ours)); !slices.Equal(got, old) {
				t.Fatal("a discarded stage changed our chain")
			}

			// A fork from height 6 goes stale when a longer fork from
			// height 1 is adopted meanwhile.
			high := NewMemoryChain(ChainOptions{Clock: fixedClock()})
			if _, err := high.Replace(allBlocks(ours)[:6]); err != nil {
				t.Fatal(err)
			}
			grow(t, high, "high", 20)
			if st, err = ours.StageFork(allBlocks(high)[6:]); err != nil {
				t.Fatal(err)
			}
			grow(t, theirs, "theirs more", 5)
			if _, err := ours.ReplaceFrom(allBlocks(theirs)[1:]); err != nil {
				t.Fatal(err)
			}
			if _, _, err := st.Switch(); !errors.Is(err, errStageStale) {
				t.Errorf("Switch after our base changed: %v, want errStageStale", err)
			}
			want := hashesOf(allBlocks(theirs))
			if got := hashesOf(allBlocks(ours)); !slices.Equal(got, want) {
				t.Fatal("a stale stage changed our chain")
			}

			// A store closed while staging drops the staging when opened.
			other := NewMemoryChain(ChainOptions{Clock: fixedClock()})
			grow(t, other, "other", 30)
			if _, err := ours.StageFork(allBlocks(other)[1:]); err != nil {
				t.Fatal(err)
			}
			if reopen != nil {
				if got := hashesOf(allBlocks(reopen())); !slices.Equal(got, want) {
					t.Error("the reopened store does not hold our chain")
				}
			}
		})
	}
}

func hashesOf(blocks []*Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.Hash()
	}
	return out
}

// TestStageCopyBatches: copying our chain into a staging writes about
// maxBytes at a time, so that no write's memory grows with the chain.
func TestStageCopyBatches(t *testing.T) {
	for _, be := range stageBackends {
		t.Run(be.name, func(t *testing.T) {
			c, _ := be.open(t)
			grow(t, c, "ours", 30)
			if err := c.store.stageBegin(); err != nil {
				t.Fatal(err)
			}
			var ends []int64
			for next := int64(0); next < 31; {
				var err error
				if next, err = c.store.stageCopy(next, 31, 1000); err != nil {
					t.Fatal(err)
				}
				ends = append(ends, next)
			}
			// A block of ours is ~230 bytes stored: five a write.
			if len(ends) < 5 || ends[0] > 6 {
				t.Errorf("copied 31 blocks in writes ending at %v, want about 1000 bytes each", ends)
			}
			if err := c.store.stageDiscard(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
