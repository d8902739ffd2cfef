package miner

import (
	"context"
	"crypto/sha256"
	"runtime/debug"
	"time"

	"blockscope/blockchain"
)

// paced is the single worker of a paced search: it tries nonces from 0 in
// order, one per tick of the pace or per Step call, and records every
// attempt for the reporter. Speed does not matter at a few attempts a
// second, so it hashes the plain preimage with crypto/sha256. It must be run
// as a goroutine; a panic becomes a Failed event.
func (r *run) paced(ctx context.Context) {
	n := int64(0)
	defer func() {
		if v := recover(); v != nil {
			r.noteGap(n)
			r.fail(&PanicError{Worker: 0, Value: v, Stack: debug.Stack()})
		}
	}()
	var tick <-chan time.Time
	if r.cfg.Pace > 0 {
		t := time.NewTicker(time.Second / time.Duration(r.cfg.Pace))
		defer t.Stop()
		tick = t.C
	}
	slot := &r.slots[0]
	best := [32]byte{0xff}
	buf := make([]byte, 0, len(r.prefix)+20+len(r.suffix))
	for ; n < r.cfg.Limit; n++ {
		if !r.waitTurn(ctx, tick) {
			r.noteGap(n)
			return
		}
		if hook := testHookBatch; hook != nil {
			hook(0, n)
		}
		buf = r.appendPreimage(buf[:0], n)
		sum := sha256.Sum256(buf)
		r.trail.Lock()
		if len(r.trail.attempts) == MaxTrail {
			r.trail.attempts = append(r.trail.attempts[:0], r.trail.attempts[1:]...)
		}
		r.trail.attempts = append(r.trail.attempts, Attempt{Nonce: n, Hash: sum})
		r.trail.Unlock()
		slot.pos.Store(n)
		if lessHash(&sum, &best) {
			best = sum
			slot.best.Store(n)
		}
		r.attempts.Add(1)
		select {
		case r.poke <- struct{}{}:
		default:
		}
		if blockchain.MeetsDifficulty(&sum, r.cfg.Difficulty) {
			r.noteFound(n)
			return
		}
	}
}

// waitTurn waits for the next tick of the pace, or for a Step call in Step
// pace, and reports false when the search is cancelled first.
func (r *run) waitTurn(ctx context.Context, tick <-chan time.Time) bool {
	if tick != nil {
		select {
		case <-tick:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		// Steps may arrive faster than they are served; each is one attempt.
		if s := r.steps.Load(); s > 0 && r.steps.CompareAndSwap(s, s-1) {
			return true
		}
		select {
		case <-r.wake:
		case <-ctx.Done():
			return false
		}
	}
}

// takeTrail returns the attempts recorded since the last call.
func (r *run) takeTrail() []Attempt {
	r.trail.Lock()
	defer r.trail.Unlock()
	if len(r.trail.attempts) == 0 {
		return nil
	}
	t := r.trail.attempts
	r.trail.attempts = nil
	return t
}

// mergeTrail joins an undelivered trail and a newer one, keeping the latest
// MaxTrail attempts.
func mergeTrail(older, newer []Attempt) []Attempt {
	if len(older) == 0 {
		return newer
	}
	out := append(older, newer...)
	if len(out) > MaxTrail {
		out = out[len(out)-MaxTrail:]
	}
	return out
}

// lessHash reports whether a has more leading zeros than b or, with as many,
// is smaller: the order in which "best" is kept.
func lessHash(a, b *[32]byte) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
