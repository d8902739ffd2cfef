package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
	"blockscope/miner"
)

// checkGolden compares got with testdata/lab_<name>.golden; run the tests
// with UPDATE_LAB_GOLDEN=1 to rewrite the files after a deliberate change.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if strings.Contains(got, "\x1b") {
		t.Fatalf("the ASCII colour profile still wrote escape codes:\n%q", got)
	}
	path := filepath.Join("testdata", "lab_"+name+".golden")
	if os.Getenv("UPDATE_LAB_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_LAB_GOLDEN=1 to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("the view differs from %s:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func TestLabGolden(t *testing.T) {
	tests := []struct {
		name  string
		steps func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, real *blockchain.Chain) Model
		w, h  int // the screen; 100x30 when zero
	}{
		{"tampered", func(t *testing.T, l Model, _ *testClock, _ *fakeMiner, _ *blockchain.Chain) Model {
			return tamper(t, l, 1, "pay mallory 1000")
		}, 0, 0},
		{"remining", func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, _ *blockchain.Chain) Model {
			l = tamper(t, l, 1, "pay mallory 1000")
			l, _ = press(t, l, keyEnter)
			// Block 1 is re-mined for real, then block 2's search is held
			// half-way so the screen shows a run in progress.
			miner.during = func(*blockchain.Block) {
				clock.Advance(300 * time.Millisecond)
				if len(miner.searches) == 1 {
					miner.hold, miner.progress = true, 1234
				}
			}
			l, _ = press(t, l, keyRunes("r"))
			clock.Advance(150 * time.Millisecond)
			return l
		}, 0, 0},
		{"fork", func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, real *blockchain.Chain) Model {
			l = tamper(t, l, 1, "pay mallory 1000")
			miner.during = func(*blockchain.Block) { clock.Advance(40 * time.Millisecond) }
			l, _ = press(t, l, keyEnter, keyRunes("r"))
			addHonestBlock(t, real)
			l, _ = press(t, l, keyRunes("k"))
			return l
		}, 0, 0},
		{"lesson", func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, _ *blockchain.Chain) Model {
			l = tamper(t, l, 1, "pay mallory 1000")
			miner.during = func(tmpl *blockchain.Block) { clock.Advance(time.Duration(tmpl.Index()) * 20 * time.Millisecond) }
			l, _ = press(t, l, keyEnter, keyRunes("+"), keyRunes("r"), keyRunes("d"))
			return l
		}, 0, 0},
		// r on a valid chain at difficulty 6: the Block panel shows the
		// new block being searched for, not an empty box.
		{"searching", searchingAt6, 0, 0},
		{"searching_80x24", searchingAt6, 80, 24},
		{"tampered_80x24", func(t *testing.T, l Model, _ *testClock, _ *fakeMiner, _ *blockchain.Chain) Model {
			return tamper(t, l, 1, "pay mallory 1000")
		}, 80, 24},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			clock := &testClock{now: labEpoch}
			miner := &fakeMiner{t: t}
			l := newTestLab(t, real, 1, miner, clock)
			width, height := 100, 30
			if tt.w > 0 {
				width, height = tt.w, tt.h
				l, _ = l.Update(tea.WindowSizeMsg{Width: width, Height: height})
			}
			l = tt.steps(t, l, clock, miner, real)
			view := l.View()
			if h := strings.Count(view, "\n") + 1; h != height {
				t.Errorf("the view is %d lines high, want %d", h, height)
			}
			for i, line := range strings.Split(view, "\n") {
				if w := ansi.StringWidth(line); w != width {
					t.Errorf("line %d is %d cells wide, want %d: %q", i, w, width, line)
				}
			}
			checkGolden(t, tt.name, view)
			l.Close()
		})
	}
}

// searchingAt6 raises the difficulty to 6 on a valid chain and presses r,
// the search held after 1,234 attempts.
func searchingAt6(t *testing.T, l Model, clock *testClock, miner *fakeMiner, _ *blockchain.Chain) Model {
	for l.difficulty < 6 {
		l, _ = press(t, l, keyRunes("+"))
	}
	miner.hold, miner.progress = true, 1234
	l, _ = press(t, l, keyRunes("r"))
	clock.Advance(150 * time.Millisecond)
	return l
}

// benchChain is a chain of n blocks under floor 0 (every hash meets it), so
// a long chain is built without mining.
type benchChain []*blockchain.Block

func (c benchChain) Len() int        { return len(c) }
func (c benchChain) Difficulty() int { return 0 }

func (c benchChain) Range(from, to int64) ([]*blockchain.Block, error) {
	return c[from:min(to, int64(len(c)))], nil
}

func newBenchChain(b testing.TB, n int) benchChain {
	b.Helper()
	blocks := []*blockchain.Block{blockchain.Genesis()}
	for i := 1; i < n; i++ {
		tx := map[string]any{"author": "alice", "content": "payment " + strconv.Itoa(i), "timestamp": 1764000000.5 + float64(i)}
		nb, err := blockchain.NewBlock(int64(i), []any{tx}, 1764000000.25+float64(i), blocks[i-1].Hash(), int64(i))
		if err != nil {
			b.Fatal(err)
		}
		blocks = append(blocks, nb.Sealed())
	}
	return blocks
}

// BenchmarkLabKeystroke measures one typed character in the block editor,
// the edit applied and the screen redrawn, on chains of several lengths.
// The target: well under a frame (16 ms) even on a long chain, so typing
// never lags.
func BenchmarkLabKeystroke(b *testing.B) {
	for _, n := range []int{4, 10_000, 100_000} {
		b.Run(strconv.Itoa(n)+"_blocks", func(b *testing.B) {
			real := newBenchChain(b, n)
			l := New(real, 1, Options{Styles: asciiStyles()})
			l, _ = l.Update(keyRunes("t"))
			l, _ = l.Update(keyTab)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				l, _ = l.Update(keyRunes(string(rune('a' + i%26))))
				_ = l.View()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/keystroke")
		})
	}
}

// BenchmarkLabRemineStep measures what Update does between two searches of
// a re-mining run on long chains: take the Found block, re-check, judge the
// fork and start the search for the next block. It runs on the Bubble Tea
// loop, so it must stay well under a frame.
func BenchmarkLabRemineStep(b *testing.B) {
	// The chain has n blocks, or more when b.N blocks need re-mining.
	for _, n := range []int{100, 10_000, 100_000} {
		b.Run(strconv.Itoa(n)+"_blocks", func(b *testing.B) {
			real := newBenchChain(b, max(n, b.N+2))
			l := New(real, 1, Options{Styles: asciiStyles(), Miner: &fakeMiner{}})
			l, _ = l.Update(keyRunes("t"))
			l, _ = l.Update(keyRunes("x"))
			l, _ = l.Update(keyEnter)
			l, cmd := l.Update(keyRunes("r"))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for cmd != nil {
					msg := cmd().(searchMsg)
					l, cmd = l.Update(msg)
					if _, found := msg.ev.(miner.Found); found {
						break
					}
				}
			}
			b.StopTimer()
			if blocks, _ := l.sandbox.Work(); blocks != int64(b.N) {
				b.Fatalf("re-mined %d blocks in %d steps", blocks, b.N)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/block")
		})
	}
}
