package miner

import (
	"fmt"
	"strconv"
	"strings"
)

// MarshalText writes the pace as String does: "unlimited", "step", "10/s".
func (p Pace) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a pace as a person types it: "unlimited", "step", or
// attempts per second from 1 to MaxPace, with or without "/s" ("10",
// "10/s"). It implements encoding.TextUnmarshaler, so flag.TextVar parses
// a --pace flag with it.
func (p *Pace) UnmarshalText(text []byte) error {
	s := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(string(text))), "/s")
	switch s {
	case "", "unlimited":
		*p = Unlimited
		return nil
	case "step":
		*p = Step
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 || n > int64(MaxPace) {
		return fmt.Errorf("pace %q: want unlimited, step, or attempts per second from 1 to %d (100, 10, 1)", text, MaxPace)
	}
	*p = Pace(n)
	return nil
}
