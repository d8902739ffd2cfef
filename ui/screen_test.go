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
	h.mustContain("#40", "1–19 of 41")
	h.keys("G")
	if sel, _ := h.m.chainP.SelectedHeight(); sel != 0 {
		t.Errorf("G selects #%d, want #0", sel)
	}
	h.mustContain("#0", "23–41 of 41")
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
	h.until("received counted", func(m Model) bool { return m.received.announced == 1 })
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
