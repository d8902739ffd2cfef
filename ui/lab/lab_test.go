package lab

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"go.uber.org/goleak"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// labEpoch is the fixed time of the lab's tests: chains built from it hash
// the same on every run, so the golden files are stable.
var labEpoch = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// tickingClock returns a clock that moves one second per reading, so every
// stamped transaction differs and the chain is the same on every run.
func tickingClock() func() time.Time {
	c := &testClock{now: labEpoch}
	return func() time.Time {
		c.Advance(time.Second)
		return c.Now()
	}
}

func asciiStyles() *common.Styles {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.Ascii)
	s := common.NewStyles(r)
	return &s
}

func demoChain(t *testing.T) *blockchain.Chain {
	t.Helper()
	c, err := NewDemoChain(context.Background(), tickingClock())
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != 4 {
		t.Fatalf("demo chain has %d blocks, want the genesis and 3", c.Len())
	}
	return c
}

// fakeSearch is a scripted search: it sends its events and closes, or
// (hold) sends one progress and waits for its context to be cancelled.
type fakeSearch struct {
	ctx    context.Context
	events chan miner.Event
	hold   bool
}

func (s *fakeSearch) Events() <-chan miner.Event { return s.events }
func (s *fakeSearch) Step()                      {}

// Stop is never called by the lab, which cancels the context instead.
func (s *fakeSearch) Stop() { panic("the lab must end a search by cancelling its context") }

// idle reports whether waiting on the search now would block: a held
// search that has sent everything it will send before it is cancelled.
func (s *fakeSearch) idle() bool { return s.hold && s.ctx.Err() == nil && len(s.events) == 0 }

// fakeMiner starts fakeSearches. Each mines its template with the
// reference miner, reports half-way progress and then the block (unless
// hold, when it reports progress only and waits to be cancelled).
type fakeMiner struct {
	t        *testing.T
	hold     bool
	progress uint64 // attempts of the held progress event
	searches []*fakeSearch
	// during runs as each search starts, e.g. to grow the honest chain.
	during func(template *blockchain.Block)
}

func (f *fakeMiner) Start(ctx context.Context, template *blockchain.Block, cfg miner.Config) (common.Search, error) {
	difficulty := cfg.Difficulty
	if f.during != nil {
		f.during(template)
	}
	s := &fakeSearch{ctx: ctx, events: make(chan miner.Event, 4), hold: f.hold}
	f.searches = append(f.searches, s)
	if f.hold {
		s.events <- miner.Progress{Attempts: f.progress, Nonce: int64(f.progress) - 1}
		go func() {
			<-ctx.Done()
			s.events <- miner.Done{Attempts: f.progress, Cancelled: true}
			close(s.events)
		}()
		return s, nil
	}
	b, err := blockchain.Mine(ctx, template, difficulty)
	if err != nil {
		f.t.Errorf("fake miner: %v", err)
		return nil, err
	}
	attempts := uint64(b.Nonce() + 1)
	s.events <- miner.Progress{Attempts: attempts / 2, Nonce: b.Nonce() / 2}
	s.events <- miner.Found{Block: b, Attempts: attempts}
	s.events <- miner.Done{Attempts: attempts, Found: true}
	close(s.events)
	return s, nil
}

// checkAllEnded fails the test when a search the lab started was left
// running.
func (f *fakeMiner) checkAllEnded(t *testing.T) {
	t.Helper()
	for i, s := range f.searches {
		if s.ctx.Err() == nil {
			t.Errorf("search %d was never cancelled", i)
		}
	}
}

func newTestLab(t *testing.T, real Chain, at int64, miner *fakeMiner, clock *testClock) Model {
	t.Helper()
	opts := Options{Styles: asciiStyles(), Width: 100, Height: 30, Clock: clock.Now}
	if miner != nil {
		opts.Miner = miner
	}
	return New(real, at, opts)
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	keyEsc       = tea.KeyMsg{Type: tea.KeyEsc}
	keyEnter     = tea.KeyMsg{Type: tea.KeyEnter}
	keyTab       = tea.KeyMsg{Type: tea.KeyTab}
	keyBackspace = tea.KeyMsg{Type: tea.KeyBackspace}
	keyCtrlU     = tea.KeyMsg{Type: tea.KeyCtrlU}
)

// press sends keys and runs the commands they return to the end, as the
// Bubble Tea loop would. It returns the lab and the messages that were not
// the lab's own (ClosedMsg).
func press(t *testing.T, l Model, msgs ...tea.Msg) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	for _, msg := range msgs {
		var cmd tea.Cmd
		l, cmd = l.Update(msg)
		for steps := 0; cmd != nil; steps++ {
			if steps > 1000 {
				t.Fatal("the lab's commands never settle")
			}
			if fs, ok := l.run.search.(*fakeSearch); ok && l.run.active && fs.idle() {
				break // a person would watch the search run; the test moves on
			}
			m := cmd()
			if _, ok := m.(searchMsg); !ok {
				out = append(out, m)
				break
			}
			l, cmd = l.Update(m)
		}
	}
	return l, out
}

// typeText types s one key at a time, as a person would.
func typeText(t *testing.T, l Model, s string) Model {
	t.Helper()
	for _, r := range s {
		l, _ = press(t, l, keyRunes(string(r)))
	}
	return l
}

func hashes(blocks []*blockchain.Block) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.Hash()
	}
	return out
}

// tamper opens the editor on the selected block, moves to field and
// replaces its text.
func tamper(t *testing.T, l Model, field int, text string) Model {
	t.Helper()
	l, _ = press(t, l, keyRunes("t"))
	if l.mode != labEditing {
		t.Fatalf("t did not open the editor (status %q)", l.status)
	}
	for i := 0; i < field; i++ {
		l, _ = press(t, l, keyTab)
	}
	l, _ = press(t, l, keyCtrlU)
	return typeText(t, l, text)
}

func TestLabTamperInvalidatesLaterBlocks(t *testing.T) {
	// Block 1 of the demo chain has fields author, content, author,
	// content, timestamp, nonce.
	tests := []struct {
		name  string
		field int
		text  string
	}{
		{"transaction content", 1, "pay mallory 1000"},
		{"transaction author", 0, "mallory"},
		{"timestamp", 4, "1764000000.5"},
		{"nonce", 5, "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			before := hashes(labBlocks(real))
			l := newTestLab(t, real, 1, nil, &testClock{now: labEpoch})
			l = tamper(t, l, tt.field, tt.text)
			if got := l.editor.values[tt.field]; got != tt.text {
				t.Fatalf("field %d holds %q, want %q", tt.field, got, tt.text)
			}
			if l.sandbox.Block(1).Hash() == before[1] {
				t.Fatal("the edit did not change block 1's hash")
			}
			checks := l.sandbox.Checks()
			if !checks[0].Valid() {
				t.Fatal("the genesis turned invalid")
			}
			view := ansi.Strip(l.View())
			for i, want := range []string{"", "✗ hash no longer meets difficulty 2", "✗ previous_hash no longer links", "✗ builds on invalid block 1"} {
				if i == 0 {
					continue
				}
				if checks[i].Valid() {
					t.Errorf("block %d still valid after tampering with block 1", i)
				}
				if !strings.Contains(view, want) {
					t.Errorf("the view does not say %q:\n%s", want, view)
				}
			}
			if got := hashes(labBlocks(real)); strings.Join(got, ",") != strings.Join(before, ",") {
				t.Fatal("tampering in the lab changed the real chain")
			}
		})
	}
}

func TestLabEditorRejectsMalformedNumbers(t *testing.T) {
	tests := []struct {
		name  string
		field int
		text  string
		want  string
	}{
		{"nonce with a letter", 5, "12x", "nonce must be a whole number"},
		{"negative nonce", 5, "-3", "nonce must be a whole number"},
		{"timestamp as text", 4, `"noon"`, "timestamp must be a number"},
		{"timestamp cut short", 4, "17640.", "timestamp must be a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			l := newTestLab(t, real, 1, nil, &testClock{now: labEpoch})
			l = tamper(t, l, tt.field, tt.text)
			if !strings.Contains(l.editor.err, tt.want) {
				t.Fatalf("error %q, want it to say %q", l.editor.err, tt.want)
			}
			if !strings.Contains(ansi.Strip(l.View()), "✗ error: "+tt.want) {
				t.Fatalf("the error is not on the screen:\n%s", ansi.Strip(l.View()))
			}
			// The last well-formed text stays applied: clearing the field
			// (ctrl+u) applied nothing, so block 1 is as the real one
			// whenever no keystroke formed a valid number.
			if l.sandbox.FirstInvalid() == 0 {
				t.Fatal("the genesis turned invalid")
			}
		})
	}
}

// TestLabFitsTheScreen draws the lab at the screen's smallest size and a
// large one: every line exactly as wide as the window, as many lines as it
// is high, and the verdicts still in words.
func TestLabFitsTheScreen(t *testing.T) {
	for _, size := range [][2]int{{common.MinWidth, common.MinHeight}, {100, 30}, {160, 50}} {
		for _, lesson := range []bool{false, true} {
			real := demoChain(t)
			l := newTestLab(t, real, 1, &fakeMiner{t: t}, &testClock{now: labEpoch})
			l, _ = press(t, l, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			l = tamper(t, l, 1, "pay mallory 1000")
			if lesson {
				l, _ = press(t, l, keyEnter, keyRunes("r"), keyRunes("d"))
			}
			view := l.View()
			lines := strings.Split(view, "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d lesson %v: %d lines", size[0], size[1], lesson, len(lines))
			}
			for i, line := range lines {
				if w := ansi.StringWidth(line); w != size[0] {
					t.Errorf("%dx%d lesson %v: line %d is %d cells wide", size[0], size[1], lesson, i, w)
				}
			}
			plain := ansi.Strip(view)
			want := []string{"✗ hash no longer meets difficulty 2", "✗ previous_hash no longer links", "✗ builds on invalid block 1", "the honest chain"}
			if lesson {
				want = []string{"re-mined", "✓ valid", "multiplies the expected work by 16"}
			}
			for _, w := range want {
				if !strings.Contains(plain, w) {
					t.Errorf("%dx%d lesson %v: %q not shown:\n%s", size[0], size[1], lesson, w, plain)
				}
			}
		}
	}
}

func TestLabGenesisCannotBeTampered(t *testing.T) {
	real := demoChain(t)
	l := newTestLab(t, real, 0, nil, &testClock{now: labEpoch})
	l, _ = press(t, l, keyRunes("t"))
	if l.mode == labEditing || l.Dirty() {
		t.Fatal("the genesis opened for editing")
	}
	if !strings.Contains(ansi.Strip(l.View()), "fixed by identity") {
		t.Fatalf("no explanation for the genesis:\n%s", ansi.Strip(l.View()))
	}
}

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
	for _, want := range []string{"re-mined 3 blocks", "re-mined  ✓ valid", "valid but not longer"} {
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

// TestLabNeverTouchesTheStore runs a tamper and a re-mine on a chain opened
// from a real store and checks that the store file's bytes are unchanged.
func TestLabNeverTouchesTheStore(t *testing.T) {
	dir := t.TempDir()
	store, err := blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := blockchain.OpenChain(store, blockchain.ChainOptions{Clock: tickingClock()})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		addHonestBlock(t, chain)
	}
	path := store.Path()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	store, err = blockchain.OpenStore(dir, blockchain.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	chain, err = blockchain.OpenChain(store, blockchain.ChainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	version := chain.Version()
	miner := &fakeMiner{t: t}
	l := newTestLab(t, chain, 1, miner, &testClock{now: labEpoch})
	l = tamper(t, l, 1, "pay mallory 1000")
	l, _ = press(t, l, keyEnter, keyRunes("r"))
	l, _ = press(t, l, keyRunes("r")) // forge ahead: longer than the stored chain
	if l.sandbox.FirstInvalid() != -1 || l.sandbox.Len() != chain.Len()+1 {
		t.Fatalf("the lab did not re-mine and forge ahead: %d blocks, invalid from %d", l.sandbox.Len(), l.sandbox.FirstInvalid())
	}
	if _, out := press(t, l, keyEsc, keyRunes("y")); len(out) != 1 {
		t.Fatalf("leaving sent %v", out)
	}
	if chain.Version() != version || chain.Len() != 4 {
		t.Fatalf("the real chain changed: version %d -> %d, %d blocks", version, chain.Version(), chain.Len())
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatalf("the store file %s changed (%d bytes before, %d after)", filepath.Base(path), len(before), len(after))
	}
}

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
	}{
		{"tampered", func(t *testing.T, l Model, _ *testClock, _ *fakeMiner, _ *blockchain.Chain) Model {
			return tamper(t, l, 1, "pay mallory 1000")
		}},
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
		}},
		{"fork", func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, real *blockchain.Chain) Model {
			l = tamper(t, l, 1, "pay mallory 1000")
			miner.during = func(*blockchain.Block) { clock.Advance(40 * time.Millisecond) }
			l, _ = press(t, l, keyEnter, keyRunes("r"))
			addHonestBlock(t, real)
			l, _ = press(t, l, keyRunes("k"))
			return l
		}},
		{"lesson", func(t *testing.T, l Model, clock *testClock, miner *fakeMiner, _ *blockchain.Chain) Model {
			l = tamper(t, l, 1, "pay mallory 1000")
			miner.during = func(tmpl *blockchain.Block) { clock.Advance(time.Duration(tmpl.Index()) * 20 * time.Millisecond) }
			l, _ = press(t, l, keyEnter, keyRunes("+"), keyRunes("r"), keyRunes("d"))
			return l
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			real := demoChain(t)
			clock := &testClock{now: labEpoch}
			miner := &fakeMiner{t: t}
			l := newTestLab(t, real, 1, miner, clock)
			l = tt.steps(t, l, clock, miner, real)
			view := l.View()
			if h := strings.Count(view, "\n") + 1; h != 30 {
				t.Errorf("the view is %d lines high, want 30", h)
			}
			for i, line := range strings.Split(view, "\n") {
				if w := ansi.StringWidth(line); w != 100 {
					t.Errorf("line %d is %d cells wide, want 100: %q", i, w, line)
				}
			}
			checkGolden(t, tt.name, view)
			l.Close()
		})
	}
}

// benchChain is a chain of n blocks under floor 0 (every hash meets it), so
// a long chain is built without mining.
type benchChain []*blockchain.Block

func (c benchChain) Len() int        { return len(c) }
func (c benchChain) Difficulty() int { return 0 }

func (c benchChain) Range(from, to int64) ([]*blockchain.Block, error) {
	return c[from:min(to, int64(len(c)))], nil
}

func newBenchChain(b *testing.B, n int) benchChain {
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

// TestLabIdleHint: an untouched sandbox is "valid", one edited back into
// validity is "valid again".
func TestLabIdleHint(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(Model) Model
		want    string
		wantNot string
	}{
		{"untouched", func(l Model) Model { return l }, "idle · valid: t tampers", "valid again"},
		{"edited back", func(l Model) Model {
			orig := blockchain.TxContent(l.sandbox.Block(1).Transactions()[0])
			l = tamper(t, l, 1, "pay mallory 1000")
			l, _ = press(t, l, keyEnter)
			l = tamper(t, l, 1, orig)
			l, _ = press(t, l, keyEnter)
			return l
		}, "idle · valid again", "t tampers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.edit(newTestLab(t, demoChain(t), 1, nil, &testClock{now: labEpoch}))
			view := ansi.Strip(l.View())
			if !strings.Contains(view, tc.want) || strings.Contains(view, tc.wantNot) {
				t.Errorf("the view should say %q and not %q:\n%s", tc.want, tc.wantNot, view)
			}
		})
	}
}

// labBlocks reads a test chain's every block.
func labBlocks(c *blockchain.Chain) []*blockchain.Block {
	blocks, _ := c.Range(0, int64(c.Len()))
	return blocks
}
