//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package miner

import "time"

// ProcessCPUTime reports that this platform's CPU time is not read here.
func ProcessCPUTime() (time.Duration, bool) { return 0, false }
