package lab

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

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
