package miner

import (
	"math"
	"runtime/debug"

	"blockscope/blockchain"
)

// worker is one goroutine of an Unlimited search. Its buffers live here so
// the hot loop does not allocate.
type worker struct {
	r   *run
	id  int
	k   kernel
	buf laneBuf // the first blocks of the nonces in flight, and the results

	// A hash whose first word is below watch needs a closer look: it is
	// either a new best (below bestH0) or may meet the difficulty (below
	// foundH0).
	watch, bestH0, foundH0 uint32
}

// testHookBatch, when set by a test before Start, runs at the start of every
// batch of every worker (and every paced attempt).
var testHookBatch func(worker int, nonce int64)

func newWorker(r *run, id int) *worker {
	w := &worker{r: r, id: id, k: r.kernel, bestH0: math.MaxUint32}
	// The first word holds the first 8 hex digits.
	if d := r.cfg.Difficulty; d < 8 {
		w.foundH0 = 1 << (32 - 4*d)
	} else {
		w.foundH0 = 1
	}
	w.watch = max(w.bestH0, w.foundH0)
	return w
}

// loop takes chunks in increasing order and scans them until the nonce
// space is exhausted, a valid nonce below the next chunk is known, or the
// search stops. It must be run as a goroutine; a panic becomes a Failed
// event.
func (w *worker) loop() {
	r := w.r
	cur := int64(-1) // the chunk being scanned
	defer func() {
		if v := recover(); v != nil {
			if cur >= 0 {
				r.noteGap(cur)
			}
			r.fail(&PanicError{Worker: w.id, Value: v, Stack: debug.Stack()})
		}
	}()
	for {
		k := r.next.Add(1) - 1
		if k >= r.nchunks {
			return
		}
		lo := k * r.chunk
		if lo >= r.found.Load() {
			return
		}
		if r.stop.Load() {
			r.noteGap(lo)
			return
		}
		cur = lo
		if !w.scan(lo, min(lo+r.chunk, r.cfg.Limit)) {
			return
		}
	}
}

// scan tries the nonces lo..hi-1 in order, as many at a time as the
// kernel hashes, and reports whether the worker should go on to another
// chunk.
func (w *worker) scan(lo, hi int64) bool {
	r := w.r
	slot := &r.slots[w.id]
	for n := lo; n < hi; {
		// Within a segment every nonce has the same number of digits, so
		// the padded message has one layout.
		segEnd := min(hi, digitsEnd(n))
		l, err := r.layout(digitCount(n))
		if err != nil {
			r.noteGap(n)
			r.fail(err)
			return false
		}
		for i := range w.k.lanes {
			w.buf.first[i] = l.first
		}
		for n < segEnd {
			end := min(n+r.batch, segEnd)
			slot.pos.Store(n)
			if hook := testHookBatch; hook != nil {
				hook(w.id, n)
			}
			if r.stop.Load() {
				// A stopped search starts no batch, so a chunk left
				// unfinished is a gap and no Found can claim it.
				r.noteGap(n)
				return false
			}
			if w.batch(l, n, end) {
				return false
			}
			n = end
			if r.found.Load() <= end {
				// Every nonce left in this chunk is above a valid one.
				return false
			}
			if r.stop.Load() {
				if end < hi {
					r.noteGap(end)
				}
				return false
			}
		}
	}
	return true
}

// batch hashes the nonces n..end-1 (all of l's digit count), counts them,
// and reports whether one of them is valid.
func (w *worker) batch(l *layout, n, end int64) bool {
	off, d := l.off, l.digits
	lanes := int64(w.k.lanes)
	start := n
	w.setLanes(off, d, n, end)
	for n < end {
		w.k.hash(l, &w.buf)
		used := min(lanes, end-n)
		for _, h := range w.buf.out[:used] {
			if h < w.watch {
				if w.inspect(l, n, used) {
					w.r.attempts.Add(uint64(n + used - start))
					return true
				}
				break
			}
		}
		n += used
		if end-n >= lanes {
			for i := range lanes {
				addDigits(w.buf.first[i][off:off+d], byte(lanes))
			}
		} else if n < end {
			w.setLanes(off, d, n, end)
		}
	}
	w.r.attempts.Add(uint64(end - start))
	return false
}

// setLanes writes the nonces n, n+1, ... into the kernel's first blocks;
// lanes past end-1 repeat end-1 (their results are ignored).
func (w *worker) setLanes(off, d int, n, end int64) {
	for i := range w.k.lanes {
		putDigits(w.buf.first[i][off:off+d], min(n+int64(i), end-1))
	}
}

// inspect looks at the first lanes of the last call (nonces n, n+1, ...):
// it records a new best and reports whether one of them is valid (the
// smallest such is recorded as found).
func (w *worker) inspect(l *layout, n, lanes int64) bool {
	r := w.r
	for i := range lanes {
		h := w.buf.out[i]
		if h < w.bestH0 {
			w.bestH0 = h
			w.watch = max(w.bestH0, w.foundH0)
			r.slots[w.id].best.Store(n + i)
		}
		if h < w.foundH0 && w.meets(l, i) {
			r.noteFound(n + i)
			return true
		}
	}
	return false
}

// meets reports whether lane i meets the difficulty. Up to 8 digits the
// first word decides; beyond, the lane is hashed again in full (about once
// in 2^32 attempts).
func (w *worker) meets(l *layout, i int64) bool {
	if w.r.cfg.Difficulty <= 8 {
		return true
	}
	sum := digestOf(l, &w.buf.first[i])
	return blockchain.MeetsDifficulty(&sum, w.r.cfg.Difficulty)
}
