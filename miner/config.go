package miner

import (
	"fmt"
	"math"
	"runtime"

	"blockscope/blockchain"
)

// Pace is how fast a search tries nonces: attempts per second, Unlimited or
// Step. Paced searches (any Pace but Unlimited) run one worker and report
// every attempt in Progress.Trail, so a person can watch each nonce and its
// hash go by.
type Pace int64

const (
	// Unlimited runs the search as fast as the workers go.
	Unlimited Pace = 0
	// Step tries one nonce per call of Search.Step.
	Step Pace = -1
	// MaxPace is the fastest paced rate; beyond it nobody can read the
	// trail, so use Unlimited.
	MaxPace Pace = 1000
)

// String names the pace for menus and logs.
func (p Pace) String() string {
	switch {
	case p == Unlimited:
		return "unlimited"
	case p == Step:
		return "step"
	default:
		return fmt.Sprintf("%d/s", int64(p))
	}
}

// MaxWorkers bounds Config.Workers.
const MaxWorkers = 1024

// Config says how to run a search.
type Config struct {
	// Difficulty is the number of leading zero hex digits the hash needs,
	// 1..64. The chain accepts nothing below blockchain.SeedDifficulty;
	// lower targets exist for demonstrations and tests.
	Difficulty int
	// Workers is the number of goroutines hashing in an Unlimited search;
	// 0 means one per core the Go scheduler uses (runtime.GOMAXPROCS).
	// A paced search always uses one.
	Workers int
	// Pace is Unlimited (the zero value), Step, or 1..MaxPace attempts a
	// second.
	Pace Pace
	// Limit, when positive, restricts the search to the nonces 0..Limit-1:
	// when none of them is valid it ends with Done{Found: false} after
	// exactly Limit attempts. Zero means every non-negative int64 but
	// math.MaxInt64. It makes a fixed amount of work, for benchmarks.
	Limit int64
	// Kernel, when not empty, names the hashing kernel to use (one of
	// Kernels()) instead of the fastest one measured at start. For
	// benchmarks and tests.
	Kernel string
}

// normalize checks cfg and fills in the defaults.
func (cfg Config) normalize() (Config, error) {
	if cfg.Difficulty < 1 || cfg.Difficulty > blockchain.MaxDifficulty {
		return cfg, fmt.Errorf("miner: difficulty %d out of range 1..%d", cfg.Difficulty, blockchain.MaxDifficulty)
	}
	if cfg.Pace < Step || cfg.Pace > MaxPace {
		return cfg, fmt.Errorf("miner: pace %d out of range (%d for step, 0 for unlimited, or 1..%d attempts a second)", int64(cfg.Pace), int64(Step), int64(MaxPace))
	}
	if cfg.Workers < 0 || cfg.Workers > MaxWorkers {
		return cfg, fmt.Errorf("miner: workers %d out of range 0..%d", cfg.Workers, MaxWorkers)
	}
	if cfg.Limit < 0 {
		return cfg, fmt.Errorf("miner: limit %d is negative", cfg.Limit)
	}
	if cfg.Kernel != "" {
		if _, err := kernelNamed(cfg.Kernel); err != nil {
			return cfg, err
		}
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Pace != Unlimited {
		cfg.Workers = 1
	}
	if cfg.Limit == 0 {
		cfg.Limit = math.MaxInt64
	}
	return cfg, nil
}
