package ui

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
)

// The golden tests run the real Bubble Tea program (teatest) at 100x30 with
// the fixed clock, no colour, a fake miner and a fixed chain, drive it with
// keys and events, and compare the final screen with testdata/*.golden.
// Regenerate with: go test ./ui -run TestGolden -update

// goldenChain is a chain of three blocks mined at difficulty 2 and two
// pending transactions received 12 s and 4 s before the test clock.
func goldenChain(t *testing.T) *blockchain.Chain {
	t.Helper()
	at := testNow.Add(-12 * time.Second)
	c := blockchain.NewMemoryChain(blockchain.ChainOptions{Clock: func() time.Time { return at }})
	mineChain(t, c, 3)
	for _, tx := range []struct {
		author, content string
		at              time.Time
	}{
		{"alice", "pay bob 5", testNow.Add(-12 * time.Second)},
		{"bob", "hello from the terminal", testNow.Add(-4 * time.Second)},
	} {
		at = tx.at
		if _, err := c.AddTransaction(map[string]any{"author": tx.author, "content": tx.content}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

type goldenRun struct {
	tm    *teatest.TestModel
	miner *scriptMiner
	chain *blockchain.Chain
}

func startGolden(t *testing.T, width, height int, edit func(*Options)) goldenRun {
	t.Helper()
	return startGoldenModel(t, width, height, edit, nil)
}

// startGoldenModel is startGolden with a last change to the model, when
// model is not nil, before the program starts.
func startGoldenModel(t *testing.T, width, height int, edit func(*Options), model func(Model) Model) goldenRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	fm := newScriptMiner()
	c := goldenChain(t)
	opts := Options{
		Chain:      c,
		Miner:      fm,
		Context:    ctx,
		Workers:    2,
		Difficulty: 2,
		Now:        fixedClock,
		Renderer:   asciiRenderer(),
		Tick:       -1,
		Where:      "/home/alice/.local/share/blockscope/chain.db",
		API:        API{Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8000}},
	}
	if edit != nil {
		edit(&opts)
	}
	m := New(opts)
	t.Cleanup(m.Close)
	if model != nil {
		m = model(m)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(width, height))
	return goldenRun{tm: tm, miner: fm, chain: c}
}

// waitScreen waits until the program has drawn want.
func (g goldenRun) waitScreen(t *testing.T, want string) {
	t.Helper()
	teatest.WaitFor(t, g.tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// finish quits the program and compares its last screen with the golden.
func (g goldenRun) finish(t *testing.T) {
	t.Helper()
	g.finishView(t)
}

// finishView is finish, returning the last screen for further checks.
func (g goldenRun) finishView(t *testing.T) string {
	t.Helper()
	if err := g.tm.Quit(); err != nil {
		t.Fatal(err)
	}
	view := g.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model).View()
	teatest.RequireEqualOutput(t, []byte(view+"\n"))
	return view
}

func (g goldenRun) keys(keys ...string) {
	for _, k := range keys {
		for _, msg := range keyMsgs(k) {
			g.tm.Send(msg)
		}
	}
}

func TestGoldenIdle(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "Pending (2)")
	g.finish(t)
}

func TestGoldenIdle80x24(t *testing.T) {
	g := startGolden(t, 80, 24, nil)
	g.waitScreen(t, "pay bob 5")
	g.finish(t)
}

func TestGoldenMining(t *testing.T) {
	g := startGolden(t, 100, 30, func(o *Options) { o.Difficulty = 5 })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	s := <-g.miner.starts
	var cand, best [32]byte
	copy(cand[:], []byte{0x3f, 0x9a, 0x1c, 0x07, 0xe2, 0x55, 0x10})
	copy(best[:], []byte{0x00, 0x00, 0xa7, 0x1f, 0x3c, 0x42})
	for i, rate := range []float64{5.2e6, 5.9e6, 5.91e6} {
		s.emit(miner.Progress{
			Attempts: uint64(411522 * (i + 1)), Nonce: int64(411000 * (i + 1)), Candidate: cand,
			Best: best, BestNonce: 77, BestZeros: 4, Rate: rate,
			Elapsed: time.Duration(i)*time.Second + 210*time.Millisecond, Workers: 2,
		})
	}
	g.waitScreen(t, "1,233,000")
	g.finish(t)
}

func TestGoldenStepPace(t *testing.T) {
	g := startGolden(t, 100, 30, func(o *Options) { o.Pace = miner.Step })
	g.waitScreen(t, "pay bob 5")
	g.keys("m")
	s := <-g.miner.starts
	var trail []miner.Attempt
	for n := int64(0); n < 3; n++ {
		b := s.template.WithNonce(n)
		trail = append(trail, miner.Attempt{Nonce: n, Hash: b.HashBytes()})
	}
	s.emit(miner.Progress{Attempts: 3, Nonce: 2, Candidate: trail[2].Hash, Best: trail[0].Hash, BestZeros: 0, Rate: 1, Elapsed: 3 * time.Second, Workers: 1, Trail: trail})
	g.waitScreen(t, "tried nonce")
	g.finish(t)
}

func TestGoldenForm(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("n", "carol", "tab", "héllo wörld ✓ q")
	g.waitScreen(t, "wörld")
	g.finish(t)
}

func TestGoldenFormRefused(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("n", "tab", "no author", "enter")
	g.waitScreen(t, "must not be empty")
	g.finish(t)
}

func TestGoldenInspector(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("enter")
	g.waitScreen(t, "Checks")
	g.finish(t)
}

func TestGoldenInspectorBottom(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("enter", "G")
	g.waitScreen(t, "sha256sum")
	g.finish(t)
}

func TestGoldenHelp(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("?")
	g.waitScreen(t, "not progress.")
	g.finish(t)
}

func TestGoldenTooSmall(t *testing.T) {
	g := startGolden(t, 70, 20, nil)
	g.waitScreen(t, "this one is 70")
	g.finish(t)
}

// TestGoldenTooSmall30x8: the message wraps, keeping the size needed and
// how to quit whole.
func TestGoldenTooSmall30x8(t *testing.T) {
	g := startGolden(t, 30, 8, nil)
	g.waitScreen(t, "press q to quit")
	g.finish(t)
}

func TestGoldenFilter(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("/", "minerb")
	g.waitScreen(t, "1 match")
	g.finish(t)
}

func TestGoldenNetwork(t *testing.T) {
	g := startNetworkGolden(t, 100, 30)
	g.keys("w")
	g.waitScreen(t, "unreachable")
	g.finish(t)
}

// TestGoldenOverlays80x24: at 80x24 the boxes drawn over the screen stay
// between the header and the status line, so that the key bar keeps
// "q quit" and the status line shows.
func TestGoldenOverlays80x24(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"network", []string{"w"}, "unreachable"},
		{"help", []string{"?"}, "event log"},
		{"inspector_help", []string{"enter", "?"}, "Keys of the inspector"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := startNetworkGolden(t, 80, 24)
			g.keys(tt.keys...)
			g.waitScreen(t, tt.want)
			g.finish(t)
		})
	}
}

// startNetworkGolden starts a golden run beside a node with three peers,
// one unreachable, once a block from a peer has been received.
func startNetworkGolden(t *testing.T, width, height int) goldenRun {
	t.Helper()
	net := &scriptNetwork{events: make(chan node.Event, 4), peers: []node.PeerStatus{
		{URL: "http://127.0.0.1:8001/", State: node.PeerInSync, Length: 4, LastContact: testNow.Add(-3 * time.Second)},
		{URL: "http://127.0.0.1:8002/", State: node.PeerBehind, Length: 2, LastContact: testNow.Add(-75 * time.Second)},
		{URL: "http://10.0.0.9:5000/", State: node.PeerUnreachable, LastError: "dial tcp 10.0.0.9:5000: connection refused"},
	}}
	g := startGolden(t, width, height, func(o *Options) { o.Network = net })
	g.waitScreen(t, "pay bob 5")
	net.events <- node.Event{Kind: node.EventBlockReceived, Index: 3, Message: "block #3 received from 127.0.0.1:8001"}
	g.waitScreen(t, "received from")
	return g
}

// scriptNetwork is a node whose peers and events the test sets.
type scriptNetwork struct {
	events    chan node.Event
	peers     []node.PeerStatus
	announced chan *blockchain.Block
}

func (n *scriptNetwork) Peers() []node.PeerStatus  { return n.peers }
func (n *scriptNetwork) Events() <-chan node.Event { return n.events }
func (n *scriptNetwork) Announce(_ context.Context, b *blockchain.Block) (node.AnnounceResult, error) {
	if n.announced != nil {
		n.announced <- b
	}
	return node.AnnounceResult{Accepted: len(n.peers)}, nil
}

// TestGoldenQuitFromProgram checks, through the real program loop, that q
// typed in the form is text and that ctrl+c quits from there.
func TestGoldenQuitFromProgram(t *testing.T) {
	g := startGolden(t, 100, 30, nil)
	g.waitScreen(t, "pay bob 5")
	g.keys("n", "q")
	g.tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := g.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if got := final.form.fields[0].Value(); got != "q" {
		t.Errorf("author %q, want q typed as text", got)
	}
	if !strings.Contains(final.View(), "New transaction") {
		t.Error("the form was not open when ctrl+c quit")
	}
}

func TestGoldenInspector80x24(t *testing.T) {
	g := startGolden(t, 80, 24, func(o *Options) { o.Pace = 1 })
	g.waitScreen(t, "pay bob 5")
	g.keys("enter")
	g.waitScreen(t, "Checks")
	g.finish(t)
}

func TestGoldenCopyMenu80x24(t *testing.T) {
	g := startGolden(t, 80, 24, func(o *Options) { o.Pace = 1 })
	g.waitScreen(t, "pay bob 5")
	g.keys("enter", "y")
	g.waitScreen(t, "esc cancels")
	g.finish(t)
}
