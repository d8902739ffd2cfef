package blockchain

import "fmt"

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
	c.Links = b.index == parent.index+1 && parent.claimMatches(b.previousHash)
	if claimed, ok := b.ClaimedHash(); ok {
		c.HashMatches = b.claimMatches(claimed)
	}
	c.MeetsDifficulty = MeetsDifficulty(&b.hash, s.floor)
	c.Err = CheckLink(parent, b, s.floor)
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

// CompareChecked is Compare for a caller that knows the sandbox's first
// invalid height (-1 when it is valid) from Checks or ChecksFrom, sparing
// Compare's passes over the chain. Its verdict is Compare's.
func (s *Sandbox) CompareChecked(real []*Block, firstInvalid int64) ForkComparison {
	fc := ForkComparison{SandboxLen: len(s.blocks), RealLen: len(real), SandboxValid: firstInvalid < 0}
	switch {
	case !fc.SandboxValid:
		fc.Accepted = "real"
		fc.Why = fmt.Sprintf("the forged chain is invalid from block %d: every peer rejects it", firstInvalid)
	case fc.SandboxLen <= fc.RealLen:
		fc.Accepted = "real"
		fc.Why = fmt.Sprintf("the forged chain is valid but not longer (%d blocks against %d): peers keep the honest chain", fc.SandboxLen, fc.RealLen)
	default:
		fc.Accepted = "sandbox"
		fc.Why = fmt.Sprintf("the forged chain is valid and longer (%d blocks against %d): peers would adopt it", fc.SandboxLen, fc.RealLen)
	}
	return fc
}
