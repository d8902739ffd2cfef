package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
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
	h.mustContain("target 2 is the chain's floor")
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

func TestFilter(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 12)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 13 })
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"#7", []int64{7}},
		{"minerc", []int64{3}},
		{"MINERC", []int64{3}},
		{h.chain.Block(5).Hash()[:10], []int64{5}},
		{"no such thing", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			h.keys("/", tc.query)
			h.until("scan done", func(m Model) bool { return !m.filter.scanning && m.chainP.filtered && m.chainP.query == tc.query })
			got := h.m.chainP.matches
			if len(got) != len(tc.want) {
				t.Fatalf("matches %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("matches %v, want %v", got, tc.want)
				}
			}
			h.mustContain(common.GroupDigits(int64(len(tc.want))) + " of 13 match")
			h.keys("esc")
			if h.m.chainP.filtered || (h.m.modes.top() == modeFilter) {
				t.Fatal("esc did not clear the filter")
			}
		})
	}
	// Enter keeps the filter and gives the keys back.
	h.keys("/", "payload", "enter")
	h.until("scan done", func(m Model) bool { return !m.filter.scanning && m.chainP.filtered })
	if h.m.modes.top() == modeFilter {
		t.Error("enter did not leave the filter line")
	}
	h.keys("j")
	if h.m.chainP.Cursor != 1 {
		t.Errorf("j after the filter: cursor %d, want 1", h.m.chainP.Cursor)
	}
}

func TestChainPaneMovesAndFollowsNewBlocks(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 40)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 41 })
	h.mustContain("#40", "1–20 of 41")
	h.keys("G")
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 0 {
		t.Errorf("G selects #%d, want #0", sel)
	}
	h.mustContain("#0", "22–41 of 41")
	h.keys("k", "k")
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 2 {
		t.Errorf("k k selects #%d, want #2", sel)
	}
	// A new block keeps the selection on the same block.
	mineChain(t, h.chain, 1)
	h.until("new block", func(m Model) bool { return m.chainP.length == 42 })
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 2 {
		t.Errorf("after a new block the selection moved to #%d, want #2", sel)
	}
	h.keys("g")
	mineChain(t, h.chain, 1)
	h.until("new block", func(m Model) bool { return m.chainP.length == 43 })
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 42 {
		t.Errorf("at the top the selection should follow the newest block, got #%d", sel)
	}
}

func TestPaneFocusKeys(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct {
		key  string
		want int
	}{
		{"1", panePending}, {"3", paneMining}, {"2", paneChain},
		{"tab", paneMining}, {"tab", panePending}, {"shift+tab", paneMining},
	} {
		h.keys(tc.key)
		if h.m.focus != tc.want {
			t.Fatalf("%s: focus %d, want %d", tc.key, h.m.focus, tc.want)
		}
	}
	// Focus shows without colour: a heavy border and a marker.
	h.mustContain("┏━ ▶ 3 Mining", "╭─ 1 Pending")
}

func TestInspectorAndBack(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 3)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 4 })
	h.keys("j", "enter")
	if !h.m.modes.has(modeInspect) {
		t.Fatal("enter did not open the inspector")
	}
	b := h.chain.Block(2)
	h.mustContain("Block #2 of #0–#3", "✓ pass  previous_hash links to block #1", "✓ pass  hash matches the contents", "✓ pass  proof of work meets difficulty 2")
	h.keys("G")
	h.mustContain("| sha256sum", b.Hash())
	h.keys("esc")
	if h.m.modes.has(modeInspect) {
		t.Fatal("esc did not close the inspector")
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, nil)
	h.send(tea.WindowSizeMsg{Width: 79, Height: 30})
	h.mustContain("at least 80×24", "this one is 79×30")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.mustContain("Pending", "Chain", "Mining")
	h.keys("q")
	h.until("q quits a small screen too", func(Model) bool { return h.quit })
}

// TestTooSmallKeysReachNoHiddenView: while the window is too small, keys
// reach no view that cannot be seen. Text is not typed into a hidden form,
// a hidden lab question is not answered, and q quits only when it would
// not ask first, which the message says.
func TestTooSmallKeysReachNoHiddenView(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 3)
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	h.keys("n")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.keys("x", "y", "z", "esc", "enter")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	if !h.m.modes.has(modeForm) {
		t.Fatal("esc typed while too small closed the hidden form")
	}
	if got := h.m.form.fields[0].Value(); got != "" {
		t.Fatalf("keys typed while too small reached the hidden form: %q", got)
	}

	h.keys("esc", "t", "j", "t", "x", "enter") // tamper: the lab now holds work
	if !h.m.lab.Dirty() {
		t.Fatal("the lab's edit did not take")
	}
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.mustContain("press ctrl+c to quit")
	h.keys("q", "y")
	if h.quit || !h.m.modes.has(modeLab) {
		t.Fatal("q and y while too small answered the lab's hidden question")
	}
}

// TestViewFitsWindow checks every line of every screen against the window
// at a few sizes: nothing wider, no more lines than the window.
func TestViewFitsWindow(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {160, 50}} {
		h := newHarness(t, nil)
		mineChain(t, h.chain, 3)
		h.addTx("alice", strings.Repeat("a long transaction ", 20))
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.settle()
		check := func(screen string) {
			t.Helper()
			lines := strings.Split(h.view(), "\n")
			if len(lines) != size[1] {
				t.Errorf("%dx%d %s: %d lines", size[0], size[1], screen, len(lines))
			}
			for i, l := range lines {
				if w := lipglossWidth(l); w > size[0] {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", size[0], size[1], screen, i, w, l)
				}
			}
		}
		check("main")
		h.keys("?")
		check("help")
		h.keys("esc", "n")
		check("form")
		h.keys("esc", "enter")
		check("inspector")
		h.keys("esc", "w")
		check("network")
		h.keys("esc", "/", "alice")
		check("filter")
	}
}

// TestMinedBlockAnnounced: a block mined here goes to the node's Announce,
// and the node's events reach the status line and the header.
func TestMinedBlockAnnounced(t *testing.T) {
	net := &scriptNetwork{events: make(chan node.Event, 4), announced: make(chan *blockchain.Block, 1),
		peers: []node.PeerStatus{{URL: "http://127.0.0.1:8001/", State: node.PeerInSync, Length: 1}}}
	h := newHarness(t, func(o *Options) { o.Network = net })
	s := startMining(t, h)
	b, err := blockchain.Mine(h.ctx, s.template, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.emit(miner.Found{Block: b, Attempts: 10, Elapsed: time.Millisecond})
	h.until("stored", func(m Model) bool { return m.lastMined == 1 })
	var got *blockchain.Block
	h.until("announced", func(Model) bool {
		select {
		case got = <-net.announced:
		default:
		}
		return got != nil
	})
	if got.Hash() != b.Hash() {
		t.Errorf("announced %s, want the mined block %s", got.Hash(), b.Hash())
	}
	net.events <- node.Event{Kind: node.EventBlockAnnounced, Index: 1, Message: "block #1 announced: 1 of 1 peers accepted it"}
	h.until("announce reported", func(m Model) bool { return strings.Contains(m.status.text, "announced") })
	h.mustContain("block #1 mined in 0.001 s after 10 attempts · block #1 announced: 1 of 1 peers accepted it", "1 peer")
	net.events <- node.Event{Kind: node.EventBlockReceived, Index: 2, Message: "block #2 received from 127.0.0.1:8001"}
	h.until("received counted", func(m Model) bool { return m.received == 1 })
	h.mustContain("block #2 received from 127.0.0.1:8001")
	// Once the node has closed its events, nothing waits for more.
	if _, cmd := h.m.Update(networkEventMsg{closed: true}); cmd != nil {
		t.Error("the screen waits again on a node that closed its events")
	}
}

func TestMouse(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 30)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 31 })
	// Wheel over the chain pane scrolls it; a click on the pending pane focuses it.
	h.send(tea.MouseMsg{X: 60, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if h.m.chainP.Cursor != 3 || h.m.focus != paneChain {
		t.Errorf("wheel down: cursor %d focus %d, want 3 on the chain", h.m.chainP.Cursor, h.m.focus)
	}
	h.send(tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if h.m.focus != panePending {
		t.Errorf("click on pending: focus %d", h.m.focus)
	}
	h.send(tea.MouseMsg{X: 5, Y: 26, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if h.m.focus != paneMining {
		t.Errorf("click on mining: focus %d", h.m.focus)
	}
}

// TestPeerBlockTakesThePool: when a block from elsewhere holds every
// pending transaction, the search stops and a later transaction does not
// start another (one block was asked for, and it exists).
func TestPeerBlockTakesThePool(t *testing.T) {
	h := newHarness(t, nil)
	s := startMining(t, h)
	b, err := blockchain.Mine(h.ctx, s.template, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.chain.AddBlock(b); err != nil {
		t.Fatal(err)
	}
	h.until("search stopped", func(m Model) bool { return s.isStopped() && m.mining.state == mineIdle })
	h.mustContain("mining stopped: a block from elsewhere holds the pending transactions")
	h.addTx("dave", "later")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 1 })
	h.settle()
	h.miner.none(t)
}

// TestSearchOnNewTipBeforeItsNewsIsKept: a search may start on a chain that
// changed (a peer's block took a transaction) before the screen has read
// the change. Its template is current, so it must not be restarted, neither
// when it reports its start nor when the change arrives after it.
func TestSearchOnNewTipBeforeItsNewsIsKept(t *testing.T) {
	h := newHarness(t, nil)
	h.addTx("alice", "pay bob 5")
	h.addTx("bob", "hello")
	h.until("pending shows", func(m Model) bool { return len(m.pending.txs) == 2 })
	h.keys("m")
	s1 := h.nextSearch()
	h.until("search running", func(m Model) bool { return m.mining.state == mineRunning })

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
	// A new target restarts the search before the chain's change message
	// is handled (it is held back): the new template is built on b.
	h.keys("+")
	var held []tea.Msg
	deadline := time.After(5 * time.Second)
	for started := false; !started; {
		select {
		case msg := <-h.msgs:
			if _, ok := msg.(chainChangedMsg); ok {
				held = append(held, msg)
				continue
			}
			_, started = msg.(searchStartedMsg)
			h.send(msg)
		case <-deadline:
			t.Fatal("the second search never reported its start")
		}
	}
	var s2 *scriptSearch
	select {
	case s2 = <-h.miner.starts:
	default:
		t.Fatal("+ started no search")
	}
	if s2.template.PreviousHash() != b.Hash() {
		t.Fatal("the new search is not on the peer's block")
	}
	if h.m.mining.state != mineRunning || h.m.mining.search != common.Search(s2) {
		t.Fatalf("the search on the current tip was replaced when it started (state %v)", h.m.mining.state)
	}
	for _, msg := range held {
		h.send(msg)
	}
	h.until("the change shows", func(m Model) bool { return m.chainP.length == 2 && len(m.pending.txs) == 1 })
	h.until("first search stopped", func(Model) bool { return s1.isStopped() })
	if h.m.mining.search != common.Search(s2) || s2.isStopped() {
		t.Error("the search on the current tip was replaced when the change arrived")
	}
	h.miner.none(t)
}

// TestKeysReadTogether: keys that reach the screen in one message (typed
// faster than the terminal is read) act one by one, as if typed slowly; a
// paste stays text.
func TestKeysReadTogether(t *testing.T) {
	for _, tc := range []struct {
		name  string
		msg   tea.KeyMsg
		check func(Model) string // "" when the screen is as expected
		quit  bool
	}{
		{"shortcut then text", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nalice")}, func(m Model) string {
			if !(m.modes.top() == modeForm) || m.form.fields[0].Value() != "alice" {
				return "form open " + strconv.FormatBool((m.modes.top() == modeForm)) + ", author " + strconv.Quote(m.form.fields[0].Value())
			}
			return ""
		}, false},
		{"three shortcuts", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ppp")}, func(m Model) string {
			if m.mining.pace != 1 {
				return "pace " + m.mining.pace.String() + " after ppp, want 1/s"
			}
			return ""
		}, false},
		{"quit among them", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("+q")}, func(m Model) string {
			if m.mining.target != 3 {
				return "target " + strconv.Itoa(m.mining.target) + ", want 3"
			}
			return ""
		}, true},
		{"a paste is not keys", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("nq"), Paste: true}, func(m Model) string {
			if m.modes.top() == modeForm {
				return "a paste on the screen opened the form"
			}
			return ""
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			h.send(tc.msg)
			if tc.quit {
				h.until("quit", func(Model) bool { return h.quit })
			}
			h.settle()
			if h.quit != tc.quit {
				t.Errorf("quit = %v, want %v", h.quit, tc.quit)
			}
			if problem := tc.check(h.m); problem != "" {
				t.Error(problem)
			}
		})
	}
}

// TestPaceKeepsTheSelectionOnScreen: a slow pace makes the mining pane
// taller and the chain pane shorter; a block selected near the bottom of
// the chain pane must stay on screen through every pace.
func TestPaceKeepsTheSelectionOnScreen(t *testing.T) {
	h := newHarness(t, nil)
	mineChain(t, h.chain, 40)
	h.until("chain shows", func(m Model) bool { return m.chainP.length == 41 })
	rows := h.m.chainP.rows()
	for i := 0; i < rows-1; i++ {
		h.keys("j")
	}
	sel, _ := h.m.chainP.SelectedHeight()
	row := "▸ #" + strconv.FormatInt(sel, 10) + " "
	h.mustContain(row)
	for i := 0; i < 4; i++ {
		h.keys("p")
		c := h.m.chainP
		if got, _ := c.SelectedHeight(); got != sel {
			t.Fatalf("after %d presses of p the selection moved from #%d to #%d", i+1, sel, got)
		}
		if c.Cursor < c.Offset || c.Cursor >= c.Offset+c.rows() {
			t.Fatalf("after %d presses of p (pace %v) row %d is off the pane's rows %d..%d", i+1, h.m.mining.pace, c.Cursor, c.Offset, c.Offset+c.rows()-1)
		}
		h.mustContain(row)
		if c.rows() >= rows {
			t.Fatalf("pace %v: the chain pane keeps its %d rows; the mining pane did not grow", h.m.mining.pace, rows)
		}
	}
}
