//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cputime

import (
	"syscall"
	"time"
)

// Process returns the CPU time (user and system, every thread) the
// process has used so far, and whether the platform reports it. On a
// shared machine, work per CPU-second compares runs that wall time cannot:
// other processes lengthen the wall time of the same work.
func Process() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
