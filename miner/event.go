package miner

import (
	"fmt"
	"time"

	"blockscope/blockchain"
)

// Event is what a search sends on its Events channel: a Progress, Found,
// Failed or Done value. Use a type switch.
type Event interface{ isEvent() }

// Attempt is one nonce tried and the hash it gave.
type Attempt struct {
	Nonce int64
	Hash  [32]byte
}

// Progress is a sample of a running search. At most about ten are sent a
// second, whatever the hash rate; when the receiver is slow, a newer
// Progress replaces the one it has not taken yet.
type Progress struct {
	// Attempts is the number of hashes computed so far. Workers add to it
	// every few thousand nonces, so it trails the truth by at most that.
	Attempts uint64
	// Nonce is a nonce being tried now (by the first worker; in a paced
	// search, the last one tried), and Candidate its hash. Nonce is -1
	// before the first attempt.
	Nonce     int64
	Candidate [32]byte
	// Best is the hash with the most leading zeros seen so far (ties keep
	// the earlier), BestNonce its nonce and BestZeros its count of leading
	// zero hex digits. BestNonce is -1 before the first attempt.
	Best      [32]byte
	BestNonce int64
	BestZeros int
	// Rate is attempts per second over about the last second.
	Rate float64
	// Elapsed is the time since the search started.
	Elapsed time.Duration
	// Workers is the number of goroutines hashing.
	Workers int
	// Kernel names the hashing code the search runs (one of Kernels()).
	Kernel string
	// Trail is every attempt since the previous Progress, oldest first, in
	// a paced search (nil otherwise). It holds at most MaxTrail attempts,
	// the latest, when the receiver falls that far behind.
	Trail []Attempt
}

// MaxTrail bounds Progress.Trail.
const MaxTrail = 1024

// Found reports the block that meets the difficulty. It is sent only when
// the search is complete below the nonce, so Block's nonce is the smallest
// valid nonce in 0..Limit-1: exactly the one the seed's proof_of_work finds
// scanning from 0, whatever the number of workers. (Workers take chunks of
// the nonce space in increasing order; when one finds a valid nonce, the
// workers on lower chunks finish them before the search ends, and the
// smallest valid nonce seen wins.) A search cancelled, or failed, before
// the chunks below its best nonce were finished sends no Found.
type Found struct {
	// Block is the template with the nonce, its hash and claimed hash set:
	// it passes blockchain.CheckBlock at the search's difficulty.
	Block *blockchain.Block
	// Attempts is the number of hashes the search computed, on every
	// worker (more than the nonce when several workers ran).
	Attempts uint64
	// Elapsed is the time from the start to the find.
	Elapsed time.Duration
}

// Failed reports that a worker stopped on an error (a panic in a worker
// becomes a Failed with a *PanicError, never a crash). The search stops; a
// Done follows.
type Failed struct{ Err error }

// Done is the last event of every search, sent once all workers have
// returned; the channel is closed right after it.
type Done struct {
	Attempts uint64
	Elapsed  time.Duration
	// Found tells whether a Found event was sent.
	Found bool
	// Cancelled tells whether the search stopped because its context was
	// cancelled or Stop was called.
	Cancelled bool
}

func (Progress) isEvent() {}
func (Found) isEvent()    {}
func (Failed) isEvent()   {}
func (Done) isEvent()     {}

// PanicError is the error of a Failed event when a worker panicked.
type PanicError struct {
	Worker int
	Value  any
	Stack  []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("miner: worker %d panicked: %v", e.Worker, e.Value)
}
