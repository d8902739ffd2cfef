package ui

import (
	"strings"
	"testing"
	"time"

	"blockscope/miner"
)

// TestMiningTitleNamesKernel: the running search's title names the kernel
// the search reports, and says nothing of it before the first report.
func TestMiningTitleNamesKernel(t *testing.T) {
	p := miningPane{state: mineRunning, index: 7, searched: 4, workers: 2, width: 200}
	if title := p.Title(); strings.Contains(title, miner.KernelSHANI) {
		t.Errorf("title before any progress names a kernel: %q", title)
	}
	p.progress = miner.Progress{Workers: 2, Kernel: miner.KernelSHANI}
	if title := p.Title(); !strings.HasSuffix(title, " · "+miner.KernelSHANI) {
		t.Errorf("title %q does not name the kernel", title)
	}
}

// TestMiningTitleFits: a narrow pane's title drops the kernel, the
// workers, then the zeros, rather than cut the pace.
func TestMiningTitleFits(t *testing.T) {
	tests := []struct {
		width int
		want  string
	}{
		{200, "3 Mining block #350 · difficulty 000000 (6) · 2 workers · pace unlimited · " + miner.KernelSHANI},
		{80, "3 Mining block #350 · difficulty 000000 (6) · 2 workers · pace unlimited"},
		{70, "3 Mining block #350 · difficulty 000000 (6) · pace unlimited"},
		{60, "3 Mining block #350 · difficulty 6 · pace unlimited"},
		{40, "3 Mining block #350 · pace unlimited"},
	}
	for _, tc := range tests {
		p := miningPane{state: mineRunning, index: 350, searched: 6, workers: 2, width: tc.width}
		p.progress = miner.Progress{Workers: 2, Kernel: miner.KernelSHANI}
		if got := p.Title(); got != tc.want {
			t.Errorf("width %d: title %q, want %q", tc.width, got, tc.want)
		}
	}
}

// TestGoldenMiningKernel80x24: at 80 columns the title of a search that
// reported its kernel leaves the kernel out and keeps the pace whole.
func TestGoldenMiningKernel80x24(t *testing.T) {
	g := startGolden(t, 80, 24, func(o *Options) { o.Difficulty = 6 })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	s := <-g.miner.starts
	s.emit(miner.Progress{Attempts: 1_000_000, Nonce: 999_999, Rate: 9e6, Elapsed: time.Second, Workers: 2, Kernel: miner.KernelSHANI})
	g.waitScreen(t, "2 workers")
	g.finish(t)
}
