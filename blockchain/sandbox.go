package blockchain

import (
	"errors"
	"fmt"
)

// Sandbox is a private copy of a chain that a person may tamper with and
// re-mine, to see why proof of work makes history immutable. It never
// touches a store and nothing in it is ever announced: it holds only
// immutable *Block values copied from the real chain. It is not safe for
// concurrent use; the UI owns it.
type Sandbox struct {
	blocks   []*Block
	floor    int
	tampered int64 // lowest edited height, or -1
	remined  int64 // blocks re-mined so far
	attempts uint64
}

// NewSandbox copies blocks (a valid chain from the genesis) into a sandbox
// whose blocks must meet difficulty floor.
func NewSandbox(blocks []*Block, floor int) *Sandbox {
	return &Sandbox{blocks: append([]*Block(nil), blocks...), floor: floor, tampered: -1}
}

// Len returns the number of blocks in the sandbox.
func (s *Sandbox) Len() int { return len(s.blocks) }

// Block returns the sandbox's block at height i, or nil.
func (s *Sandbox) Block(i int64) *Block {
	if i < 0 || i >= int64(len(s.blocks)) {
		return nil
	}
	return s.blocks[i]
}

// Blocks returns the sandbox's chain. The slice must not be modified.
func (s *Sandbox) Blocks() []*Block { return s.blocks[:len(s.blocks):len(s.blocks)] }

// Tampered returns the lowest height edited so far, or -1.
func (s *Sandbox) Tampered() int64 { return s.tampered }

// Dirty reports whether any block was edited or re-mined, so leaving the lab
// discards work.
func (s *Sandbox) Dirty() bool { return s.tampered >= 0 || s.remined > 0 }

// Work returns how many blocks were re-mined and the attempts that took.
func (s *Sandbox) Work() (blocks int64, attempts uint64) { return s.remined, s.attempts }

// ErrGenesisImmutable is returned when a person tries to edit the genesis,
// which is valid by identity and so cannot be forged at all.
var ErrGenesisImmutable = errors.New("the genesis block is fixed by identity: every node would reject an edited one")

// Edit replaces block i's transactions, timestamp and nonce; its hash is
// recomputed from the new contents, while the blocks after it keep pointing
// at the old hash, exactly as a forger's edit would leave them.
func (s *Sandbox) Edit(i int64, transactions []any, timestamp any, nonce int64) error {
	b := s.Block(i)
	if b == nil {
		return fmt.Errorf("no block %d in the sandbox (it has %d)", i, len(s.blocks))
	}
	if i == 0 {
		return ErrGenesisImmutable
	}
	nb, err := NewBlock(i, transactions, timestamp, b.previousHash, nonce)
	if err != nil {
		return err
	}
	s.blocks[i] = nb.Sealed()
	if s.tampered < 0 || i < s.tampered {
		s.tampered = i
	}
	return nil
}

// BlockCheck is the verdict on one sandbox block.
type BlockCheck struct {
	// Links is false when previous_hash is not the hash of block i-1.
	Links bool
	// HashMatches is false when the claimed hash is not the contents' hash.
	HashMatches bool
	// MeetsDifficulty is false when the hash lacks leading zeros.
	MeetsDifficulty bool
	// ParentInvalid is true when an earlier block is invalid, so this one
	// is not part of a valid chain whatever its own checks say.
	ParentInvalid bool
	// Err is the first rule this block breaks on its own, or nil.
	Err error
}

// Valid reports whether the block is part of a valid chain.
func (c BlockCheck) Valid() bool { return c.Err == nil && !c.ParentInvalid }

// Checks returns the verdict on every block, genesis first.
func (s *Sandbox) Checks() []BlockCheck {
	out := make([]BlockCheck, len(s.blocks))
	broken := false
	for i := range out {
		out[i] = s.checkOwn(int64(i))
		out[i].ParentInvalid = broken
		if out[i].Err != nil {
			broken = true
		}
	}
	return out
}

// ChecksFrom returns the verdicts on every block, as Checks does, after
// changes at heights from and above only (an Edit or Remined at from, or
// blocks appended by ExtendWith), given prev, the verdicts before those
// changes. Only the blocks whose own checks can have changed (from, from+1
// and any new ones) are checked again; the rest are carried over, with
// ParentInvalid recomputed. It keeps a keystroke in the tamper lab cheap on
// a long chain. When prev cannot be reused it falls back to Checks.
func (s *Sandbox) ChecksFrom(prev []BlockCheck, from int64) []BlockCheck {
	n := int64(len(s.blocks))
	if from < 0 || from > int64(len(prev)) || int64(len(prev)) > n {
		return s.Checks()
	}
	out := make([]BlockCheck, n)
	copy(out, prev)
	for i := from; i < n; i++ {
		if i <= from+1 || i >= int64(len(prev)) {
			out[i] = s.checkOwn(i)
		}
	}
	broken := false
	for i := range out {
		out[i].ParentInvalid = broken
		if out[i].Err != nil {
			broken = true
		}
	}
	return out
}

// checkOwn is the verdict on block i on its own (ParentInvalid unset), as
// Checks computes it.
func (s *Sandbox) checkOwn(i int64) BlockCheck {
	b := s.blocks[i]
	c := BlockCheck{Links: true, HashMatches: true, MeetsDifficulty: true}
	if i == 0 {
		c.Err = CheckGenesis(b)
		return c
	}
	parent := s.blocks[i-1]
	c.Links = b.index == parent.index+1 && b.prevOK && b.prevRaw == parent.hash
	c.HashMatches = !b.hasClaimed || (b.claimedOK && b.claimedRaw == b.hash)
	c.MeetsDifficulty = MeetsDifficulty(&b.hash, s.floor)
	// Every sandbox block was built here, so its digest is its contents'
	// hash: only a failing block needs CheckLink, for its typed reason, and
	// opening the lab on a long chain hashes nothing again.
	if !(c.Links && c.HashMatches && c.MeetsDifficulty) {
		c.Err = CheckLink(parent, b, s.floor)
	}
	return c
}

// TemplateAt returns block i relinked to its parent's current hash, with
// nonce 0: the template NextTemplate gives when i is the first invalid
// block, for a caller that knows i from ChecksFrom and so spares the pass
// over the chain.
func (s *Sandbox) TemplateAt(i int64) (*Block, error) {
	if i <= 0 || i >= int64(len(s.blocks)) {
		if i == 0 {
			return nil, ErrGenesisImmutable
		}
		return nil, fmt.Errorf("no block %d to re-mine in the sandbox (1..%d)", i, len(s.blocks)-1)
	}
	b := s.blocks[i]
	return NewBlock(b.index, b.transactions, b.timestamp, s.blocks[i-1].Hash(), 0)
}

// FirstInvalid returns the height of the first block that breaks a rule,
// or -1 when the sandbox chain is valid.
func (s *Sandbox) FirstInvalid() int64 {
	if err := ValidateChain(s.blocks, s.floor); err != nil {
		var re RuleError
		if errors.As(err, &re) {
			return re.BlockIndex()
		}
		return 0
	}
	return -1
}

// Remined puts a block mined from TemplateAt into the sandbox. It must
// follow its parent under the rules; attempts adds to the forger's tally.
func (s *Sandbox) Remined(b *Block, attempts uint64) error {
	i := b.index
	if i <= 0 || i >= int64(len(s.blocks)) {
		return fmt.Errorf("re-mined block %d is outside the sandbox (1..%d)", i, len(s.blocks)-1)
	}
	if err := CheckLink(s.blocks[i-1], b, s.floor); err != nil {
		return err
	}
	s.blocks[i] = b.Sealed()
	s.remined++
	s.attempts += attempts
	return nil
}

// ExtendWith appends a block mined on the sandbox's tip (a forger who
// catches up must also outgrow the honest chain).
func (s *Sandbox) ExtendWith(b *Block, attempts uint64) error {
	if err := CheckLink(s.blocks[len(s.blocks)-1], b, s.floor); err != nil {
		return err
	}
	s.blocks = append(s.blocks, b.Sealed())
	s.remined++
	s.attempts += attempts
	return nil
}

// ForkVerdict is what a peer applying the seed's longest-chain rule does
// with the sandbox's fork. A screen says it in words; the rule decides it.
type ForkVerdict int

const (
	// ForkInvalid: the fork breaks a rule, so every peer rejects it and
	// keeps its chain.
	ForkInvalid ForkVerdict = iota + 1
	// ForkNotLonger: the fork is valid but not strictly longer, so peers
	// keep their chain.
	ForkNotLonger
	// ForkAdopted: the fork is valid and longer, so peers would adopt it.
	ForkAdopted
)

// ForkComparison sets the sandbox beside the real chain as a peer applying
// the longest-chain rule would see them.
type ForkComparison struct {
	SandboxLen, RealLen int
	// FirstInvalid is the sandbox's first invalid height, -1 when valid.
	FirstInvalid int64
	Verdict      ForkVerdict
}

// Valid reports whether the sandbox's fork passes every rule.
func (fc ForkComparison) Valid() bool { return fc.FirstInvalid < 0 }

// Compare judges the sandbox against the real chain under the seed's
// consensus rule: a peer adopts a chain only when it is valid, starts from
// the same genesis and is strictly longer than its own. firstInvalid is
// the sandbox's first invalid height (-1 when it is valid), from Checks,
// ChecksFrom or FirstInvalid: the caller has it, and Compare makes no pass
// over the chain.
func (s *Sandbox) Compare(real []*Block, firstInvalid int64) ForkComparison {
	fc := ForkComparison{SandboxLen: len(s.blocks), RealLen: len(real), FirstInvalid: firstInvalid}
	switch {
	case !fc.Valid():
		fc.Verdict = ForkInvalid
	case fc.SandboxLen <= fc.RealLen:
		fc.Verdict = ForkNotLonger
	default:
		fc.Verdict = ForkAdopted
	}
	return fc
}
