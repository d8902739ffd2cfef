package lab

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"go.uber.org/goleak"

	"blockscope/blockchain"
)

func TestLabRemineRestoresValidityAndForgesAhead(t *testing.T) {
	real := demoChain(t)
	before := hashes(labBlocks(real))
	clock := &testClock{now: labEpoch}
	miner := &fakeMiner{t: t, during: func(*blockchain.Block) { clock.Advance(250 * time.Millisecond) }}
	l := newTestLab(t, real, 1, miner, clock)
	l = tamper(t, l, 1, "pay mallory 1000")
	l, _ = press(t, l, keyEnter, keyRunes("r"))
	if first := l.sandbox.FirstInvalid(); first != -1 {
		t.Fatalf("after re-mining the sandbox is invalid from block %d", first)
	}
	if l.Running() {
		t.Fatal("the run did not end once the forged chain was valid")
	}
	if got := len(miner.searches); got != 3 {
		t.Fatalf("re-mining started %d searches, want 3 (blocks 1..3)", got)
	}
	if got := blockchain.TxContent(l.sandbox.Block(1).Transactions()[0]); got != "pay mallory 1000" {
		t.Fatalf("re-mining lost the forged transaction: %q", got)
	}
	fc := l.sandbox.Compare(labBlocks(real), l.sandbox.FirstInvalid())
	if !fc.Valid() || fc.Verdict != blockchain.ForkNotLonger {
		t.Fatalf("a valid fork of equal length must lose: %+v", fc)
	}
	if got := len(l.Lesson().Records()); got != 3 {
		t.Fatalf("the lesson recorded %d blocks, want 3", got)
	}
	miner.checkAllEnded(t)
	view := ansi.Strip(l.View())
	for _, want := range []string{"re-mined 3 blocks", "re-mined  ✓ links, hash matches", "valid but not longer"} {
		if !strings.Contains(view, want) {
			t.Errorf("the view does not say %q:\n%s", want, view)
		}
	}

	// Forging ahead: the honest chain grows by one block while the forger
	// mines, so the forger needs two blocks to be strictly longer.
	grown := false
	miner.during = func(*blockchain.Block) {
		if !grown {
			grown = true
			addHonestBlock(t, real)
		}
	}
	l, _ = press(t, l, keyRunes("r"))
	if l.sandbox.Len() != real.Len()+1 {
		t.Fatalf("forging ahead stopped at %d blocks against the honest %d", l.sandbox.Len(), real.Len())
	}
	if fc := l.sandbox.Compare(labBlocks(real), l.sandbox.FirstInvalid()); fc.Verdict != blockchain.ForkAdopted {
		t.Fatalf("a valid longer fork must win: %+v", fc)
	}
	if !strings.Contains(ansi.Strip(l.View()), "the FORGED chain") {
		t.Fatalf("the comparison does not show the forged chain winning:\n%s", ansi.Strip(l.View()))
	}
	if got := hashes(labBlocks(real))[:len(before)]; strings.Join(got, ",") != strings.Join(before, ",") {
		t.Fatal("re-mining in the lab changed the real chain")
	}
	miner.checkAllEnded(t)
}

// TestLabRemineWithTheMiner re-mines with common.DefaultMiner: the real miner's
// searches, events and cancellation, with no goroutine left behind.
func TestLabRemineWithTheMiner(t *testing.T) {
	// Goroutines already running (teatest leaves one per program) are not
	// this test's to judge.
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	real := demoChain(t)
	l := New(real, 1, Options{Workers: 2, Styles: asciiStyles()})
	l = tamper(t, l, 1, "pay mallory 1000")
	l, _ = press(t, l, keyEnter, keyRunes("+"), keyRunes("r"))
	if l.Running() || l.sandbox.FirstInvalid() != -1 {
		t.Fatalf("re-mining did not finish: running %v, invalid from %d\n%s", l.Running(), l.sandbox.FirstInvalid(), ansi.Strip(l.View()))
	}
	for i := int64(1); i <= 3; i++ {
		b := l.sandbox.Block(i)
		// The miner reports the smallest valid nonce, as the seed's
		// proof_of_work would find it.
		tmpl, err := blockchain.NewBlock(i, b.Transactions(), b.Timestamp(), b.PreviousHash(), 0)
		if err != nil {
			t.Fatal(err)
		}
		want, err := blockchain.Mine(context.Background(), tmpl, 3)
		if err != nil {
			t.Fatal(err)
		}
		if b.Nonce() != want.Nonce() {
			t.Errorf("block %d re-mined with nonce %d, the seed's first valid nonce is %d", i, b.Nonce(), want.Nonce())
		}
	}
	recs := l.Lesson().Records()
	if len(recs) != 3 || recs[0].Difficulty != 3 || recs[0].Attempts == 0 {
		t.Fatalf("lesson records %+v", recs)
	}
	l.Close()
}

// addHonestBlock mines one block on the real chain, as auto-mine would.
func addHonestBlock(t *testing.T, c *blockchain.Chain) {
	t.Helper()
	if _, err := c.AddTransaction(map[string]any{"author": "dave", "content": "honest work"}); err != nil {
		t.Fatal(err)
	}
	tmpl, err := c.Template()
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(context.Background(), tmpl, c.Difficulty())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
}

func TestLabLeave(t *testing.T) {
	tests := []struct {
		name       string
		dirty      bool
		keys       []tea.Msg
		wantClosed bool
		wantQuit   bool
	}{
		{"clean leaves at once", false, []tea.Msg{keyEsc}, true, false},
		{"dirty asks first", true, []tea.Msg{keyEsc}, false, false},
		{"dirty, n stays", true, []tea.Msg{keyEsc, keyRunes("n")}, false, false},
		{"dirty, y leaves", true, []tea.Msg{keyEsc, keyRunes("y")}, true, false},
		{"dirty, esc at the question stays", true, []tea.Msg{keyEsc, keyEsc}, false, false},
		{"clean, q quits at once", false, []tea.Msg{keyRunes("q")}, false, true},
		{"dirty, q asks first", true, []tea.Msg{keyRunes("q")}, false, false},
		{"dirty, q then y quits", true, []tea.Msg{keyRunes("q"), keyRunes("y")}, false, true},
		{"dirty, q then n stays, esc then y only leaves", true, []tea.Msg{keyRunes("q"), keyRunes("n"), keyEsc, keyRunes("y")}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			l := newTestLab(t, real, 1, nil, &testClock{now: labEpoch})
			if tt.dirty {
				l = tamper(t, l, 5, "1")
				l, _ = press(t, l, keyEnter)
			}
			l, out := press(t, l, tt.keys...)
			closed := len(out) == 1 && out[0] == (ClosedMsg{})
			if closed != tt.wantClosed {
				t.Fatalf("closed = %v, want %v (messages %v)", closed, tt.wantClosed, out)
			}
			quit := len(out) == 1 && out[0] == (tea.QuitMsg{})
			if quit != tt.wantQuit {
				t.Fatalf("quit = %v, want %v (messages %v)", quit, tt.wantQuit, out)
			}
			asked := strings.Contains(ansi.Strip(l.View()), "Discard the sandbox")
			wantAsked := tt.dirty && !tt.wantClosed && !tt.wantQuit && len(tt.keys) == 1
			if asked != wantAsked {
				t.Fatalf("confirmation shown = %v, want %v", asked, wantAsked)
			}
		})
	}
}

func TestLabLeavingStopsTheSearch(t *testing.T) {
	real := demoChain(t)
	miner := &fakeMiner{t: t, hold: true, progress: 1234}
	l := newTestLab(t, real, 1, miner, &testClock{now: labEpoch})
	l = tamper(t, l, 5, "1")
	l, _ = press(t, l, keyEnter, keyRunes("r"))
	if !l.Running() || len(miner.searches) != 1 {
		t.Fatal("re-mining did not start")
	}
	_, out := press(t, l, keyEsc, keyRunes("y"))
	if len(out) != 1 || out[0] != (ClosedMsg{}) {
		t.Fatalf("leaving sent %v", out)
	}
	miner.checkAllEnded(t)
	// The search's channel is drained and closed after Stop.
	select {
	case _, ok := <-miner.searches[0].events:
		for ok {
			_, ok = <-miner.searches[0].events
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stopped search's channel was never closed")
	}
}

func TestLabStopKeyEndsTheRun(t *testing.T) {
	real := demoChain(t)
	miner := &fakeMiner{t: t, hold: true, progress: 99}
	l := newTestLab(t, real, 1, miner, &testClock{now: labEpoch})
	l = tamper(t, l, 5, "1")
	l, _ = press(t, l, keyEnter, keyRunes("r"), keyRunes("s"))
	if l.Running() {
		t.Fatal("s did not stop re-mining")
	}
	miner.checkAllEnded(t)
	if !strings.Contains(ansi.Strip(l.View()), "stopped: block #1 unfinished after 99 attempts") {
		t.Fatalf("no word of the stop:\n%s", ansi.Strip(l.View()))
	}
	if !l.Dirty() {
		t.Fatal("the edit was lost")
	}
}

func TestLabDifficultyKeysKeepTheFloor(t *testing.T) {
	real := demoChain(t)
	l := newTestLab(t, real, 1, nil, &testClock{now: labEpoch})
	l, _ = press(t, l, keyRunes("-"))
	if l.difficulty != 2 {
		t.Fatalf("- went below the floor: %d", l.difficulty)
	}
	l, _ = press(t, l, keyRunes("+"), keyRunes("+"))
	if l.difficulty != 4 {
		t.Fatalf("+ + gave %d, want 4", l.difficulty)
	}
}

func TestDifficultyLesson(t *testing.T) {
	d := NewDifficultyLesson(2)
	for i := 0; i < lessonKeep+5; i++ {
		d = d.Add(MinedRecord{Index: int64(i), Difficulty: 2, Attempts: 200, Duration: time.Millisecond})
	}
	if got := len(d.Records()); got != lessonKeep {
		t.Fatalf("kept %d records, want %d", got, lessonKeep)
	}
	if d.Records()[0].Index != 5 {
		t.Fatalf("oldest kept record is #%d, want #5", d.Records()[0].Index)
	}
	d = d.Add(MinedRecord{Index: 100, Difficulty: 3, Attempts: 4096 * 2, Duration: 16 * time.Millisecond, Forged: true})
	rows := d.byDifficulty()
	if len(rows) != 3 || rows[0].difficulty != 2 || rows[2].difficulty != 4 {
		t.Fatalf("rows %+v, want d=2..4", rows)
	}
	text := ansi.Strip(strings.Join(d.Lines(*asciiStyles(), 96, 20), "\n"))
	for _, want := range []string{"multiplies the expected work by 16", "4,096", "65,536", "2.00×", "0.78×", "block times", "honest #68", "forged #100", "|16^4"} {
		if !strings.Contains(text, want) {
			t.Errorf("the lesson does not show %q:\n%s", want, text)
		}
	}
}

// TestLabRemineNonceBeforeFirstAttempt: a search reports Nonce -1 before
// its first attempt; the lab shows a dash then, never "nonce -1".
func TestLabRemineNonceBeforeFirstAttempt(t *testing.T) {
	tests := []struct {
		name     string
		progress uint64 // attempts reported; the nonce is one less
		want     string
	}{
		{"before the first attempt", 0, "· nonce — · attempts 0 of ~256 expected"},
		{"after attempts", 1234, "· nonce 1,233 · attempts 1,234 of ~256 expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			miner := &fakeMiner{t: t, hold: true, progress: tt.progress}
			l := newTestLab(t, real, 1, miner, &testClock{now: labEpoch})
			l = tamper(t, l, 1, "pay mallory 1000")
			l, _ = press(t, l, keyEnter, keyRunes("r"))
			defer miner.checkAllEnded(t)
			defer press(t, l, keyRunes("s"))
			view := ansi.Strip(l.View())
			if !strings.Contains(view, tt.want) {
				t.Errorf("the re-mine line lacks %q:\n%s", tt.want, view)
			}
			if strings.Contains(view, "nonce -1") {
				t.Errorf("the view shows nonce -1:\n%s", view)
			}
		})
	}
}
