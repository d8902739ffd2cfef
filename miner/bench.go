package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"blockscope/blockchain"
	"blockscope/internal/cputime"
)

// DefaultBenchDuration is how long Bench mines when neither a duration nor
// a number of attempts is given.
const DefaultBenchDuration = 3 * time.Second

// rawBufferSize is the buffer crypto/sha256 hashes to measure the machine's
// raw compression rate: large enough that per-call costs vanish.
const rawBufferSize = 16 << 10

// BenchConfig says how to run Bench.
type BenchConfig struct {
	// Workers is the number of mining workers and of raw-rate goroutines;
	// 0 means one per core (runtime.GOMAXPROCS).
	Workers int
	// Duration is how long to mine; 0 means DefaultBenchDuration, unless
	// Attempts is set.
	Duration time.Duration
	// Attempts, when positive, mines exactly the nonces 0..Attempts-1
	// instead of for a duration.
	Attempts int64
	// Kernel, when not empty, forces the hashing kernel (one of
	// Kernels()); otherwise the one calibration chose runs.
	Kernel string
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Workers int
	// Hasher names the kernel the miner used (one of Kernels()).
	Hasher string
	// Kernels is the start-up calibration's rate of every kernel this
	// machine has, on one goroutine and this block, measured for a few
	// milliseconds each: what chose Hasher unless it was forced.
	Kernels []KernelRate
	// Attempts hashes in Elapsed, that is AttemptsPerSecond.
	Attempts          uint64
	Elapsed           time.Duration
	AttemptsPerSecond float64
	// CPU is the process's CPU time over the mining (every worker and the
	// search's own goroutines), zero where cputime.Process is not reported,
	// and AttemptsPerCPUSecond is Attempts over it: on a machine shared
	// with other processes, the figure that compares runs.
	CPU                  time.Duration
	AttemptsPerCPUSecond float64
	// PreimageBytes is the length of the benchmark block's preimage at
	// nonce 0 (what seed_pow.py --attempts 1 prints), and
	// CompressionsPerAttempt the SHA-256 blocks one attempt hashes,
	// ceil((PreimageBytes+9)/64); it stays the same for nonces up to 17
	// digits.
	PreimageBytes          int
	CompressionsPerAttempt int
	// RawCompressionsPerSecond is the machine's SHA-256 rate measured in
	// the same run, after mining: crypto/sha256.Sum256 over 16 KiB buffers
	// on Workers goroutines (each call is 257 compressions, the last one
	// padding), the fastest of a few slices. RawElapsed is that slice's
	// length.
	RawCompressionsPerSecond float64
	RawElapsed               time.Duration
	// Efficiency is AttemptsPerSecond x CompressionsPerAttempt /
	// RawCompressionsPerSecond: the share of the raw rate that mining
	// turns into attempts. It can exceed 1: the miner hashes four messages
	// at once and reuses the schedule of the constant blocks, which bulk
	// hashing cannot.
	Efficiency float64
	// NonceZeroHash is the block's hash at nonce 0, as seed_pow.py prints
	// with --attempts 1.
	NonceZeroHash string
	// CheckNonce is the smallest nonce that gives the block
	// BenchCheckDifficulty leading zero hex digits, found by the same
	// kernel and workers after the measurement, and CheckHash that hash:
	// the same on every machine and kernel, so builds can be compared.
	CheckNonce int64
	CheckHash  string
}

// BenchCheckDifficulty is the difficulty of Bench's closing check: about
// 65,000 attempts, milliseconds here, under a second emulated.
const BenchCheckDifficulty = 4

// ExpectedBlockTime returns the expected time to mine a block at difficulty
// d at the measured rate: 16^d attempts on average.
func (r BenchResult) ExpectedBlockTime(d int) time.Duration {
	if r.AttemptsPerSecond <= 0 {
		return 0
	}
	s := math.Pow(16, float64(d)) / r.AttemptsPerSecond
	if s*float64(time.Second) >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(s * float64(time.Second))
}

// Bench mines BenchBlock (the block of ../shared/reference/seed_pow.py) at a
// difficulty it cannot meet for cfg's duration or number of attempts, then
// measures the raw SHA-256 rate of the machine on as many goroutines, and
// reports both. It returns ctx's error if ctx ends first.
func Bench(ctx context.Context, cfg BenchConfig) (BenchResult, error) {
	if cfg.Workers < 0 || cfg.Workers > MaxWorkers {
		return BenchResult{}, fmt.Errorf("miner: bench workers %d out of range 0..%d", cfg.Workers, MaxWorkers)
	}
	if cfg.Duration < 0 || cfg.Attempts < 0 {
		return BenchResult{}, errors.New("miner: bench duration and attempts must not be negative")
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Duration == 0 && cfg.Attempts == 0 {
		cfg.Duration = DefaultBenchDuration
	}
	block := BenchBlock()
	res := BenchResult{
		Workers:                cfg.Workers,
		PreimageBytes:          len(block.Preimage()),
		CompressionsPerAttempt: compressions(len(block.Preimage())),
		NonceZeroHash:          block.Hash(),
	}

	if err := benchMine(ctx, cfg, block, &res); err != nil {
		return res, err
	}

	found, err := Mine(ctx, block, Config{Difficulty: BenchCheckDifficulty, Workers: cfg.Workers, Kernel: cfg.Kernel})
	if err != nil {
		return res, fmt.Errorf("miner: bench check: %w", err)
	}
	res.CheckNonce, res.CheckHash = found.Nonce(), found.Hash()

	rawFor := min(max(res.Elapsed/2, 500*time.Millisecond), 2*time.Second)
	calls, rawElapsed := rawRate(ctx, cfg.Workers, rawFor)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.RawElapsed = rawElapsed
	res.RawCompressionsPerSecond = float64(calls*(rawBufferSize/64+1)) / rawElapsed.Seconds()
	res.Efficiency = res.AttemptsPerSecond * float64(res.CompressionsPerAttempt) / res.RawCompressionsPerSecond
	return res, nil
}

// benchMine mines block at a difficulty it cannot meet for cfg's duration or
// number of attempts and fills in res's kernel, attempts, times and rates.
func benchMine(ctx context.Context, cfg BenchConfig, block *blockchain.Block, res *BenchResult) error {
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if cfg.Attempts == 0 {
		mctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	// Difficulty 64 is never met, so the search runs for the whole time
	// or exactly the nonces 0..Attempts-1.
	s, err := Start(mctx, block, Config{Difficulty: blockchain.MaxDifficulty, Workers: cfg.Workers, Limit: cfg.Attempts, Kernel: cfg.Kernel})
	if err != nil {
		return err
	}
	res.Hasher = s.Kernel()
	if l, err := s.r.layout(1); err == nil {
		res.Kernels = calibrated(l).rates
	}
	cpu0, cpuOK := cputime.Process()
	var errs []error
	for ev := range s.Events() {
		switch e := ev.(type) {
		case Failed:
			errs = append(errs, e.Err)
		case Done:
			res.Attempts, res.Elapsed = e.Attempts, e.Elapsed
			if cpu1, ok := cputime.Process(); ok && cpuOK {
				res.CPU = cpu1 - cpu0
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("miner: bench: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if res.Elapsed > 0 {
		res.AttemptsPerSecond = float64(res.Attempts) / res.Elapsed.Seconds()
	}
	if res.CPU > 0 {
		res.AttemptsPerCPUSecond = float64(res.Attempts) / res.CPU.Seconds()
	}
	return nil
}

// rawSlices is the number of slices the raw measurement is cut into.
const rawSlices = 5

// rawRate measures crypto/sha256.Sum256 over 16 KiB buffers on n goroutines
// for about d, in rawSlices slices, and returns the calls and the time of
// the fastest slice. The machine may be shared: a slice that another
// process slowed down would understate the raw rate and so overstate the
// efficiency, so the fastest slice is the conservative choice.
func rawRate(ctx context.Context, n int, d time.Duration) (uint64, time.Duration) {
	var bestCalls uint64
	var bestTime time.Duration
	for range rawSlices {
		calls, took := rawSlice(ctx, n, d/rawSlices)
		if bestTime == 0 || float64(calls)/took.Seconds() > float64(bestCalls)/bestTime.Seconds() {
			bestCalls, bestTime = calls, took
		}
	}
	return bestCalls, bestTime
}

// rawSlice hashes on n goroutines for about d.
func rawSlice(ctx context.Context, n int, d time.Duration) (uint64, time.Duration) {
	var total atomic.Uint64
	var stop atomic.Bool
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for range n {
		wg.Go(func() {
			buf := make([]byte, rawBufferSize)
			var calls uint64
			for !stop.Load() {
				// Look at the clock every 16 calls (about 0.15 ms).
				for range 16 {
					sha256.Sum256(buf)
				}
				calls += 16
				if time.Now().After(deadline) || ctx.Err() != nil {
					stop.Store(true)
				}
			}
			total.Add(calls)
		})
	}
	wg.Wait()
	return total.Load(), time.Since(start)
}
