package blockchain

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// crashHelperEnv names the store directory of a crash helper: when it is
// set, the test binary is the child process of TestCrashSafety.
const crashHelperEnv = "BLOCKSCOPE_CRASH_HELPER_DIR"

// crashSeedEnv replays a failed TestCrashSafety run; crashRoundsEnv sets
// its number of kills for a longer soak (the deadline still applies).
const (
	crashSeedEnv   = "BLOCKSCOPE_CRASH_SEED"
	crashRoundsEnv = "BLOCKSCOPE_CRASH_ROUNDS"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashHelperEnv); dir != "" {
		os.Exit(runCrashHelper(dir, os.Getenv("BLOCKSCOPE_CRASH_ROUND"), os.Stdout, os.Stderr))
	}
	if dir := os.Getenv(migrateHelperEnv); dir != "" {
		os.Exit(runMigrateHelper(dir, os.Stderr))
	}
	if dir := os.Getenv(stageHelperEnv); dir != "" {
		os.Exit(runStageHelper(dir, os.Stdout, os.Stderr))
	}
	code := m.Run()
	removeBenchData()
	os.Exit(code)
}

// runCrashHelper adds transactions from two goroutines and mines blocks on a
// store until it is killed, printing one line after each call returns:
// "tx <canonical>" or "block <height> <hash>". Whatever it printed was
// acknowledged and must survive the kill. Its loops are bounded so that an
// orphaned helper ends by itself.
func runCrashHelper(dir, round string, stdout, stderr io.Writer) int {
	const writers, txsEach = 2, 400
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
	var outMu sync.Mutex
	ack := func(line string) {
		outMu.Lock()
		defer outMu.Unlock()
		// One write per line: a kill never leaves half a line that parses.
		stdout.Write([]byte(line + "\n"))
	}
	fail := make(chan error, writers+1)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range txsEach {
				p, err := c.AddTransaction(map[string]any{"author": fmt.Sprintf("writer %d", w), "content": fmt.Sprintf("round %s tx %d héllo ✓ 中文 😀", round, i)})
				if err != nil {
					fail <- err
					return
				}
				ack("tx " + string(p.Canonical))
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	changes, cancel := c.Subscribe()
	defer cancel()
	for {
		tmpl, err := c.Template()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 3
		}
		if tmpl == nil {
			select {
			case <-changes:
				continue
			case <-done:
				return 0
			case err := <-fail:
				fmt.Fprintln(stderr, err)
				return 3
			}
		}
		b, err := Mine(context.Background(), tmpl, SeedDifficulty)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 3
		}
		if err := c.AddBlock(b); err != nil {
			fmt.Fprintln(stderr, err)
			return 3
		}
		ack(fmt.Sprintf("block %d %s", b.Index(), b.Hash()))
	}
}

// TestCrashSafety kills a writing process with SIGKILL at random moments
// and checks after each kill that the store opens, the chain validates and
// every transaction and block the process acknowledged is there.
func TestCrashSafety(t *testing.T) {
	rounds := 30
	if s := os.Getenv(crashRoundsEnv); s != "" {
		var err error
		if rounds, err = strconv.Atoi(s); err != nil || rounds < 1 {
			t.Fatalf("%s=%q: want a positive number of rounds", crashRoundsEnv, s)
		}
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(crashSeedEnv); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with %s=%d", crashSeedEnv, seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	dir := t.TempDir()
	ackedTxs := map[string]bool{}
	ackedBlocks := map[int64]string{}
	// A round takes well under a second on an idle machine; under load,
	// starting the helper alone can take more.
	deadline := time.Now().Add(time.Duration(rounds) * 3 * time.Second)
	if d, ok := t.Deadline(); ok && d.Before(deadline) {
		deadline = d.Add(-time.Second)
	}

	for round := range rounds {
		if time.Now().After(deadline) {
			t.Fatalf("ran out of time after %d rounds", round)
		}
		killAfterLines := 1 + rng.IntN(60)
		killAfter := time.Duration(rng.IntN(150_000)) * time.Microsecond
		// Most rounds time the kill from the helper's first
		// acknowledgement, so that on a loaded machine, where starting
		// the helper can take longer than killAfter, the kills still land
		// while it writes; one in five times it from the start, to kill
		// while the store is being opened too.
		fromStart := rng.IntN(5) == 0
		lines, stderr, stop := startCrashHelper(t, dir, round)
		timer := newKillTimer(fromStart, killAfter)
		got, killed := 0, false
		for !killed {
			select {
			case line, ok := <-lines:
				if !ok {
					_, err := stop()
					t.Fatalf("round %d: the helper ended before it was killed: %v\n%s", round, err, stderr)
				}
				recordAck(t, line, ackedTxs, ackedBlocks)
				timer.start()
				if got++; got >= killAfterLines {
					killed = true
				}
			case <-timer.fired():
				killed = true
			}
		}
		timer.stop()
		rest, err := stop()
		if err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: helper ended with %v, want killed\n%s", round, err, stderr)
		}
		// Lines written before the kill are acknowledgements too.
		for _, line := range rest {
			recordAck(t, line, ackedTxs, ackedBlocks)
		}
		checkCrashedStore(t, dir, round, ackedTxs, ackedBlocks)
	}
	if len(ackedBlocks) == 0 || len(ackedTxs) == 0 {
		t.Fatalf("%d blocks and %d transactions acknowledged in %d rounds: the kills tested nothing", len(ackedBlocks), len(ackedTxs), rounds)
	}
	t.Logf("seed %d: %d rounds, %d transactions and %d blocks acknowledged, all kept", seed, rounds, len(ackedTxs), len(ackedBlocks))
}

// killTimer is when a crash round kills its helper: after a delay counted
// from the round's start, or from the helper's first acknowledgement.
type killTimer struct {
	after time.Duration
	t     *time.Timer // nil until started
}

func newKillTimer(fromStart bool, after time.Duration) *killTimer {
	k := &killTimer{after: after}
	if fromStart {
		k.start()
	}
	return k
}

// start starts the delay unless it runs already.
func (k *killTimer) start() {
	if k.t == nil {
		k.t = time.NewTimer(k.after)
	}
}

// fired is the timer's channel; nil, which never fires, until started.
func (k *killTimer) fired() <-chan time.Time {
	if k.t == nil {
		return nil
	}
	return k.t.C
}

func (k *killTimer) stop() {
	if k.t != nil {
		k.t.Stop()
	}
}

// startCrashHelper re-executes the test binary as a crash helper on dir. It
// returns the helper's complete stdout lines as they come, its stderr, and
// stop, which SIGKILLs it, returns the lines it wrote that were not yet
// received and how it ended.
func startCrashHelper(t *testing.T, dir string, round int) (<-chan string, *bytes.Buffer, func() ([]string, error)) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashHelperEnv+"="+dir, "BLOCKSCOPE_CRASH_ROUND="+strconv.Itoa(round))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		r := bufio.NewReader(out)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return // EOF; a line cut short by the kill was never acknowledged
			}
			lines <- strings.TrimSuffix(line, "\n")
		}
	}()
	var once sync.Once
	var rest []string
	var waitErr error
	stop := func() ([]string, error) {
		once.Do(func() {
			cmd.Process.Kill()
			// Read to EOF before Wait closes the pipe, or lines could be lost.
			for line := range lines {
				rest = append(rest, line)
			}
			waitErr = cmd.Wait()
		})
		return rest, waitErr
	}
	t.Cleanup(func() { stop() })
	return lines, &stderr, stop
}

func recordAck(t *testing.T, line string, txs map[string]bool, blocks map[int64]string) {
	t.Helper()
	switch {
	case strings.HasPrefix(line, "tx "):
		txs[strings.TrimPrefix(line, "tx ")] = true
	case strings.HasPrefix(line, "block "):
		var height int64
		var hash string
		if _, err := fmt.Sscanf(line, "block %d %s", &height, &hash); err != nil {
			t.Fatalf("helper line %q: %v", line, err)
		}
		blocks[height] = hash
	default:
		t.Fatalf("unexpected helper line %q", line)
	}
}

// checkCrashedStore opens the store a killed helper left and checks that
// nothing acknowledged was lost and no transaction is both mined and pending.
func checkCrashedStore(t *testing.T, dir string, round int, txs map[string]bool, blocks map[int64]string) {
	t.Helper()
	s, err := OpenStore(dir, StoreOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("round %d: reopen: %v", round, err)
	}
	defer s.Close()
	c, err := OpenChain(s, ChainOptions{})
	if err != nil {
		t.Fatalf("round %d: the store does not open after a kill: %v", round, err)
	}
	mined := map[string]bool{}
	for _, b := range allBlocks(c) {
		for _, tx := range b.Transactions() {
			canonical, err := Canonical(tx)
			if err != nil {
				t.Fatal(err)
			}
			mined[string(canonical)] = true
		}
	}
	pending := map[string]bool{}
	for _, p := range c.Pending() {
		if mined[string(p.Canonical)] {
			t.Fatalf("round %d: transaction both mined and pending: %s", round, p.Canonical)
		}
		pending[string(p.Canonical)] = true
	}
	for tx := range txs {
		if !mined[tx] && !pending[tx] {
			t.Fatalf("round %d: acknowledged transaction lost: %s", round, tx)
		}
	}
	for height, hash := range blocks {
		b := c.Block(height)
		if b == nil || b.Hash() != hash {
			t.Fatalf("round %d: acknowledged block %d %s lost (chain has %d blocks)", round, height, short(hash), c.Len())
		}
	}
}
