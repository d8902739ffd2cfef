package miner

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"time"

	"blockscope/blockchain"
)

// Reporting cadence: the reporter samples the workers every progressTick
// and never sends two Progress events less than progressGap apart, so a
// search sends at most about ten a second.
const (
	progressTick = 100 * time.Millisecond
	progressGap  = 90 * time.Millisecond
	// rateWindow is the span over which Progress.Rate is averaged.
	rateWindow = time.Second
	// pacedIdle is how often a paced search with nothing new still sends a
	// Progress (so Rate decays and Elapsed moves).
	pacedIdle = time.Second
)

// Search is a running nonce search. Its methods are safe for concurrent use.
type Search struct {
	r      *run
	events chan Event
	done   chan struct{}
	cancel context.CancelFunc

	// Reporter state, touched only by the reporter goroutine.
	lastEmit     time.Time
	lastAttempts uint64
	samples      []sample
	best         [32]byte
	bestNonce    int64
	seenBest     []int64
	buf          []byte
}

type sample struct {
	at       time.Time
	attempts uint64
}

// eventBuffer holds one Progress and the terminal events Failed, Found and
// Done, so the reporter never blocks: a search ends and closes its channel
// even when nobody receives.
const eventBuffer = 4

// Start begins a search for a nonce that makes template's hash meet
// cfg.Difficulty, trying nonces from 0 up (the template's own nonce is
// ignored). It returns an error, and starts nothing, when cfg is out of
// range or template is nil.
//
// The search runs until it finds the smallest valid nonce, exhausts
// cfg.Limit, fails, or ctx is cancelled or Stop is called; cancelling stops
// every worker within a few milliseconds. Every goroutine it starts has
// returned when Events is closed.
func Start(ctx context.Context, template *blockchain.Block, cfg Config) (*Search, error) {
	if template == nil {
		return nil, errors.New("miner: no block template")
	}
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	return start(ctx, template, cfg, 0)
}

// start is Start with cfg normalized and, for tests, the chunk size.
func start(ctx context.Context, template *blockchain.Block, cfg Config, chunk int64) (*Search, error) {
	r := newRun(template, cfg, chunk)
	// The fast path needs the nonce digits inside the first 64-byte block;
	// check the longest nonce now rather than fail in a worker later.
	if _, err := r.layout(maxDigits); err != nil {
		return nil, fmt.Errorf("miner: block %d cannot be mined: %w", template.Index(), err)
	}
	if cfg.Pace == Unlimited {
		if err := r.chooseKernel(); err != nil {
			return nil, err
		}
	} else {
		// A paced search hashes each nonce with crypto/sha256.
		r.kernel, _ = kernelNamed(KernelStdlib)
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Search{
		r:         r,
		events:    make(chan Event, eventBuffer),
		done:      make(chan struct{}),
		cancel:    cancel,
		bestNonce: -1,
		seenBest:  make([]int64, cfg.Workers),
	}
	for i := range s.seenBest {
		s.seenBest[i] = -1
	}
	r.start = time.Now()
	s.lastEmit = r.start
	var wg sync.WaitGroup
	if cfg.Pace != Unlimited {
		wg.Go(func() { r.paced(ctx) })
	} else {
		for i := range cfg.Workers {
			wg.Go(newWorker(r, i).loop)
		}
	}
	workersDone := make(chan struct{})
	go func() {
		wg.Wait()
		close(workersDone)
	}()
	go s.report(ctx, workersDone)
	return s, nil
}

// Events returns the channel of the search's events: Progress values while
// it runs, then Failed (when a worker failed), Found (when a valid nonce was
// found and confirmed smallest) and always Done last; it is closed after
// Done, when every goroutine of the search has returned. Receivers may stop
// receiving at any time: the search never blocks on its channel.
func (s *Search) Events() <-chan Event { return s.events }

// Step makes a Step-paced search try one more nonce. Calls made faster than
// the attempts are served are queued. It does nothing in other paces or
// after the search ended.
func (s *Search) Step() {
	if s.r.cfg.Pace != Step {
		return
	}
	s.r.steps.Add(1)
	select {
	case s.r.wake <- struct{}{}:
	default:
	}
}

// Stop cancels the search and waits until every goroutine of it has
// returned and Events is closed. Buffered events (Done at least) can still
// be received after it returns. It may be called any number of times.
func (s *Search) Stop() {
	s.cancel()
	<-s.done
}

// Config returns the search's configuration, with defaults filled in.
func (s *Search) Config() Config { return s.r.cfg }

// Kernel names the hashing code the search runs (one of Kernels()): the
// one given in Config.Kernel, or the fastest measured at start.
func (s *Search) Kernel() string { return s.r.kernel.name }

// report is the search's only sender on events. It samples the workers
// about ten times a second, stops them when ctx is done, and sends the
// terminal events once they have returned. It must be run as a goroutine.
func (s *Search) report(ctx context.Context, workersDone <-chan struct{}) {
	defer close(s.done)
	defer close(s.events)
	defer s.cancel()
	ticker := time.NewTicker(progressTick)
	defer ticker.Stop()
	ctxDone := ctx.Done()
	cancelled := false
	for {
		select {
		case <-ctxDone:
			cancelled = true
			s.r.stop.Store(true)
			ctxDone = nil
		case <-workersDone:
			// Workers that see the cancellation first may all return
			// before this loop reads ctxDone; the context still says why.
			s.finish(cancelled || ctx.Err() != nil)
			return
		case now := <-ticker.C:
			s.tick(now)
		case <-s.r.poke:
			// A paced attempt: show it now unless a Progress just went.
			s.tick(time.Now())
		}
	}
}

// tick sends a Progress when one is due.
func (s *Search) tick(now time.Time) {
	if now.Sub(s.lastEmit) < progressGap {
		return
	}
	if s.r.cfg.Pace != Unlimited && s.r.attempts.Load() == s.lastAttempts && now.Sub(s.lastEmit) < pacedIdle {
		return
	}
	s.sendProgress(s.snapshot(now))
}

// snapshot builds a Progress from the workers' published state.
func (s *Search) snapshot(now time.Time) Progress {
	r := s.r
	p := Progress{
		Attempts:  r.attempts.Load(),
		Nonce:     r.slots[0].pos.Load(),
		Elapsed:   now.Sub(r.start),
		Workers:   r.cfg.Workers,
		Kernel:    r.kernel.name,
		BestNonce: -1,
	}
	if p.Nonce >= 0 {
		p.Candidate = s.hash(p.Nonce)
	}
	for i := range r.slots {
		b := r.slots[i].best.Load()
		if b < 0 || b == s.seenBest[i] {
			continue
		}
		s.seenBest[i] = b
		if h := s.hash(b); s.bestNonce < 0 || lessHash(&h, &s.best) {
			s.best, s.bestNonce = h, b
		}
	}
	if s.bestNonce >= 0 {
		p.Best, p.BestNonce, p.BestZeros = s.best, s.bestNonce, blockchain.LeadingZeroNibbles(&s.best)
	}
	p.Rate = s.rate(now, p.Attempts)
	if r.cfg.Pace != Unlimited {
		p.Trail = r.takeTrail()
	}
	s.lastAttempts = p.Attempts
	s.lastEmit = now
	return p
}

// rate returns attempts per second over about the last rateWindow.
func (s *Search) rate(now time.Time, attempts uint64) float64 {
	if len(s.samples) == 0 {
		s.samples = append(s.samples, sample{s.r.start, 0})
	}
	s.samples = append(s.samples, sample{now, attempts})
	for len(s.samples) > 2 && now.Sub(s.samples[1].at) >= rateWindow {
		s.samples = s.samples[1:]
	}
	old := s.samples[0]
	dt := now.Sub(old.at).Seconds()
	if dt <= 0 {
		return 0
	}
	return float64(attempts-old.attempts) / dt
}

// hash returns the hash of the template with nonce n, computed the plain
// way (crypto/sha256 over the preimage): the reporter does not trust the
// fast path with what it shows.
func (s *Search) hash(n int64) [32]byte {
	s.buf = s.r.appendPreimage(s.buf[:0], n)
	return sha256.Sum256(s.buf)
}

// sendProgress puts p in the channel, replacing a Progress the receiver has
// not taken yet (latest wins; the older one's trail is kept). The reporter
// is the only sender, so after taking out what is there the send cannot
// block, and the channel never holds more than one Progress.
func (s *Search) sendProgress(p Progress) {
	select {
	case old := <-s.events:
		// Only Progress values are in the channel while the search runs:
		// the terminal events come after the last Progress.
		if op, ok := old.(Progress); ok {
			p.Trail = mergeTrail(op.Trail, p.Trail)
		}
	default:
	}
	s.events <- p
}

// finish sends the final Progress and the terminal events. The channel
// holds at most one Progress when it starts, so with eventBuffer slots
// none of these sends blocks.
func (s *Search) finish(cancelled bool) {
	r := s.r
	now := time.Now()
	s.sendProgress(s.snapshot(now))
	elapsed := now.Sub(r.start)
	attempts := r.attempts.Load()
	r.failMu.Lock()
	err := errors.Join(r.errs...)
	r.failMu.Unlock()
	if err != nil {
		s.events <- Failed{Err: err}
	}
	found := false
	if n, ok := r.result(); ok {
		b := r.tmpl.WithNonce(n)
		if err := blockchain.CheckBlock(b, r.cfg.Difficulty); err != nil {
			// The fast path and crypto/sha256 disagree: a bug here, never
			// a block to publish.
			s.events <- Failed{Err: fmt.Errorf("miner: internal error: nonce %d was taken as valid: %w", n, err)}
		} else {
			found = true
			s.events <- Found{Block: b, Attempts: attempts, Elapsed: elapsed}
		}
	}
	s.events <- Done{Attempts: attempts, Elapsed: elapsed, Found: found, Cancelled: cancelled}
}
