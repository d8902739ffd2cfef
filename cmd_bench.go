package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"time"

	"blockscope/miner"
)

// benchJSON is the --json output of blockscope bench: one object.
type benchJSON struct {
	AttemptsPerSecond        float64            `json:"attempts_per_second"`
	Workers                  int                `json:"workers"`
	PreimageBytes            int                `json:"preimage_bytes"`
	CompressionsPerAttempt   int                `json:"compressions_per_attempt"`
	RawCompressionsPerSecond float64            `json:"raw_compressions_per_second"`
	Efficiency               float64            `json:"efficiency"`
	Attempts                 uint64             `json:"attempts"`
	Seconds                  float64            `json:"seconds"`
	CPUSeconds               float64            `json:"cpu_seconds,omitempty"`
	AttemptsPerCPUSecond     float64            `json:"attempts_per_cpu_second,omitempty"`
	RawSeconds               float64            `json:"raw_seconds"`
	Hasher                   string             `json:"hasher"`
	KernelAttemptsPerSecond  map[string]float64 `json:"kernel_attempts_per_second"`
	NonceZeroHash            string             `json:"nonce0_hash"`
	CheckDifficulty          int                `json:"check_difficulty"`
	CheckNonce               int64              `json:"check_nonce"`
	CheckHash                string             `json:"check_hash"`
	ExpectedSecondsPerBlock  map[string]float64 `json:"expected_seconds_per_block"`
}

// runBench is blockscope bench: it mines the block of seed_pow.py for a
// fixed time or number of attempts, measures the raw SHA-256 rate of the
// machine in the same run, and prints both with the miner's efficiency.
// It returns the exit code: 0 ok, 1 failure, 2 usage.
func runBench(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("bench")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: blockscope bench [--seconds N | --attempts N] [--workers N] [--kernel NAME] [--json]\n\n"+
			"Mines the block of ../shared/reference/seed_pow.py (same preimage bytes) and compares\n"+
			"the miner with this machine's raw SHA-256 rate.\n\n")
		fs.PrintDefaults()
	}
	seconds := fs.Float64("seconds", miner.DefaultBenchDuration.Seconds(), "mine for this many `seconds`")
	attempts := fs.Int64("attempts", 0, "mine exactly this many nonces instead of for a time")
	workers := fs.Int("workers", 0, "mining workers and raw-rate goroutines (0: one per core)")
	kernel := fs.String("kernel", "", "hash with this `kernel` instead of the fastest measured at start ("+strings.Join(miner.Kernels(), ", ")+")")
	asJSON := fs.Bool("json", false, "print one JSON object")
	chainLen := fs.Int64("chain", 0, "instead, mine a valid chain of `N` blocks (3 transactions each) and write it to --out")
	out := fs.String("out", "", "with --chain: a dump `FILE` (.json, or - for standard output) or a store DIR (new)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *chainLen != 0 || *out != "" {
		if *chainLen < 1 || *out == "" {
			fmt.Fprintf(stderr, "blockscope bench: --chain N (at least 1) and --out FILE|DIR go together\n")
			return 2
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return runBenchChain(ctx, *chainLen, *out, *workers, stdout, stderr)
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "blockscope bench: unexpected argument %q\n", fs.Arg(0))
		return 2
	case !(*seconds > 0 && *seconds <= 24*3600):
		fmt.Fprintf(stderr, "blockscope bench: --seconds %v must be more than 0 and at most a day\n", *seconds)
		return 2
	case *attempts < 0:
		fmt.Fprintf(stderr, "blockscope bench: --attempts %d is negative\n", *attempts)
		return 2
	case *workers < 0 || *workers > miner.MaxWorkers:
		fmt.Fprintf(stderr, "blockscope bench: --workers %d out of range 0..%d\n", *workers, miner.MaxWorkers)
		return 2
	case *kernel != "" && !slices.Contains(miner.Kernels(), *kernel):
		fmt.Fprintf(stderr, "blockscope bench: --kernel %q is not one of this machine's kernels (%s)\n", *kernel, strings.Join(miner.Kernels(), ", "))
		return 2
	}
	cfg := miner.BenchConfig{Workers: *workers, Attempts: *attempts, Kernel: *kernel}
	if *attempts == 0 {
		cfg.Duration = time.Duration(*seconds * float64(time.Second))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := miner.Bench(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "blockscope bench: %v\n", err)
		return 1
	}
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(newBenchJSON(res)); err != nil {
			fmt.Fprintf(stderr, "blockscope bench: %v\n", err)
			return 1
		}
		return 0
	}
	printBench(stdout, res)
	return 0
}

// newBenchJSON returns the --json form of r.
func newBenchJSON(r miner.BenchResult) benchJSON {
	out := benchJSON{
		AttemptsPerSecond:        r.AttemptsPerSecond,
		Workers:                  r.Workers,
		PreimageBytes:            r.PreimageBytes,
		CompressionsPerAttempt:   r.CompressionsPerAttempt,
		RawCompressionsPerSecond: r.RawCompressionsPerSecond,
		Efficiency:               r.Efficiency,
		Attempts:                 r.Attempts,
		Seconds:                  r.Elapsed.Seconds(),
		CPUSeconds:               r.CPU.Seconds(),
		AttemptsPerCPUSecond:     r.AttemptsPerCPUSecond,
		RawSeconds:               r.RawElapsed.Seconds(),
		Hasher:                   r.Hasher,
		KernelAttemptsPerSecond:  map[string]float64{},
		NonceZeroHash:            r.NonceZeroHash,
		CheckDifficulty:          miner.BenchCheckDifficulty,
		CheckNonce:               r.CheckNonce,
		CheckHash:                r.CheckHash,
		ExpectedSecondsPerBlock:  map[string]float64{},
	}
	for _, k := range r.Kernels {
		out.KernelAttemptsPerSecond[k.Kernel] = k.AttemptsPerSecond
	}
	for d := 2; d <= 8; d++ {
		out.ExpectedSecondsPerBlock[strconv.Itoa(d)] = r.ExpectedBlockTime(d).Seconds()
	}
	return out
}

// printBench writes the human-readable report.
func printBench(w io.Writer, r miner.BenchResult) {
	fmt.Fprintf(w, "blockscope bench: the block of seed_pow.py (index 1, %d transactions; hash at nonce 0 %s…)\n\n",
		miner.BenchTransactions, r.NonceZeroHash[:16])
	fmt.Fprintf(w, "  hasher                   %s\n", r.Hasher)
	for _, k := range r.Kernels {
		fmt.Fprintf(w, "    %-22s %s at start-up calibration (one goroutine)\n", k.Kernel, siRate(k.AttemptsPerSecond, "H/s"))
	}
	fmt.Fprintf(w, "  workers                  %d\n", r.Workers)
	fmt.Fprintf(w, "  attempts                 %d in %.3f s\n", r.Attempts, r.Elapsed.Seconds())
	fmt.Fprintf(w, "  attempts/s               %s\n", siRate(r.AttemptsPerSecond, "H/s"))
	if r.CPU > 0 {
		fmt.Fprintf(w, "  attempts/CPU-second      %s (%.3f s of CPU; on a busy machine the steadier figure)\n", siRate(r.AttemptsPerCPUSecond, "H/s"), r.CPU.Seconds())
	}
	fmt.Fprintf(w, "  preimage bytes           %d (at nonce 0)\n", r.PreimageBytes)
	fmt.Fprintf(w, "  compressions/attempt     %d = ceil((%d+9)/64)\n", r.CompressionsPerAttempt, r.PreimageBytes)
	fmt.Fprintf(w, "  raw sha256 rate          %s compressions/s (crypto/sha256 over 16 KiB buffers, %d goroutines, %.2f s)\n",
		siRate(r.RawCompressionsPerSecond, ""), r.Workers, r.RawElapsed.Seconds())
	fmt.Fprintf(w, "  efficiency               %.3f (attempts/s x compressions/attempt / raw compressions/s)\n", r.Efficiency)
	fmt.Fprintf(w, "  check                    nonce %d gives %s… (difficulty %d, same kernel)\n\n", r.CheckNonce, r.CheckHash[:16], miner.BenchCheckDifficulty)
	fmt.Fprintf(w, "expected time per block at %s (16^d attempts on average):\n", siRate(r.AttemptsPerSecond, "H/s"))
	for d := 2; d <= 8; d++ {
		fmt.Fprintf(w, "  difficulty %d   %s\n", d, humanDuration(r.ExpectedBlockTime(d)))
	}
}

// siRate formats a rate with a k/M/G prefix.
func siRate(v float64, unit string) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.2f G%s", v/1e9, unit)
	case v >= 1e6:
		return fmt.Sprintf("%.2f M%s", v/1e6, unit)
	case v >= 1e3:
		return fmt.Sprintf("%.2f k%s", v/1e3, unit)
	}
	return fmt.Sprintf("%.0f %s", v, unit)
}

// humanDuration rounds a duration for a table of expectations.
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.1f min", d.Minutes())
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1f h", d.Hours())
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}
