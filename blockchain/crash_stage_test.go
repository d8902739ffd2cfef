package blockchain

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// stageHelperEnv names the store directory of a staging helper: when it is
// set, the test binary is the child process of TestCrashDuringStagedFork.
const stageHelperEnv = "BLOCKSCOPE_STAGE_HELPER_DIR"

// stageCrashChains returns the two chains of TestCrashDuringStagedFork,
// the same in every process: ours, of 120 blocks, and the peer's, of 160,
// which forks from ours at height 20.
func stageCrashChains(t testing.TB) (ours, theirs []*Block) {
	a := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	b := NewMemoryChain(ChainOptions{Clock: fixedClock()})
	for i := 1; i < 160; i++ {
		for _, c := range []*Chain{a, b} {
			if c == a && i >= 120 {
				continue
			}
			who := "ours"
			if c == b || i < 20 {
				who = "shared"
			}
			if _, err := c.AddTransaction(map[string]any{"author": who, "content": fmt.Sprintf("%s %d", who, i)}); err != nil {
				t.Fatal(err)
			}
			tmpl, err := c.Template()
			if err != nil {
				t.Fatal(err)
			}
			blk, err := Mine(context.Background(), tmpl, SeedDifficulty)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.AddBlock(blk); err != nil {
				t.Fatal(err)
			}
		}
	}
	return allBlocks(a), allBlocks(b)
}

// helperT lets the helper process build the chains with the tests' code.
type helperT struct{ testing.TB }

func (helperT) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

// runStageHelper stages the peer's chain over ours in the store in dir, in
// small writes, switches to it and prints "switched"; it prints "ready"
// when the store is open.
func runStageHelper(dir string, stdout, stderr io.Writer) int {
	stageCopyBytes = 512
	_, theirs := stageCrashChains(helperT{})
	s, err := OpenStore(dir, StoreOptions{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 3
	}
	defer s.Close()
	c, err := OpenChain(s, ChainOptions{})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 3
	}
	fmt.Fprintln(stdout, "ready")
	st, err := c.StageFork(theirs[20:25])
	for lo := 25; err == nil && lo < len(theirs); lo += 5 {
		err = st.Add(theirs[lo:min(lo+5, len(theirs))])
	}
	if err == nil {
		_, _, err = st.Switch()
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 3
	}
	fmt.Fprintln(stdout, "switched")
	return 0
}

// TestCrashDuringStagedFork kills a process staging a deep fork and
// switching to it at random moments, and checks after each kill that the
// store holds our old chain or the peer's whole chain, passes the check,
// and keeps no staged blocks once opened.
func TestCrashDuringStagedFork(t *testing.T) {
	const rounds = 10
	seed := uint64(time.Now().UnixNano())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d", seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0x57a6))
	ours, theirs := stageCrashChains(t)
	outcomes := map[string]int{}
	for round := range rounds {
		dir := t.TempDir()
		s, c := openStoreChain(t, dir)
		if _, err := c.Replace(ours); err != nil {
			t.Fatal(err)
		}
		s.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), stageHelperEnv+"="+dir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		if !lines.Scan() || lines.Text() != "ready" {
			cmd.Wait()
			t.Fatalf("round %d: the helper did not start: %s", round, stderr.String())
		}
		time.AfterFunc(time.Duration(rng.IntN(120_000))*time.Microsecond, func() { cmd.Process.Kill() })
		io.Copy(io.Discard, out)
		if err := cmd.Wait(); err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: helper ended with %v\n%s", round, err, stderr.String())
		}
		outcomes[checkStagedCrash(t, dir, round, ours, theirs)]++
	}
	t.Logf("outcomes of %d kills: %v", rounds, outcomes)
}

// checkStagedCrash opens the store a killed staging helper left and returns
// which chain it holds.
func checkStagedCrash(t *testing.T, dir string, round int, ours, theirs []*Block) string {
	t.Helper()
	s, c := openStoreChain(t, dir)
	defer s.Close()
	if err := c.WaitCheck(context.Background()); err != nil {
		t.Fatalf("round %d: the store does not pass the check: %v", round, err)
	}
	got := hashesOf(allBlocks(c))
	<-s.LeftoversSwept()
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketStaging) != nil || tx.Bucket(bucketDiscard) != nil {
			return fmt.Errorf("round %d: staged or replaced blocks are left in the opened store", round)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case slices.Equal(got, hashesOf(ours)):
		return "old chain"
	case slices.Equal(got, hashesOf(theirs)):
		return "new chain"
	}
	t.Fatalf("round %d: the store holds %d blocks, neither our chain nor the peer's", round, len(got))
	return ""
}
