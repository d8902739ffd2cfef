package blockchain

import (
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"blockscope/internal/sha256x4"
)

// checkChunk is how many blocks a check worker takes at a time, read in one
// snapshot: big enough that taking work costs nothing, small enough that
// progress moves smoothly and no read transaction lasts long.
const checkChunk = 4096

// CheckProgress says how far the check of a stored chain has come.
type CheckProgress struct {
	// Checked is how many blocks from the genesis up are checked: every
	// height below it passed.
	Checked int64
	// Total is how many blocks the check covers: the stored chain's length
	// when it was opened. Blocks added since were checked as they came.
	Total int64
	// Done is true once the check has ended.
	Done bool
	// Err is the *DamagedStoreError naming the lowest damaged block, or
	// the error that stopped the check (the store closed), or nil.
	Err error
}

// checker checks a stored chain's blocks (one SHA-256 over each stored
// preimage, the work and the links) on every core, lowest heights first.
type checker struct {
	chain *Chain
	total int64
	next  atomic.Int64 // the next chunk to hand out

	mu       sync.Mutex
	chunks   []bool // chunks checked and valid
	prefix   int64  // chunks 0..prefix-1 all checked
	errAt    int64  // the lowest damaged height found, or total
	err      error
	started  bool
	ended    bool
	finished chan struct{}
}

func newChecker(c *Chain, total int64) *checker {
	return &checker{
		chain:    c,
		total:    total,
		chunks:   make([]bool, (total+checkChunk-1)/checkChunk),
		errAt:    total,
		finished: make(chan struct{}),
	}
}

// run checks the chain on every core and returns the damage found (a
// *DamagedStoreError), the error that stopped it, or nil. Only the first
// call checks; later calls wait for it.
func (k *checker) run() error {
	k.mu.Lock()
	if k.started {
		k.mu.Unlock()
		k.wait()
		return k.progress().Err
	}
	k.started = true
	k.mu.Unlock()
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k.work()
		}()
	}
	wg.Wait()
	// Each scan let go of the pages it read, but not of the cached pages
	// the kernel mapped around them with each fault: about 10 MB resident
	// at a million blocks, growing with the chain, without this.
	k.chain.store.releaseMapped()
	k.mu.Lock()
	k.ended = true
	err := k.err
	k.mu.Unlock()
	close(k.finished)
	if d := (*DamagedStoreError)(nil); errors.As(err, &d) {
		k.chain.setDamaged(k.errAt, err)
	}
	k.chain.notify()
	return err
}

// work checks chunks until none is left below the lowest damage found.
func (k *checker) work() {
	for {
		i := k.next.Add(1) - 1
		lo := i * checkChunk
		k.mu.Lock()
		stop := lo >= k.errAt || (k.err != nil && !k.isDamage())
		k.mu.Unlock()
		if lo >= k.total || stop {
			return
		}
		hi := min(lo+checkChunk, k.total)
		at, err := k.chain.checkRange(lo, hi)
		k.record(i, at, err)
	}
}

func (k *checker) isDamage() bool {
	var d *DamagedStoreError
	return errors.As(k.err, &d)
}

// record notes chunk i's result: a valid chunk extends the checked prefix;
// damage at a lower height than any found so far replaces it.
func (k *checker) record(i, at int64, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err != nil {
		if at < k.errAt || k.err == nil {
			k.errAt, k.err = at, err
		}
		return
	}
	k.chunks[i] = true
	for k.prefix < int64(len(k.chunks)) && k.chunks[k.prefix] {
		k.prefix++
	}
}

func (k *checker) progress() CheckProgress {
	k.mu.Lock()
	defer k.mu.Unlock()
	return CheckProgress{Checked: min(k.prefix*checkChunk, k.total, k.errAt), Total: k.total, Done: k.ended, Err: k.err}
}

func (k *checker) isFinished() bool {
	select {
	case <-k.finished:
		return true
	default:
		return false
	}
}

func (k *checker) wait() { <-k.finished }

// checkBatch is how many blocks the check hashes together: one group of
// the four-message hashing, right after the blocks were read, while they
// are in the cache. Larger batches measured slower on the 1,000,000-block
// store (CPU time against SHA-256's: 4 blocks 0.78-0.92, 8 blocks
// 0.71-0.83, 64 blocks 0.67-0.73), the blocks read first having left the
// cache by the time they were hashed.
const checkBatch = 4

// checkRange checks the stored blocks of heights lo to hi-1 in one
// snapshot and returns the height and error of the first bad one.
func (c *Chain) checkRange(lo, hi int64) (int64, error) {
	r := rangeCheck{lo: lo, at: lo, havePrev: lo == 0, floor: c.floor}
	err := c.store.scanValues(max(lo-1, 0), hi, checkBatch, r.batch)
	var re RuleError
	if errors.As(err, &re) && re.BlockIndex() >= 0 {
		r.at = re.BlockIndex()
	}
	return r.at, err
}

// rangeCheck is checkRange's state between batches.
type rangeCheck struct {
	lo       int64    // the first height checked; the one below is read for its hash
	at       int64    // the height being checked
	parent   [32]byte // the stored hash of the block below at
	havePrev bool     // whether parent is known
	floor    int
	hasher   sha256x4.Hasher
}

// batch checks the stored values of heights first, first+1, ...: it hashes
// their preimages together, then passes each block whose stored hash is
// the sum and whose work, index and link read from the preimage are right
// (linkPasses), reading the values where they lie; any other block goes
// through checkOne for the verdict.
func (r *rangeCheck) batch(first int64, values [][]byte) error {
	var preimages [checkBatch][]byte
	var sums [checkBatch][32]byte
	n := len(values)
	var bad error
	for i, v := range values {
		p, _, err := splitStored(v)
		if err != nil {
			n, bad = i, damaged(first+int64(i), "stored value does not parse: "+err.Error())
			break
		}
		preimages[i] = p
	}
	r.hasher.Sums(preimages[:n], sums[:])
	for i, v := range values[:n] {
		h := first + int64(i)
		r.at = h
		switch {
		case h < r.lo:
			r.havePrev = true
		case !r.havePrev:
			return damaged(h, "its parent could not be read")
		case h > 0 && storedHashIs(v, &sums[i]) && linkPasses(h, preimages[i], &sums[i], &r.parent, r.floor):
		default:
			sb, _ := decodeStored(h, v)
			if err := checkOne(&sb, &sums[i], &r.parent, r.floor); err != nil {
				return err
			}
		}
		r.parent = [32]byte(v[:32])
	}
	if bad != nil {
		r.at = first + int64(n)
	}
	return bad
}

// storedHashIs reports whether the stored value v (split by splitStored,
// so at least 33 bytes long) starts with sum, comparing in place.
func storedHashIs(v []byte, sum *[32]byte) bool {
	v = v[:32]
	x := binary.LittleEndian.Uint64(v[0:]) ^ binary.LittleEndian.Uint64(sum[0:])
	x |= binary.LittleEndian.Uint64(v[8:]) ^ binary.LittleEndian.Uint64(sum[8:])
	x |= binary.LittleEndian.Uint64(v[16:]) ^ binary.LittleEndian.Uint64(sum[16:])
	x |= binary.LittleEndian.Uint64(v[24:]) ^ binary.LittleEndian.Uint64(sum[24:])
	return x == 0
}

// checkOne checks a stored block, whose preimage hashes to sum, against the
// hash of the block before it (ignored for the genesis): the fast way, and
// when that does not pass, decoding it for the verdict.
func checkOne(sb *StoredBlock, sum, parent *[32]byte, floor int) error {
	if sb.Height == 0 {
		parent = nil
	}
	if checkStoredSum(sb, sum, parent, floor) {
		return nil
	}
	err := judgeStored(sb, parent, floor)
	if err == nil {
		return nil
	}
	var d *DamagedStoreError
	if errors.As(err, &d) {
		return err
	}
	return &DamagedStoreError{Err: err}
}

// setDamaged ends the chain below height at, where the check found damage.
func (c *Chain) setDamaged(at int64, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.damage = err
	if at >= c.length || at < 1 {
		return
	}
	c.cache.dropFrom(at)
	c.length = at
	if tip, terr := c.readBlock(at - 1); terr == nil {
		c.tip = tip
	}
}

// CheckProgress reports how far the check of the stored chain has come.
func (c *Chain) CheckProgress() CheckProgress { return c.check.progress() }

// WaitCheck waits for the check of the stored chain to end and returns the
// damage it found (a *DamagedStoreError), the error that stopped it, or
// nil; it returns ctx's error when ctx ends first.
func (c *Chain) WaitCheck(ctx context.Context) error {
	select {
	case <-c.check.finished:
		return c.check.progress().Err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Damage returns the *DamagedStoreError the check found, or nil.
func (c *Chain) Damage() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.damage
}
