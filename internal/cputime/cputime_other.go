//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cputime

import "time"

// Process reports that this platform's CPU time is not read here.
func Process() (time.Duration, bool) { return 0, false }
