package ui

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// testNow is the fixed clock of every test screen: ages and times are
// measured from it, so views are the same on every run.
var testNow = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// asciiRenderer renders without colour or attributes, for stable goldens.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// scriptMiner hands out scriptSearches the test drives by hand and reports each
// start on a channel.
type scriptMiner struct {
	starts chan *scriptSearch
}

func newScriptMiner() *scriptMiner { return &scriptMiner{starts: make(chan *scriptSearch, 64)} }

func (f *scriptMiner) Start(ctx context.Context, tmpl *blockchain.Block, cfg miner.Config) (common.Search, error) {
	s := &scriptSearch{ctx: ctx, template: tmpl, cfg: cfg, events: make(chan miner.Event, 64)}
	f.starts <- s
	return s, nil
}

// none checks that no search was started.
func (f *scriptMiner) none(t *testing.T) {
	t.Helper()
	select {
	case s := <-f.starts:
		t.Fatalf("unexpected search started on block #%d", s.template.Index())
	default:
	}
}

// scriptSearch is a search whose events the test sends.
type scriptSearch struct {
	ctx      context.Context // the context it was started with
	template *blockchain.Block
	cfg      miner.Config
	events   chan miner.Event

	mu      sync.Mutex
	stopped bool
	steps   int
}

func (s *scriptSearch) Events() <-chan miner.Event { return s.events }

func (s *scriptSearch) Step() {
	s.mu.Lock()
	s.steps++
	s.mu.Unlock()
}

func (s *scriptSearch) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.stopped = true
		close(s.events)
	}
}

func (s *scriptSearch) isStopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

func (s *scriptSearch) stepCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.steps
}

// emit sends an event unless the search was stopped.
func (s *scriptSearch) emit(ev miner.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.events <- ev
	}
}

// harness runs a Model the way Bubble Tea does, in miniature: messages are
// handled one at a time by Update, and every command runs in its own
// goroutine and sends its message back. Waits on channels stay pending until
// the test ends (its context is cancelled then).
type harness struct {
	t      *testing.T
	m      Model
	ctx    context.Context
	cancel context.CancelFunc // ends the screen's context
	msgs   chan tea.Msg
	quit   bool
	miner  *scriptMiner
	chain  *blockchain.Chain
	// done is signalled when a command returns no message: what it did
	// (stopping a search, say) shows nowhere but in the state a test
	// waits on, so until must look again. One slot: a signal still
	// waiting there already makes until look after this command's work.
	done chan struct{}
}

// newHarness returns a 100x30 screen on a fresh memory chain with the fixed
// clock and a fake miner; edit adjusts the options.
func newHarness(t *testing.T, edit func(*Options)) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	fm := newScriptMiner()
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: fixedClock})
	opts := Options{
		Chain:    c,
		Miner:    fm,
		Context:  ctx,
		Workers:  2,
		Now:      fixedClock,
		Renderer: asciiRenderer(),
		Tick:     -1,
		Where:    "/home/alice/.local/share/blockscope/chain.db",
		API:      API{Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8000}},
	}
	if edit != nil {
		edit(&opts)
	}
	h := &harness{t: t, ctx: ctx, cancel: cancel, msgs: make(chan tea.Msg, 256), done: make(chan struct{}, 1), miner: fm, chain: opts.Chain}
	h.m = New(opts)
	t.Cleanup(func() {
		cancel()
		h.m.Close()
	})
	h.exec(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

// exec runs cmd in a goroutine that sends its message back.
func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if msg == nil {
			select {
			case h.done <- struct{}{}:
			default:
			}
			return
		}
		select {
		case h.msgs <- msg:
		case <-h.ctx.Done():
		}
	}()
}

// send hands msg to Update and runs the command it returns.
func (h *harness) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.exec(c)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	}
	next, cmd := h.m.Update(msg)
	h.m = next.(Model)
	h.exec(cmd)
}

// keys sends key presses: names such as "enter", "esc", "tab", "ctrl+c",
// "space", or text typed rune by rune.
func (h *harness) keys(keys ...string) {
	for _, k := range keys {
		for _, msg := range keyMsgs(k) {
			h.send(msg)
		}
	}
}

func keyMsgs(k string) []tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"ctrl+c": tea.KeyCtrlC, "backspace": tea.KeyBackspace, "up": tea.KeyUp, "down": tea.KeyDown,
		"pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "left": tea.KeyLeft, "right": tea.KeyRight,
		"ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	if t, ok := named[k]; ok {
		return []tea.KeyMsg{{Type: t}}
	}
	if k == "space" {
		return []tea.KeyMsg{{Type: tea.KeySpace, Runes: []rune{' '}}}
	}
	var out []tea.KeyMsg
	for _, r := range k {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// until handles messages as they arrive until cond holds, failing the test
// after a deadline. It looks at cond again after every message and every
// command that returned none.
func (h *harness) until(what string, cond func(Model) bool) {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond(h.m) {
		select {
		case msg := <-h.msgs:
			h.send(msg)
		case <-h.done:
		case <-deadline:
			h.t.Fatalf("%s: not reached; screen:\n%s", what, h.m.View())
		}
	}
}

// settle handles every message already waiting, without waiting for more.
func (h *harness) settle() {
	for {
		select {
		case msg := <-h.msgs:
			h.send(msg)
		default:
			return
		}
	}
}

// addTx adds a transaction to the chain directly, as the API would.
func (h *harness) addTx(author, content string) {
	h.t.Helper()
	if _, err := h.chain.AddTransaction(map[string]any{"author": author, "content": content}); err != nil {
		h.t.Fatal(err)
	}
}

// nextSearch handles messages until a search starts and returns it,
// failing the test after a deadline.
func (h *harness) nextSearch() *scriptSearch {
	h.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case s := <-h.miner.starts:
			return s
		case msg := <-h.msgs:
			h.send(msg)
		case <-deadline:
			h.t.Fatalf("no search was started; screen:\n%s", h.m.View())
			return nil
		}
	}
}

// view is the screen as text.
func (h *harness) view() string { return h.m.View() }

// mustContain fails unless the screen shows every want.
func (h *harness) mustContain(want ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			h.t.Fatalf("screen lacks %q:\n%s", w, v)
		}
	}
}

// mineChain appends n blocks with one transaction each to c, mined at
// difficulty 2 with the reference miner.
func mineChain(t testing.TB, c *blockchain.Chain, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		tip := c.Tip()
		mineTxBlock(t, c, map[string]any{"author": "miner" + string(rune('a'+i%26)), "content": "block payload", "timestamp": 1.7639e9 + float64(tip.Index())})
	}
}

// mineTxBlock appends a block holding tx to c, a minute after the tip's
// index in seconds.
func mineTxBlock(t testing.TB, c *blockchain.Chain, tx map[string]any) {
	t.Helper()
	tip := c.Tip()
	tmpl, err := blockchain.NewBlock(tip.Index()+1, []any{tx}, 1.7639e9+float64(tip.Index()*60), tip.Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	mineOnto(t, c, tmpl)
}

// mineNextBlock mines the pending transactions into the next block.
func mineNextBlock(t testing.TB, c *blockchain.Chain) {
	t.Helper()
	tmpl, err := c.Template()
	if err != nil {
		t.Fatal(err)
	}
	mineOnto(t, c, tmpl)
}

// mineOnto mines tmpl at difficulty 2 with the reference miner and
// appends it to c.
func mineOnto(t testing.TB, c *blockchain.Chain, tmpl *blockchain.Block) {
	t.Helper()
	b, err := blockchain.Mine(context.Background(), tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddBlock(b); err != nil {
		t.Fatal(err)
	}
}

// lipglossWidth is the width of a line in cells.
func lipglossWidth(s string) int { return common.Width(s) }

// asciiStyles are the styles without colour or attributes.
func asciiStyles() *common.Styles {
	s := common.NewStyles(asciiRenderer())
	return &s
}
