package miner

import (
	"sync"
	"time"
)

// Calibration: which kernel is fastest depends on the core (SHA-NI is one
// unit that Zen 4 makes fast; AVX-512 is two full-width ports on Intel's
// cores and split in halves on Zen 4) and a little on the template (the
// first block costs SHA-NI more than the rest), so the miner measures
// instead of guessing. It measures once per process and per number of
// compressions per attempt, on the template of the first search that needs
// it, so a search that finds its block in microseconds does not pay for it
// again.
const (
	// calibrationSlice is one measurement of one kernel: short enough
	// that most slices run without being preempted on a busy machine.
	calibrationSlice = time.Millisecond
	// calibrationRounds is how many times each kernel is measured, the
	// kernels taking turns, so that load from other processes does not
	// decide; each kernel's fastest slice counts.
	calibrationRounds = 6
)

// KernelRate is a kernel's measured speed on one goroutine.
type KernelRate struct {
	Kernel            string
	AttemptsPerSecond float64
}

// calibration is the outcome of measuring every kernel on one template.
type calibration struct {
	best  kernel
	rates []KernelRate // in the order of kernels
}

var calibrations struct {
	sync.Mutex
	byBlocks map[int]*calibration
}

// calibrated returns the calibration for templates of l's number of
// compressions per attempt, measuring on l the first time. Safe for
// concurrent use; concurrent first callers wait for one measurement.
func calibrated(l *layout) *calibration {
	calibrations.Lock()
	defer calibrations.Unlock()
	if c := calibrations.byBlocks[l.blocks()]; c != nil {
		return c
	}
	rates := measureKernels(l, kernels, calibrationSlice, calibrationRounds)
	best := 0
	for i, r := range rates {
		if r.AttemptsPerSecond > rates[best].AttemptsPerSecond {
			best = i
		}
	}
	c := &calibration{best: kernels[best], rates: rates}
	if calibrations.byBlocks == nil {
		calibrations.byBlocks = map[int]*calibration{}
	}
	calibrations.byBlocks[l.blocks()] = c
	return c
}

// measureKernels runs each of ks on l for about slice, rounds times in
// turn, and returns each one's fastest rate.
func measureKernels(l *layout, ks []kernel, slice time.Duration, rounds int) []KernelRate {
	rates := make([]KernelRate, len(ks))
	buf := new(laneBuf)
	for i := range buf.first {
		buf.first[i] = l.first
		putDigits(buf.first[i][l.off:l.off+l.digits], int64(i))
	}
	for range rounds {
		for i, k := range ks {
			rates[i].Kernel = k.name
			rates[i].AttemptsPerSecond = max(rates[i].AttemptsPerSecond, measureKernel(l, k, buf, slice))
		}
	}
	return rates
}

// measureKernel returns k's attempts per second on l over about d.
func measureKernel(l *layout, k kernel, buf *laneBuf, d time.Duration) float64 {
	k.hash(l, buf) // warm up caches and branch predictors
	calls := 0
	start := time.Now()
	var took time.Duration
	for took < d {
		k.hash(l, buf)
		calls++
		took = time.Since(start)
	}
	return float64(calls*k.lanes) / took.Seconds()
}
