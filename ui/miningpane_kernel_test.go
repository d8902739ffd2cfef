package ui

import (
	"strings"
	"testing"

	"blockscope/miner"
)

// TestMiningTitleNamesKernel: the running search's title names the kernel
// the search reports, and says nothing of it before the first report.
func TestMiningTitleNamesKernel(t *testing.T) {
	p := miningPane{state: mineRunning, index: 7, searched: 4, workers: 2}
	if title := p.Title(); strings.Contains(title, miner.KernelSHANI) {
		t.Errorf("title before any progress names a kernel: %q", title)
	}
	p.progress = miner.Progress{Workers: 2, Kernel: miner.KernelSHANI}
	if title := p.Title(); !strings.HasSuffix(title, " · "+miner.KernelSHANI) {
		t.Errorf("title %q does not name the kernel", title)
	}
}
