package ui

import (
	"blockscope/miner"
)

// paceCycle is the order in which the p key steps through the paces.
var paceCycle = []miner.Pace{miner.Unlimited, 100, 10, 1, miner.Step}

// nextPace returns the pace after p in the cycle (unlimited after any pace
// not in it).
func nextPace(p miner.Pace) miner.Pace {
	for i, q := range paceCycle {
		if q == p {
			return paceCycle[(i+1)%len(paceCycle)]
		}
	}
	return miner.Unlimited
}
