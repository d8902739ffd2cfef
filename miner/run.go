package miner

import (
	"math"
	"sync"
	"sync/atomic"
	"time"

	"blockscope/blockchain"
)

// run is the state the workers and the reporter of one search share.
type run struct {
	tmpl           *blockchain.Block
	prefix, suffix []byte
	cfg            Config
	start          time.Time
	kernel         kernel // the workers' hashing code

	// The nonce space 0..cfg.Limit-1 is cut into nchunks chunks of chunk
	// nonces, handed out in increasing order; workers add to attempts and
	// look at stop and found after every batch nonces.
	chunk, batch, nchunks int64

	next     atomic.Int64  // the next chunk to hand out
	found    atomic.Int64  // the smallest valid nonce seen; math.MaxInt64 when none
	gap      atomic.Int64  // the smallest nonce left unscanned by an interrupted worker; math.MaxInt64 when none
	attempts atomic.Uint64 // hashes computed
	stop     atomic.Bool   // set when the search is cancelled or failed

	slots []slot // one per worker

	layouts [maxDigits + 1]struct {
		once sync.Once
		l    *layout
		err  error
	}

	failMu sync.Mutex
	errs   []error

	// Paced searches only.
	steps atomic.Int64  // Step calls not yet served
	wake  chan struct{} // one-slot: a Step call happened
	poke  chan struct{} // one-slot: the paced worker made an attempt
	trail struct {
		sync.Mutex
		attempts []Attempt
	}
}

// slot is what one worker publishes for the reporter, padded to its own
// cache line so workers do not slow each other down.
type slot struct {
	pos  atomic.Int64 // a nonce the worker is at; -1 before it starts
	best atomic.Int64 // its nonce with the smallest hash so far; -1 before any
	_    [48]byte
}

// targetBatchCompressions sets how much work a worker does between looks at
// the shared state: about 0.4 ms at this project's measured rate, so that
// cancellation is seen well within 50 ms and the counter is cheap.
const targetBatchCompressions = 32768

// chunkBatches is the number of batches in a chunk. After a find, workers on
// lower chunks finish them, so a chunk is also the most extra work a find
// costs each worker (a few ms).
const chunkBatches = 16

func newRun(tmpl *blockchain.Block, cfg Config, chunk int64) *run {
	prefix, suffix := tmpl.NonceSplit()
	r := &run{tmpl: tmpl, prefix: prefix, suffix: suffix, cfg: cfg}
	blocks := int64(compressions(len(prefix) + 1 + len(suffix)))
	r.batch = max(4, targetBatchCompressions/blocks&^3)
	r.chunk = r.batch * chunkBatches
	if chunk > 0 {
		r.chunk = chunk
		r.batch = min(r.batch, chunk)
	}
	r.nchunks = cfg.Limit / r.chunk
	if cfg.Limit%r.chunk != 0 {
		r.nchunks++
	}
	r.found.Store(math.MaxInt64)
	r.gap.Store(math.MaxInt64)
	r.slots = make([]slot, cfg.Workers)
	for i := range r.slots {
		r.slots[i].pos.Store(-1)
		r.slots[i].best.Store(-1)
	}
	r.wake = make(chan struct{}, 1)
	r.poke = make(chan struct{}, 1)
	return r
}

// chooseKernel sets r.kernel: the configured one, or the fastest measured
// on the template.
func (r *run) chooseKernel() error {
	if r.cfg.Kernel != "" {
		k, err := kernelNamed(r.cfg.Kernel)
		r.kernel = k
		return err
	}
	l, err := r.layout(1)
	if err != nil {
		return err
	}
	r.kernel = calibrated(l).best
	return nil
}

// layout returns the shared layout for nonces of d digits, building it on
// first use. Safe for concurrent use; the layout is read-only.
func (r *run) layout(d int) (*layout, error) {
	e := &r.layouts[d]
	e.once.Do(func() { e.l, e.err = newLayout(r.prefix, r.suffix, d) })
	return e.l, e.err
}

// noteFound records a valid nonce; the smallest wins.
func (r *run) noteFound(n int64) { storeMin(&r.found, n) }

// noteGap records that the nonces from n up may not have been scanned.
func (r *run) noteGap(n int64) { storeMin(&r.gap, n) }

func storeMin(v *atomic.Int64, n int64) {
	for {
		cur := v.Load()
		if n >= cur || v.CompareAndSwap(cur, n) {
			return
		}
	}
}

// fail records a worker's error and stops the search.
func (r *run) fail(err error) {
	r.failMu.Lock()
	r.errs = append(r.errs, err)
	r.failMu.Unlock()
	r.stop.Store(true)
}

// result returns the confirmed smallest valid nonce: the smallest one seen,
// when every nonce below it was scanned. Call it after the workers returned.
func (r *run) result() (int64, bool) {
	f := r.found.Load()
	return f, f != math.MaxInt64 && f < r.gap.Load()
}

// appendPreimage appends the template's preimage with nonce n.
func (r *run) appendPreimage(dst []byte, n int64) []byte {
	dst = append(dst, r.prefix...)
	dst = appendInt(dst, n)
	return append(dst, r.suffix...)
}

func appendInt(dst []byte, n int64) []byte {
	var b [20]byte
	i := len(b)
	neg := n < 0
	u := uint64(n)
	if neg {
		u = -u
	}
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return append(dst, b[i:]...)
}
