package blockchain

import (
	"context"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// leaveLeftovers writes a chain of 30 blocks into a store in dir and
// leaves what a crash during a deep-fork adoption could: a staging holding
// a copy of the whole chain and a replaced chain of 20 blocks. It returns
// the chain's block hashes.
func leaveLeftovers(t *testing.T, dir string) []string {
	t.Helper()
	s, c := openStoreChain(t, dir)
	grow(t, c, "ours", 30)
	if err := s.stageBegin(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.stageCopy(0, 31, 1<<20); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		d, err := tx.CreateBucket(bucketDiscard)
		if err != nil {
			return err
		}
		blocks, err := d.CreateBucket(bucketChain)
		for h := int64(0); h < 20 && err == nil; h++ {
			err = blocks.Put(heightBytes(h), []byte("a replaced block"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := hashesOf(allBlocks(c))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}

// leftoverBlocks counts the blocks of the staging and the replaced chain
// in s (-1 for a bucket that is gone).
func leftoverBlocks(t *testing.T, s *Store) (staged, replaced int) {
	t.Helper()
	count := func(tx *bolt.Tx, name []byte) int {
		b := tx.Bucket(name)
		if b == nil {
			return -1
		}
		return b.Bucket(bucketChain).Stats().KeyN
	}
	if err := s.view(func(tx *bolt.Tx) error {
		staged, replaced = count(tx, bucketStaging), count(tx, bucketDiscard)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return staged, replaced
}

// sweepSteps holds the sweep before each of its steps: it tells arrived
// and waits for proceed (or for the store to close).
type sweepSteps struct{ arrived, proceed chan struct{} }

// stepSweep makes the sweep go step by step, deleting 4 blocks a step.
func stepSweep(t *testing.T) sweepSteps {
	st := sweepSteps{make(chan struct{}), make(chan struct{})}
	sweepStep = func(s *Store) {
		select {
		case st.arrived <- struct{}{}:
		case <-s.closing:
			return
		}
		select {
		case <-st.proceed:
		case <-s.closing:
		}
	}
	oldBatch := dropBatch
	dropBatch = 4
	t.Cleanup(func() { sweepStep, dropBatch = nil, oldBatch })
	return st
}

// step waits for the step before to end and lets the next one go.
func (st sweepSteps) step() {
	<-st.arrived
	st.proceed <- struct{}{}
}

// finish lets the sweep of s run to its end.
func (st sweepSteps) finish(s *Store) {
	for {
		select {
		case <-st.arrived:
			st.proceed <- struct{}{}
		case <-s.LeftoversSwept():
			return
		}
	}
}

// TestLeftoversSweptAfterOpen: OpenStore leaves a staging and a replaced
// chain that a crash left to a sweep after it returns, a few blocks a
// transaction; a store closed midway keeps the rest, deleted after the
// next opening; the chain is intact throughout.
func TestLeftoversSweptAfterOpen(t *testing.T) {
	dir := t.TempDir()
	want := leaveLeftovers(t, dir)
	steps := stepSweep(t)

	s, c := openStoreChain(t, dir)
	if staged, replaced := leftoverBlocks(t, s); staged != 31 || replaced != 20 {
		t.Fatalf("right after the opening %d staged and %d replaced blocks are left, want 31 and 20: the opening deleted them", staged, replaced)
	}
	if got := hashesOf(allBlocks(c)); !slices.Equal(got, want) {
		t.Fatalf("the chain holds %d blocks, want our %d", len(got), len(want))
	}
	steps.step() // the first transaction deletes 4 staged blocks
	steps.step() // the second 4 more
	<-steps.arrived
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, c = openStoreChain(t, dir)
	if staged, replaced := leftoverBlocks(t, s); staged != 23 || replaced != 20 {
		t.Errorf("after a close midway %d staged and %d replaced blocks are left, want 23 and 20", staged, replaced)
	}
	steps.finish(s)
	if staged, replaced := leftoverBlocks(t, s); staged != -1 || replaced != -1 {
		t.Errorf("after the sweep %d staged and %d replaced blocks are left, want both buckets gone", staged, replaced)
	}
	if err := c.WaitCheck(context.Background()); err != nil {
		t.Fatalf("the store does not pass the check: %v", err)
	}
	if got := hashesOf(allBlocks(c)); !slices.Equal(got, want) {
		t.Errorf("the chain holds %d blocks, want our %d", len(got), len(want))
	}
}

// TestSweepSparesNewStaging: a staging started while the sweep deletes
// leftovers is the stage's own: the sweep leaves it alone and deletes
// only the replaced chain.
func TestSweepSparesNewStaging(t *testing.T) {
	dir := t.TempDir()
	leaveLeftovers(t, dir)
	steps := stepSweep(t)
	s, _ := openStoreChain(t, dir)
	if staged, replaced := leftoverBlocks(t, s); staged != 31 || replaced != 20 {
		t.Fatalf("right after the opening %d staged and %d replaced blocks are left, want 31 and 20", staged, replaced)
	}
	steps.step() // one transaction of the old staging's blocks
	<-steps.arrived
	if err := s.stageBegin(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.stageCopy(0, 10, 1<<20); err != nil {
		t.Fatal(err)
	}
	steps.proceed <- struct{}{}
	steps.finish(s)
	if staged, replaced := leftoverBlocks(t, s); staged != 10 || replaced != -1 {
		t.Errorf("after the sweep the staging holds %d blocks and the replaced chain %d, want 10 and none", staged, replaced)
	}
}
