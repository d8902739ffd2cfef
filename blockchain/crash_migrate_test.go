package blockchain

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// migrateHelperEnv names the store directory of a migration helper: when it
// is set, the test binary is the child process of TestCrashDuringMigration.
const migrateHelperEnv = "BLOCKSCOPE_MIGRATE_HELPER_DIR"

// runMigrateHelper opens a store of the first layout, which migrates it in
// small batches (many commits to be killed between), and exits.
func runMigrateHelper(dir string, stderr io.Writer) int {
	migrateBatch = 16
	s, err := OpenStore(dir, StoreOptions{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 3
	}
	s.Close()
	return 0
}

// TestCrashDuringMigration kills a process migrating a store of the first
// layout at random moments and checks after each kill that the store is the
// old one or the new one, and opens as the same chain and pool.
func TestCrashDuringMigration(t *testing.T) {
	const rounds = 12
	seed := uint64(time.Now().UnixNano())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d", seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0x3161))
	c := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	for i := range 400 {
		addTx(t, c, "alice", fmt.Sprintf("pay bob %d héllo ✓", i))
		mineNext(t, c)
	}
	blocks := allBlocks(c)
	pending := [][]byte{[]byte(`{"author": "carol", "content": "pending", "timestamp": 1764000000.5}`)}
	pristine := filepath.Join(t.TempDir(), "v1")
	writeV1Store(t, pristine, blocks, pending)
	original, err := os.ReadFile(filepath.Join(pristine, StoreFileName))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	// The first round runs to the end, to time a whole migration; the
	// others are killed at a random moment of that span.
	var span time.Duration
	for round := range rounds {
		dir := filepath.Join(t.TempDir(), fmt.Sprint(round))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, StoreFileName), original, 0o600); err != nil {
			t.Fatal(err)
		}
		killAfter := time.Minute
		if round > 0 {
			killAfter = time.Duration(rng.Int64N(int64(span) + 1))
		}
		start := time.Now()
		outcomes[killMigration(t, dir, killAfter)]++
		if round == 0 {
			span = time.Since(start)
		}
		format, buckets := storeFormatOf(t, dir)
		switch {
		case format == storeFormatV1 && slices.Contains(buckets, string(bucketChain)):
			outcomes["old store, part migrated"]++
		case format == storeFormatV1:
			outcomes["old store"]++
		case format == storeFormat:
			outcomes["new store"]++
		default:
			t.Fatalf("round %d: format %q after the kill", round, format)
		}
		checkMigratedStore(t, dir, round, blocks, pending)
	}
	t.Logf("seed %d: a whole migration took %s; %v", seed, span.Round(time.Millisecond), outcomes)
}

// killMigration runs the migration helper on dir and SIGKILLs it after
// killAfter unless it ended before; it says which happened.
func killMigration(t *testing.T, dir string, killAfter time.Duration) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), migrateHelperEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	select {
	case err := <-ended:
		if err != nil {
			t.Fatalf("the migration helper failed: %v\n%s", err, stderr.String())
		}
		return "finished"
	case <-time.After(killAfter):
		cmd.Process.Kill()
		if err := <-ended; err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("the migration helper ended with %v\n%s", err, stderr.String())
		}
		return "killed"
	}
}

// checkMigratedStore opens dir (finishing any migration) and checks that it
// holds exactly blocks and pending.
func checkMigratedStore(t *testing.T, dir string, round int, blocks []*Block, pending [][]byte) {
	t.Helper()
	s, err := OpenStore(dir, StoreOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("round %d: reopen after the kill: %v", round, err)
	}
	defer s.Close()
	c, err := OpenChain(s, ChainOptions{})
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	if err := c.WaitCheck(context.Background()); err != nil {
		t.Fatalf("round %d: check: %v", round, err)
	}
	if c.Len() != len(blocks) {
		t.Fatalf("round %d: %d blocks, want %d", round, c.Len(), len(blocks))
	}
	i := 0
	err = c.Scan(0, int64(c.Len()), func(sb *StoredBlock) error {
		if !bytes.Equal(sb.AppendWire(nil), blocks[i].WireJSON()) {
			return fmt.Errorf("block %d differs", i)
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatalf("round %d: %v", round, err)
	}
	got := c.Pending()
	if len(got) != len(pending) || !bytes.Equal(got[0].Canonical, pending[0]) {
		t.Fatalf("round %d: pending %+v", round, got)
	}
}
