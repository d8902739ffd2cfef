package ui

import (
	"strings"
	"testing"
	"time"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/ui/common"
)

// TestFormKeysAreText types every shortcut into the form: each must land in
// the field as text and none may act (quit, mine, change the target or the
// pace, open the filter or help).
func TestFormKeysAreText(t *testing.T) {
	h := newHarness(t, nil)
	target, pace := h.m.mining.target, h.m.mining.pace
	h.keys("n")
	if !(h.m.modes.top() == modeForm) {
		t.Fatal("n did not open the form")
	}
	shortcuts := "qnmap+-=/?w123gGjks "
	h.keys(shortcuts)
	h.keys("tab", "quit quietly: q is text here")
	h.settle()
	if h.quit {
		t.Fatal("a key typed in the form quit the program")
	}
	if got := h.m.form.fields[0].Value(); got != shortcuts {
		t.Errorf("author field = %q, want every key as text %q", got, shortcuts)
	}
	if got := h.m.form.fields[1].Value(); got != "quit quietly: q is text here" {
		t.Errorf("content field = %q", got)
	}
	if h.m.mining.target != target || h.m.mining.pace != pace || h.m.mining.state != mineIdle {
		t.Errorf("form keys changed mining: target %d pace %v state %v", h.m.mining.target, h.m.mining.pace, h.m.mining.state)
	}
	if (h.m.modes.top() == modeFilter) || (h.m.modes.top() == modeHelp) || (h.m.modes.top() == modeNetwork) || !(h.m.modes.top() == modeForm) {
		t.Errorf("form keys opened something else: filter %v help %v net %v form %v", (h.m.modes.top() == modeFilter), (h.m.modes.top() == modeHelp), (h.m.modes.top() == modeNetwork), (h.m.modes.top() == modeForm))
	}
	h.miner.none(t)
}

func TestFormCtrlCQuitsEscCancels(t *testing.T) {
	for _, tc := range []struct {
		key      string
		quit     bool
		formOpen bool
	}{
		{"ctrl+c", true, true},
		{"esc", false, false},
		{"q", false, true},
	} {
		t.Run(tc.key, func(t *testing.T) {
			h := newHarness(t, nil)
			h.keys("n", tc.key)
			if tc.quit {
				h.until("quit", func(Model) bool { return h.quit })
			}
			h.settle()
			if h.quit != tc.quit {
				t.Errorf("%s in the form: quit = %v, want %v", tc.key, h.quit, tc.quit)
			}
			if !tc.quit && (h.m.modes.top() == modeForm) != tc.formOpen {
				t.Errorf("%s in the form: form open = %v, want %v", tc.key, (h.m.modes.top() == modeForm), tc.formOpen)
			}
		})
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		h := newHarness(t, nil)
		h.keys(k)
		h.until(k+" quits", func(Model) bool { return h.quit })
	}
}

// TestFormInvalidShownInline submits what the chain refuses: the reason
// from blockchain.TransactionError shows in the form, the field at fault
// gets the focus, and nothing reaches the pool.
func TestFormInvalidShownInline(t *testing.T) {
	for _, tc := range []struct {
		name, author, content string
		wantErr               string
		wantFocus             int
	}{
		{"empty author", "", "hello", "author must not be empty", 0},
		{"blank content", "alice", "   ", "content must not be empty", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.keys("n", tc.author, "tab", tc.content, "enter")
			h.settle()
			if !(h.m.modes.top() == modeForm) {
				t.Fatal("the form closed on invalid input")
			}
			if !strings.Contains(h.m.form.err, tc.wantErr) {
				t.Errorf("form error %q, want it to contain %q", h.m.form.err, tc.wantErr)
			}
			if h.m.form.focus != tc.wantFocus {
				t.Errorf("focus on field %d, want %d", h.m.form.focus, tc.wantFocus)
			}
			h.mustContain("✗ transaction invalid: " + tc.wantErr)
			if n := len(h.chain.Pending()); n != 0 {
				t.Errorf("%d transactions reached the pool", n)
			}
		})
	}
}

func TestFormStoresAndShowsPending(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("n", "alice", "tab", "pay bob 5", "enter")
	if h.m.modes.top() == modeForm {
		t.Fatal("the form stayed open after a valid submission")
	}
	h.until("the store answered", func(m Model) bool { return m.mining.storing == 0 })
	p := h.chain.Pending()
	if len(p) != 1 || p[0].Author() != "alice" || p[0].Content() != "pay bob 5" {
		t.Fatalf("pool = %+v", p)
	}
	if len(h.m.pending.txs) != 1 {
		t.Fatalf("pending pane has %d transactions, want the stored one at once", len(h.m.pending.txs))
	}
	h.mustContain("1 Pending (1)", "alice", "pay bob 5", "added to pending")
}

// TestKeyAfterSubmitIsAShortcut: m pressed right after enter, before the
// transaction is on disk, starts mining it instead of being swallowed.
func TestKeyAfterSubmitIsAShortcut(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("n", "alice", "tab", "pay bob 5", "enter", "m")
	s := h.nextSearch()
	if n := len(s.template.Transactions()); n != 1 {
		t.Fatalf("the search mines %d transactions, want the one just stored", n)
	}
}

// TestDifficultyNeverBelowFloor presses - and + and checks the target
// against the chain's floor.
func TestDifficultyNeverBelowFloor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start int
		keys  string
		want  int
	}{
		{"minus at the floor", 2, "---", 2},
		{"plus then minus past the floor", 2, "++----", 2},
		{"plus", 2, "+++", 5},
		{"equals is plus", 3, "==", 5},
		{"start below the floor", 1, "-", 2},
		{"down to the floor", 6, "-------", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.Difficulty = tc.start })
			h.keys(tc.keys)
			if h.m.mining.target != tc.want {
				t.Errorf("target %d, want %d", h.m.mining.target, tc.want)
			}
			if h.m.mining.target < h.chain.Difficulty() {
				t.Errorf("target %d below the floor %d", h.m.mining.target, h.chain.Difficulty())
			}
		})
	}
	h := newHarness(t, nil)
	h.keys("-")
	h.mustContain("difficulty 2 is the chain's floor")
}

func TestPaceCycles(t *testing.T) {
	h := newHarness(t, nil)
	want := []miner.Pace{100, 10, 1, miner.Step, miner.Unlimited, 100}
	for i, w := range want {
		h.keys("p")
		if h.m.mining.pace != w {
			t.Fatalf("after %d presses of p: pace %v, want %v", i+1, h.m.mining.pace, w)
		}
	}
}

// startMining adds a transaction and presses m, returning the search.
func startMining(t *testing.T, h *harness) *scriptSearch {
	t.Helper()
	h.addTx("alice", "pay bob 5")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 1 })
	h.keys("m")
	s := h.nextSearch()
	h.until("search running", func(m Model) bool { return m.mining.state == mineRunning })
	return s
}

// TestStaleTemplateRestarts changes the pool and then the tip under a
// running search: each time the search is stopped and a new one starts on
// the current pool and tip.
func TestStaleTemplateRestarts(t *testing.T) {
	h := newHarness(t, nil)
	s1 := startMining(t, h)
	if n := len(s1.template.Transactions()); n != 1 {
		t.Fatalf("first template has %d transactions, want 1", n)
	}

	// A transaction arrives from the API.
	h.addTx("bob", "hello")
	s2 := h.nextSearch()
	h.until("first search stopped", func(Model) bool { return s1.isStopped() })
	if n := len(s2.template.Transactions()); n != 2 {
		t.Errorf("restarted template has %d transactions, want 2", n)
	}
	if s2.template.PreviousHash() != h.chain.Tip().Hash() {
		t.Error("restarted template is not on the tip")
	}

	// A block from a peer takes the tip (and one of the transactions).
	tip := h.chain.Tip()
	tmpl, err := blockchain.NewBlock(tip.Index()+1, []any{h.chain.Pending()[0].Tx}, 1.7639e9, tip.Hash(), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := blockchain.Mine(h.ctx, tmpl, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.chain.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	s3 := h.nextSearch()
	h.until("second search stopped", func(Model) bool { return s2.isStopped() })
	if s3.template.PreviousHash() != b.Hash() || s3.template.Index() != 2 {
		t.Errorf("template after the new tip: index %d on %s, want 2 on %s", s3.template.Index(), s3.template.PreviousHash()[:8], b.Hash()[:8])
	}
	if n := len(s3.template.Transactions()); n != 1 {
		t.Errorf("template after the new tip has %d transactions, want the 1 still pending", n)
	}
	if s3.isStopped() {
		t.Error("the current search was stopped")
	}
	h.miner.none(t)
}

// TestTargetAndPaceRestartSearch: a running search is replaced when the
// target or pace changes, with the new settings.
func TestTargetAndPaceRestartSearch(t *testing.T) {
	h := newHarness(t, nil)
	s1 := startMining(t, h)
	h.keys("+")
	s2 := h.nextSearch()
	if s2.cfg.Difficulty != 3 || s1.cfg.Difficulty != 2 {
		t.Errorf("difficulties %d then %d, want 2 then 3", s1.cfg.Difficulty, s2.cfg.Difficulty)
	}
	h.keys("p")
	s3 := h.nextSearch()
	if s3.cfg.Pace != 100 {
		t.Errorf("pace after p = %v, want 100/s", s3.cfg.Pace)
	}
	h.until("old searches stopped", func(Model) bool { return s1.isStopped() && s2.isStopped() })
	if s3.cfg.Workers != 2 {
		t.Errorf("workers %d, want 2", s3.cfg.Workers)
	}
}

// TestFoundBlockStored plays a search to its end: the block is stored, the
// panes and the status line say so, and auto-mine starts on the next one.
func TestFoundBlockStored(t *testing.T) {
	h := newHarness(t, nil)
	s := startMining(t, h)
	b, err := blockchain.Mine(h.ctx, s.template, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.emit(miner.Progress{Attempts: 100, Nonce: 99, Rate: 1e6, Elapsed: 100 * time.Millisecond, Workers: 2})
	s.emit(miner.Found{Block: b, Attempts: 321, Elapsed: 480 * time.Millisecond})
	s.emit(miner.Done{Attempts: 321, Found: true})
	h.until("block stored", func(m Model) bool { return m.chainP.length == 2 && m.mining.state == mineIdle })
	if got := h.chain.Tip().Hash(); got != b.Hash() {
		t.Fatalf("tip %s, want the mined block %s", got, b.Hash())
	}
	h.mustContain("block #1 mined in 0.48 s after 321 attempts", "2 Chain (2)", "1 Pending (0)")
	if h.m.mining.manual {
		t.Error("one block was asked for; mining should stop after it")
	}
	h.miner.none(t)

	// With auto-mine on, a new transaction starts the next block at once.
	h.keys("a")
	h.addTx("carol", "next")
	s2 := h.nextSearch()
	if s2.template.Index() != 2 {
		t.Errorf("auto-mine started block #%d, want #2", s2.template.Index())
	}
}

func TestMineKeyStopsAndNothingToMine(t *testing.T) {
	h := newHarness(t, nil)
	h.keys("m")
	h.settle()
	h.mustContain("no transactions to mine")
	h.miner.none(t)

	s := startMining(t, h)
	h.keys("m")
	h.until("search stopped", func(Model) bool { return s.isStopped() })
	if h.m.mining.state != mineIdle {
		t.Errorf("state %v after m, want idle", h.m.mining.state)
	}
	h.mustContain("mining stopped", "3 Mining · idle")
}

func TestStepKeyStepsSearch(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Pace = miner.Step })
	s := startMining(t, h)
	if s.cfg.Pace != miner.Step {
		t.Fatalf("pace %v, want step", s.cfg.Pace)
	}
	h.keys("space", "s", "space")
	if got := s.stepCount(); got != 3 {
		t.Errorf("%d steps, want 3", got)
	}
	h.mustContain("space tries one nonce")
}

// TestStaleEventsIgnored: events from a search that was replaced must not
// reach the pane, nor may its Found be stored.
func TestStaleEventsIgnored(t *testing.T) {
	h := newHarness(t, nil)
	s1 := startMining(t, h)
	h.keys("+")
	s2 := h.nextSearch()
	h.until("new search running", func(m Model) bool { return m.mining.search == common.Search(s2) })
	b, err := blockchain.Mine(h.ctx, s1.template, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Deliver a late Found of the old search as if it raced the stop.
	h.send(minerEventMsg{gen: h.m.mining.gen - 1, ev: miner.Found{Block: b, Attempts: 9}})
	h.send(minerEventMsg{gen: h.m.mining.gen - 1, ev: miner.Progress{Attempts: 12345}})
	h.settle()
	if h.chain.Len() != 1 {
		t.Errorf("a stale search's block was stored")
	}
	if h.m.mining.progress.Attempts == 12345 {
		t.Error("a stale search's progress reached the pane")
	}
}
