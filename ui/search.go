package ui

import (
	"fmt"
	"strings"

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

// ParsePace reads the --pace flag: unlimited, 100, 10, 1 (attempts per
// second, with or without "/s") or step.
func ParsePace(s string) (miner.Pace, error) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "/s") {
	case "", "unlimited":
		return miner.Unlimited, nil
	case "100":
		return 100, nil
	case "10":
		return 10, nil
	case "1":
		return 1, nil
	case "step":
		return miner.Step, nil
	}
	return miner.Unlimited, fmt.Errorf("pace %q: want unlimited, 100, 10, 1 or step", s)
}
