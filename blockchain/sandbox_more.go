package blockchain

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
