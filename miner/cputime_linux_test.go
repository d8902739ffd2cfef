package miner

import (
	"syscall"
	"time"
)

// threadCPUTime returns the CPU time the calling OS thread has used, so
// that benchmarks on a shared machine can report what the work cost rather
// than how long it waited for a core. The caller locks its goroutine to
// the thread.
func threadCPUTime() (time.Duration, bool) {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
