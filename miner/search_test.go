package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.uber.org/goleak"

	"blockscope/blockchain"
)

// vector is one block of ../shared/vectors/blocks.json with the first valid
// nonce the seed finds at each difficulty.
type vector struct {
	name  string
	block *blockchain.Block
	first map[int]firstNonce
}

type firstNonce struct {
	nonce int64
	hash  string
}

// loadVectors reads the shared block vectors through blockchain.Decode, so
// integer and float timestamps keep their kinds.
func loadVectors(t *testing.T) []vector {
	t.Helper()
	data, err := os.ReadFile("../../shared/vectors/blocks.json")
	if err != nil {
		t.Fatalf("reading the shared vectors: %v", err)
	}
	v, err := blockchain.Decode(data)
	if err != nil {
		t.Fatalf("decoding blocks.json: %v", err)
	}
	var out []vector
	for i, item := range v.([]any) {
		obj := item.(map[string]any)
		b, err := blockchain.BlockFromValue(obj["block"])
		if err != nil {
			t.Fatalf("vector %d: %v", i, err)
		}
		vec := vector{name: obj["name"].(string), block: b, first: map[int]firstNonce{}}
		fn, _ := obj["first_nonce"].(map[string]any)
		for k, e := range fn {
			d, err := strconv.Atoi(k)
			if err != nil {
				t.Fatalf("vector %q: difficulty %q: %v", vec.name, k, err)
			}
			m := e.(map[string]any)
			n, ok := m["nonce"].(blockchain.Int).Int64()
			if !ok {
				t.Fatalf("vector %q: bad nonce %v", vec.name, m["nonce"])
			}
			vec.first[d] = firstNonce{nonce: n, hash: m["hash"].(string)}
		}
		if len(vec.first) > 0 {
			out = append(out, vec)
		}
	}
	if len(out) == 0 {
		t.Fatal("no first_nonce vectors in blocks.json")
	}
	return out
}

// outcome is everything a search sent.
type outcome struct {
	progress []Progress
	found    *Found
	failed   []Failed
	done     *Done
}

// collect receives every event of s until its channel is closed, failing
// the test if that takes longer than limit.
func collect(t *testing.T, s *Search, limit time.Duration) outcome {
	t.Helper()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	var o outcome
	for {
		select {
		case ev, ok := <-s.Events():
			if !ok {
				if o.done == nil {
					t.Fatal("events closed without Done")
				}
				return o
			}
			if o.done != nil {
				t.Fatalf("event %T after Done", ev)
			}
			switch e := ev.(type) {
			case Progress:
				if o.found != nil {
					t.Fatal("Progress after Found")
				}
				o.progress = append(o.progress, e)
			case Found:
				o.found = &e
			case Failed:
				o.failed = append(o.failed, e)
			case Done:
				o.done = &e
			default:
				t.Fatalf("unknown event %T", ev)
			}
		case <-deadline.C:
			s.Stop()
			t.Fatalf("search did not end within %v", limit)
		}
	}
}

func checkFound(t *testing.T, o outcome, tmpl *blockchain.Block, d int, want firstNonce) {
	t.Helper()
	if len(o.failed) > 0 {
		t.Fatalf("failed: %v", o.failed[0].Err)
	}
	if o.found == nil || !o.done.Found {
		t.Fatalf("difficulty %d: no Found (done %+v)", d, *o.done)
	}
	b := o.found.Block
	if b.Nonce() != want.nonce || b.Hash() != want.hash {
		t.Fatalf("difficulty %d: found nonce %d hash %s, want nonce %d hash %s", d, b.Nonce(), b.Hash(), want.nonce, want.hash)
	}
	if err := blockchain.CheckBlock(b, d); err != nil {
		t.Fatalf("found block fails CheckBlock: %v", err)
	}
	if b.Index() == 1 && b.PreviousHash() == blockchain.GenesisHash {
		if err := blockchain.CheckLink(blockchain.Genesis(), b, d); err != nil {
			t.Fatalf("found block fails CheckLink: %v", err)
		}
	}
	if b.Index() != tmpl.Index() || b.PreviousHash() != tmpl.PreviousHash() {
		t.Fatalf("found block is not the template's")
	}
}

func mine(t *testing.T, tmpl *blockchain.Block, cfg Config, chunk int64) outcome {
	t.Helper()
	cfg, err := cfg.normalize()
	if err != nil {
		t.Fatal(err)
	}
	s, err := start(context.Background(), tmpl, cfg, chunk)
	if err != nil {
		t.Fatal(err)
	}
	return collect(t, s, time.Minute)
}

// shortNonces bounds the nonces the search tests look for in -short mode
// (the emulated arm64 run): about a second of emulated hashing each.
const shortNonces = 30000

// TestOneWorkerReproducesSeed: one worker scanning from 0 finds exactly the
// seed's first nonce at every difficulty of the vectors, on every hashing
// path.
func TestOneWorkerReproducesSeed(t *testing.T) {
	defer goleak.VerifyNone(t)
	vecs := loadVectors(t)
	forEachKernel(t, func(_ testing.TB, k kernel) {
		for _, v := range vecs {
			for d, want := range v.first {
				if portable(k) && d > 4 || testing.Short() && want.nonce > shortNonces {
					continue // the portable kernels are slow under -race, every kernel emulated
				}
				o := mine(t, v.block, Config{Difficulty: d, Workers: 1, Kernel: k.name}, 0)
				checkFound(t, o, v.block, d, want)
			}
		}
	})
}

// TestManyWorkersFindSmallestNonce: with several workers and chunks small
// enough that they interleave, the search still reports the smallest valid
// nonce.
func TestManyWorkersFindSmallestNonce(t *testing.T) {
	defer goleak.VerifyNone(t)
	vecs := loadVectors(t)
	type config struct {
		workers int
		chunk   int64
	}
	full := config{2, 0}
	forEachKernel(t, func(_ testing.TB, k kernel) {
		for _, tc := range []config{full, {2, 4}, {3, 7}, {4, 16}, {8, 100}, {2, 1024}, {2, 17}, {3, 33}} {
			for _, v := range vecs {
				for d, want := range v.first {
					if tc.chunk != 0 && tc.chunk < 16 && want.nonce > 100000 {
						continue // tiny chunks are for the small nonces
					}
					switch {
					case portable(k) && (d > 4 || tc.workers > 3),
						testing.Short() && (want.nonce > shortNonces || tc.workers > 3):
						continue // the portable kernels are slow under -race, every kernel emulated
					case d > 4 && tc != full:
						continue // the large nonces once per kernel
					}
					o := mine(t, v.block, Config{Difficulty: d, Workers: tc.workers, Kernel: k.name}, tc.chunk)
					checkFound(t, o, v.block, d, want)
					if o.found.Attempts < uint64(want.nonce)+1 {
						t.Errorf("%s %s d=%d: %d attempts cannot have scanned up to nonce %d", k.name, v.name, d, o.found.Attempts, want.nonce)
					}
				}
			}
		}
	})
}

// TestMatchesReferenceMine compares the search with blockchain.Mine on
// templates of many lengths (so the digit-count and padding boundaries
// move), with several workers.
func TestMatchesReferenceMine(t *testing.T) {
	defer goleak.VerifyNone(t)
	for i := 0; i < 24; i++ {
		txs := []any{}
		for j := 0; j < i%4; j++ {
			txs = append(txs, map[string]any{"author": "a", "content": string(make([]byte, i*7+j)), "timestamp": 1.5})
		}
		tmpl, err := blockchain.NewBlock(int64(i*i*97), txs, float64(i)+0.25, blockchain.GenesisHash, 0)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := blockchain.Mine(context.Background(), tmpl, 3)
		if err != nil {
			t.Fatal(err)
		}
		o := mine(t, tmpl, Config{Difficulty: 3, Workers: 1 + i%3}, int64(1+i*5))
		checkFound(t, o, tmpl, 3, firstNonce{ref.Nonce(), ref.Hash()})
	}
}

// TestLimitCountsExactly: a search limited to N nonces makes exactly N
// attempts when none is valid.
func TestLimitCountsExactly(t *testing.T) {
	defer goleak.VerifyNone(t)
	tmpl := BenchBlock()
	for _, tc := range []struct {
		workers int
		limit   int64
		chunk   int64
	}{{1, 1, 0}, {1, 5, 0}, {2, 1000, 0}, {3, 12345, 100}, {2, 100001, 0}, {4, 99, 9}} {
		o := mine(t, tmpl, Config{Difficulty: 64, Workers: tc.workers, Limit: tc.limit}, tc.chunk)
		if o.found != nil || o.done.Found || o.done.Cancelled {
			t.Fatalf("%+v: unexpected outcome %+v", tc, *o.done)
		}
		if o.done.Attempts != uint64(tc.limit) {
			t.Errorf("%+v: %d attempts, want %d", tc, o.done.Attempts, tc.limit)
		}
	}
}

// TestCancelStopsQuickly: cancelling the context ends a search that would
// never find (difficulty 64), closes the channel and leaves no goroutine
// behind. Workers check the context every few thousand nonces, well under a
// millisecond; the bound is a second so that a loaded machine under -race
// cannot fail it, while a search that ignored the cancel would never end.
func TestCancelStopsQuickly(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, cfg := range []Config{{Difficulty: 64}, {Difficulty: 64, Workers: 3}, {Difficulty: 64, Pace: 10}, {Difficulty: 64, Pace: Step}} {
		ctx, cancel := context.WithCancel(context.Background())
		s, err := Start(ctx, BenchBlock(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Pace == Unlimited {
			// Wait until the workers are demonstrably hashing.
			for ev := range s.Events() {
				if p, ok := ev.(Progress); ok && p.Attempts > 0 {
					break
				}
			}
		}
		cancelled := time.Now()
		cancel()
		o := collect(t, s, 5*time.Second)
		if took := time.Since(cancelled); took > time.Second {
			t.Errorf("%+v: the search took %v to end after cancel", cfg, took)
		}
		if !o.done.Cancelled || o.done.Found {
			t.Errorf("%+v: done %+v, want cancelled and not found", cfg, *o.done)
		}
	}
}

// TestStopIsIdempotent: Stop waits for the end and may be called again, and
// Done is still there to receive.
func TestStopIsIdempotent(t *testing.T) {
	defer goleak.VerifyNone(t)
	s, err := Start(context.Background(), BenchBlock(), Config{Difficulty: 64, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	s.Stop()
	s.Stop()
	var done *Done
	for ev := range s.Events() {
		if d, ok := ev.(Done); ok {
			done = &d
		}
	}
	if done == nil || !done.Cancelled {
		t.Fatalf("after Stop: done %+v", done)
	}
}

// TestProgressRateBounded counts Progress events over a fast run: at most
// about ten a second, and they keep coming.
func TestProgressRateBounded(t *testing.T) {
	defer goleak.VerifyNone(t)
	const run = 1500 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), run)
	defer cancel()
	s, err := Start(ctx, BenchBlock(), Config{Difficulty: 64})
	if err != nil {
		t.Fatal(err)
	}
	o := collect(t, s, run+5*time.Second)
	n := len(o.progress)
	if max := int(run.Seconds()*11) + 1; n > max {
		t.Errorf("%d Progress events in %v, want at most %d", n, run, max)
	}
	if n < 5 {
		t.Errorf("only %d Progress events in %v", n, run)
	}
	last := o.progress[n-1]
	var prev uint64
	for _, p := range o.progress {
		if p.Attempts < prev {
			t.Errorf("attempts went back from %d to %d", prev, p.Attempts)
		}
		prev = p.Attempts
	}
	if last.Attempts != o.done.Attempts {
		t.Errorf("final Progress has %d attempts, Done %d", last.Attempts, o.done.Attempts)
	}
	if last.Rate <= 0 || last.BestNonce < 0 || last.BestZeros < 4 {
		t.Errorf("final Progress: rate %.0f best %d with %d zeros", last.Rate, last.BestNonce, last.BestZeros)
	}
	tmpl := BenchBlock()
	if got := tmpl.WithNonce(last.BestNonce).HashBytes(); got != last.Best {
		t.Errorf("Best %x is not the hash of nonce %d (%x)", last.Best, last.BestNonce, got)
	}
	if got := tmpl.WithNonce(last.Nonce).HashBytes(); got != last.Candidate {
		t.Errorf("Candidate %x is not the hash of nonce %d", last.Candidate, last.Nonce)
	}
}

// TestSlowReceiverGetsLatest: a receiver that does not read finds one
// Progress waiting, not a backlog.
func TestSlowReceiverGetsLatest(t *testing.T) {
	defer goleak.VerifyNone(t)
	s, err := Start(context.Background(), BenchBlock(), Config{Difficulty: 64, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	// Seven Progress periods, unread: the slack over the 300ms bound below
	// lets a worker starved on a loaded machine still have sent a later
	// Progress, while a backlog would hold the first (about 100ms).
	<-time.After(700 * time.Millisecond)
	if n := len(s.Events()); n != 1 {
		t.Fatalf("%d events waiting, want the latest Progress only", n)
	}
	p := (<-s.Events()).(Progress)
	if p.Elapsed < 300*time.Millisecond {
		t.Errorf("the waiting Progress is from %v, not the latest", p.Elapsed)
	}
}

// TestPacedTrailShowsEveryAttempt: at 200 attempts a second the trails of
// the Progress events list every nonce from 0 to the found one, in order,
// with its hash.
func TestPacedTrailShowsEveryAttempt(t *testing.T) {
	defer goleak.VerifyNone(t)
	v := loadVectors(t)[0] // genesis, int timestamp: nonce 18 at difficulty 1
	want := v.first[1]
	o := mine(t, v.block, Config{Difficulty: 1, Pace: 200}, 0)
	checkFound(t, o, v.block, 1, want)
	checkTrail(t, o, v.block, want.nonce)
}

func checkTrail(t *testing.T, o outcome, tmpl *blockchain.Block, last int64) {
	t.Helper()
	var trail []Attempt
	for _, p := range o.progress {
		trail = append(trail, p.Trail...)
	}
	if int64(len(trail)) != last+1 {
		t.Fatalf("trail holds %d attempts, want %d", len(trail), last+1)
	}
	for i, a := range trail {
		if a.Nonce != int64(i) {
			t.Fatalf("trail[%d] is nonce %d", i, a.Nonce)
		}
		if h := sha256.Sum256(tmpl.WithNonce(a.Nonce).Preimage()); h != a.Hash {
			t.Fatalf("trail[%d]: hash %x, want %x", i, a.Hash, h)
		}
	}
}

// TestStepPace: each Step is one attempt; queued steps are all served.
func TestStepPace(t *testing.T) {
	defer goleak.VerifyNone(t)
	v := loadVectors(t)[0]
	s, err := Start(context.Background(), v.block, Config{Difficulty: 1, Pace: Step})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		s.Step()
	}
	var seen uint64
	for seen < 5 {
		p := (<-s.Events()).(Progress)
		seen = p.Attempts
	}
	s.Stop()
	o := collect(t, s, time.Second)
	if o.done.Attempts != 5 || o.done.Found {
		t.Fatalf("after 5 steps: %+v", *o.done)
	}

	s, err = Start(context.Background(), v.block, Config{Difficulty: 1, Pace: Step})
	if err != nil {
		t.Fatal(err)
	}
	for range v.first[1].nonce + 1 {
		s.Step()
	}
	o = collect(t, s, 10*time.Second)
	checkFound(t, o, v.block, 1, v.first[1])
	checkTrail(t, o, v.block, v.first[1].nonce)
}

// TestWorkerPanicBecomesFailed: a panic in a worker ends the search with a
// Failed event carrying a *PanicError, never a crash.
func TestWorkerPanicBecomesFailed(t *testing.T) {
	defer goleak.VerifyNone(t)
	defer func() { testHookBatch = nil }()
	testHookBatch = func(worker int, nonce int64) {
		if worker == 1 || nonce == 3 {
			panic("boom")
		}
	}
	for _, cfg := range []Config{{Difficulty: 64, Workers: 2}, {Difficulty: 64, Pace: MaxPace}} {
		s, err := Start(context.Background(), BenchBlock(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		o := collect(t, s, 5*time.Second)
		if len(o.failed) != 1 {
			t.Fatalf("%+v: %d Failed events", cfg, len(o.failed))
		}
		var pe *PanicError
		if !errors.As(o.failed[0].Err, &pe) || pe.Value != "boom" {
			t.Fatalf("%+v: Failed with %v, want a PanicError", cfg, o.failed[0].Err)
		}
		if o.done.Found {
			t.Fatalf("%+v: found after a panic", cfg)
		}
	}
}

// TestNoFoundWhenSmallerNoncesUnscanned: a search cancelled while a worker
// below the found nonce was still scanning reports no Found, since the
// nonce might not be the smallest.
func TestNoFoundWhenSmallerNoncesUnscanned(t *testing.T) {
	defer goleak.VerifyNone(t)
	defer func() { testHookBatch = nil }()
	v := loadVectors(t)[2] // three transactions: nonce 328 at difficulty 2
	release := make(chan struct{})
	testHookBatch = func(worker int, nonce int64) {
		if nonce < 100 {
			<-release // the worker on the lowest chunk stalls
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cfg, _ := Config{Difficulty: 2, Workers: 2}.normalize()
	s, err := start(ctx, v.block, cfg, 100)
	if err != nil {
		t.Fatal(err)
	}
	// The other worker finds 328 while chunk 0..99 is stalled; the search
	// cannot end, so Progress events keep coming until it has.
	for s.r.found.Load() != 328 {
		if _, ok := (<-s.Events()).(Progress); !ok {
			t.Fatal("the search ended while a worker was stalled")
		}
	}
	cancel()
	// Release the stalled worker only once the search has seen the
	// cancellation, so it must leave chunk 0..99 unfinished.
	deadline := time.Now().Add(5 * time.Second)
	for !s.r.stop.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the search never saw the cancellation")
		}
		runtime.Gosched()
	}
	close(release)
	o := collect(t, s, 5*time.Second)
	if o.found != nil {
		t.Fatalf("Found nonce %d although nonces below it were not all tried", o.found.Block.Nonce())
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	tmpl := BenchBlock()
	for _, cfg := range []Config{
		{Difficulty: 0}, {Difficulty: 65}, {Difficulty: -1},
		{Difficulty: 2, Workers: -1}, {Difficulty: 2, Workers: MaxWorkers + 1},
		{Difficulty: 2, Pace: -2}, {Difficulty: 2, Pace: MaxPace + 1},
		{Difficulty: 2, Limit: -5},
	} {
		if s, err := Start(context.Background(), tmpl, cfg); err == nil {
			s.Stop()
			t.Errorf("%+v: no error", cfg)
		}
	}
	if _, err := Start(context.Background(), nil, Config{Difficulty: 2}); err == nil {
		t.Error("nil template: no error")
	}
}

// TestBenchBlockIsSeedPows: the bench block's preimage is the one
// seed_pow.py hashes: `python3 ../shared/reference/seed_pow.py --attempts 1`
// prints this hash and 487 preimage bytes.
func TestBenchBlockIsSeedPows(t *testing.T) {
	b := BenchBlock()
	if got, want := b.Hash(), "a3b2bdc5ae97410500ff21dd4bbe461a5ca7731861ad4744de44da820409f927"; got != want {
		t.Errorf("bench block hash at nonce 0: %s, seed_pow.py prints %s", got, want)
	}
	if n := len(b.Preimage()); n != 487 {
		t.Errorf("bench block preimage: %d bytes, seed_pow.py says 487", n)
	}
}
