package ui_test

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/internal/cputime"
	"blockscope/miner"
	"blockscope/ui"
	"blockscope/ui/common"
)

// teeSearch passes a search's events on to the screen and keeps the last
// Progress, so the benchmark reads the rate the screen was shown; it also
// notes the process's CPU time at the first Progress after warmUp and at
// the last, for the rate per CPU-second.
type teeSearch struct {
	common.Search
	out               chan miner.Event
	mu                sync.Mutex
	last, first       miner.Progress
	lastCPU, firstCPU time.Duration
}

// warmUp is how long a search runs before its CPU time is counted.
const warmUp = 200 * time.Millisecond

func (t *teeSearch) Events() <-chan miner.Event { return t.out }

func (t *teeSearch) forward() {
	defer close(t.out)
	for ev := range t.Search.Events() {
		if p, ok := ev.(miner.Progress); ok {
			cpu, _ := cputime.Process()
			t.mu.Lock()
			t.last, t.lastCPU = p, cpu
			if t.first.Elapsed == 0 && p.Elapsed >= warmUp {
				t.first, t.firstCPU = p, cpu
			}
			t.mu.Unlock()
		}
		t.out <- ev
	}
}

// BenchmarkMiningWithUI measures the hash rate of mining with the whole
// screen running (the Bubble Tea program rendering at its frame rate, the
// re-armed event command, the panes redrawn) against miner.Bench on the
// same workers, alternating the two in one run. The template holds the
// three transactions of seed_pow.py's block, so both hash messages of the
// same number of SHA-256 compressions. Target: ratio >= 0.95.
func BenchmarkMiningWithUI(b *testing.B) {
	const round = 2 * time.Second
	// A clock with short timestamps, like seed_pow.py's, keeps the preimage
	// at its size.
	clock := func() time.Time { return time.Unix(1764000100, 500000000) }
	chain := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: clock})
	for i := 0; i < 3; i++ {
		tx := map[string]any{"author": fmt.Sprintf("author-%d", i), "content": fmt.Sprintf("transaction number %d of the benchmark block", i)}
		if _, err := chain.AddTransaction(tx); err != nil {
			b.Fatal(err)
		}
	}
	tmpl, err := chain.Template()
	if err != nil {
		b.Fatal(err)
	}
	compressions := func(n int) int { return (n + 9 + 63) / 64 }
	if got, want := compressions(len(tmpl.Preimage())), compressions(len(miner.BenchBlock().Preimage())); got != want {
		b.Fatalf("template has %d compressions per attempt, the bench block %d", got, want)
	}

	var best, bestUI, bestCPU, bestUICPU float64
	for b.Loop() {
		res, err := miner.Bench(context.Background(), miner.BenchConfig{Duration: round})
		if err != nil {
			b.Fatal(err)
		}
		best = max(best, res.AttemptsPerSecond)
		bestCPU = max(bestCPU, res.AttemptsPerCPUSecond)
		ui, uiCPU := mineWithScreen(b, chain, round)
		bestUI, bestUICPU = max(bestUI, ui), max(bestUICPU, uiCPU)
	}
	b.ReportMetric(bestUI, "ui-attempts/s")
	b.ReportMetric(best, "bench-attempts/s")
	b.ReportMetric(bestUI/best, "ratio-to-bench")
	if bestCPU > 0 && bestUICPU > 0 {
		// Per CPU-second, the screen's own work counts against it; other
		// processes on a shared machine do not.
		b.ReportMetric(bestUICPU/bestCPU, "cpu-ratio-to-bench")
	}
}

// mineWithScreen runs the real program on chain, presses m, and returns
// the attempts per second the screen was shown after d, and the attempts
// per CPU-second of the process after warmUp (0 where CPU time is not
// reported).
func mineWithScreen(b *testing.B, chain *blockchain.Chain, d time.Duration) (rate, perCPU float64) {
	b.Helper()
	searches := make(chan *teeSearch, 4)
	tee := common.MinerFunc(func(ctx context.Context, tmpl *blockchain.Block, cfg miner.Config) (common.Search, error) {
		s, err := common.DefaultMiner.Start(ctx, tmpl, cfg)
		if err != nil {
			return nil, err
		}
		t := &teeSearch{Search: s, out: make(chan miner.Event)}
		go t.forward()
		searches <- t
		return t, nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Difficulty 64 is never met, so the search runs for the whole round.
	m := ui.New(ui.Options{Chain: chain, Miner: tee, Context: ctx, Difficulty: 64})
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	done := make(chan tea.Model, 1)
	go func() {
		final, _ := p.Run()
		done <- final
	}()
	p.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	p.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'m'}})
	var s *teeSearch
	select {
	case s = <-searches:
	case <-time.After(10 * time.Second):
		b.Fatal("pressing m started no search")
	}
	time.Sleep(d) // the measured interval itself, not a wait for a goroutine
	s.mu.Lock()
	last, first, cpu := s.last, s.first, s.lastCPU-s.firstCPU
	s.mu.Unlock()
	p.Quit()
	final := <-done
	if fm, ok := final.(ui.Model); ok {
		fm.Close()
	}
	if last.Elapsed <= 0 {
		b.Fatal("the screen received no progress")
	}
	if cpu > 0 && first.Elapsed > 0 {
		perCPU = float64(last.Attempts-first.Attempts) / cpu.Seconds()
	}
	return float64(last.Attempts) / last.Elapsed.Seconds(), perCPU
}
