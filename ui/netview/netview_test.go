package netview

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"blockscope/localnet"
)

var testNow = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)

// fakeNet is a network frozen in one state, recording what the screen
// asks of it.
type fakeNet struct {
	mu      sync.Mutex
	snap    localnet.Snapshot
	events  []localnet.Event
	split   bool
	calls   []string
	txs     []localnet.TxKey
	latency time.Duration
}

func (f *fakeNet) record(c string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func (f *fakeNet) Snapshot() localnet.Snapshot        { return f.snap }
func (f *fakeNet) Events() ([]localnet.Event, uint64) { return f.events, uint64(len(f.events)) }
func (f *fakeNet) Split()                             { f.record("split"); f.split = true }
func (f *fakeNet) Heal()                              { f.record("heal"); f.split = false }
func (f *fakeNet) IsSplit() bool                      { return f.split }
func (f *fakeNet) Paused(int) bool                    { return false }
func (f *fakeNet) Latency() time.Duration             { return f.latency }
func (f *fakeNet) Options() localnet.Options          { return localnet.Options{Nodes: 4, Difficulty: 3} }
func (f *fakeNet) Transactions() []localnet.TxKey     { return f.txs }
func (f *fakeNet) Confirmations(localnet.TxKey) []int { return []int{2, 2, 0, -1} }
func (f *fakeNet) SetLatency(d time.Duration)         { f.record(fmt.Sprint("latency ", d)) }
func (f *fakeNet) SetShare(i int, q float64) error {
	f.record(fmt.Sprintf("share %d %.2f", i, q))
	return nil
}
func (f *fakeNet) SetPaused(i int, paused bool) error {
	f.record(fmt.Sprintf("pause %d %v", i, paused))
	return nil
}
func (f *fakeNet) AddTransaction(_ context.Context, i int, a, c string) error {
	f.record(fmt.Sprintf("tx %d %s", i, c))
	f.txs = append(f.txs, localnet.TxKey{Author: a, Content: c, Node: i})
	return nil
}

// hash makes a 64-digit hash that starts with its label.
func hash(label string) string { return label + strings.Repeat("0", 64-len(label)) }

// scene builds a four-node network: a main chain of six blocks, and in
// the split scene C and D on a branch of their own from #5.
func scene(name string) *fakeNet {
	main := []string{"6dbf2312", "0003556e", "000375e0", "000e17ad", "000cc09d", "000d6b77", "0002e240"}
	for i := range main {
		main[i] = hash(main[i])
	}
	s := localnet.Snapshot{Main: main, MainHeight: 6, MainTip: main[6], Latency: 0}
	miners := []int{1, 2, 2, 3, 2, 0}
	for h, who := range miners {
		s.Blocks = append(s.Blocks, localnet.FoundBlock{Hash: main[h+1], Parent: main[h], Height: int64(h + 1), Miner: who})
	}
	tips := []string{main[6], main[6], main[6], main[6]}
	heights := []int64{6, 6, 6, 6}
	at := func(sec int) time.Time { return testNow.Add(time.Duration(sec) * time.Second) }
	events := []localnet.Event{
		{Time: at(-9), Kind: localnet.EventBlockFound, Message: "C found #5 000d6b77 after 3,102 attempts (1 tx)"},
		{Time: at(-9), Kind: localnet.EventBlockAccepted, Message: "A accepted #5 000d6b77 (C's)"},
		{Time: at(-9), Kind: localnet.EventAnnounced, Message: "C announced #5: 3 of 3 peers took it"},
		{Time: at(-4), Kind: localnet.EventBlockFound, Message: "A found #6 0002e240 after 812 attempts (0 tx)"},
		{Time: at(-4), Kind: localnet.EventAnnounced, Message: "A announced #6: 3 of 3 peers took it"},
	}
	net := &fakeNet{}
	switch name {
	case "split":
		net.split, s.Split = true, true
		stale := hash("000fed24")
		s.Blocks = append(s.Blocks, localnet.FoundBlock{Hash: stale, Parent: main[5], Height: 6, Miner: 3})
		tips[2], tips[3] = stale, stale
		events = append(events,
			localnet.Event{Time: at(-3), Kind: localnet.EventSplit, Message: "network split: A B | C D"},
			localnet.Event{Time: at(-1), Kind: localnet.EventBlockFound, Message: "D found #6 000fed24 after 1,977 attempts (2 tx)"},
			localnet.Event{Time: at(-1), Kind: localnet.EventAnnounced, Message: "D announced #6: 1 of 3 peers took it"})
	case "reorg":
		stale := hash("000fed24")
		s.Blocks = append(s.Blocks, localnet.FoundBlock{Hash: stale, Parent: main[5], Height: 6, Miner: 3})
		events = append(events,
			localnet.Event{Time: at(-2), Kind: localnet.EventHeal, Message: "network healed: A B | C D can talk again"},
			localnet.Event{Time: at(-1), Kind: localnet.EventReorg, Message: "reorg at C: 1 block replaced by A's branch, 2 transactions back to pending"},
			localnet.Event{Time: at(-1), Kind: localnet.EventReorg, Message: "reorg at D: 1 block replaced by A's branch, 2 transactions back to pending"})
	}
	for i, nm := range []string{"A", "B", "C", "D"} {
		s.Nodes = append(s.Nodes, localnet.NodeStatus{Name: nm, URL: fmt.Sprintf("http://127.0.0.1:%d/", 40001+i), Share: 0.25,
			Height: heights[i], Tip: tips[i], Pending: i, Peers: 3, PeersUp: 3})
	}
	if s.Split {
		for i := range s.Nodes {
			s.Nodes[i].PeersUp = 1
		}
	}
	for _, b := range s.Blocks {
		s.Found++
		s.Nodes[b.Miner].Mined++
		if s.OnMain(b.Height, b.Hash) {
			s.Nodes[b.Miner].OnMain++
		} else {
			s.Stale++
			s.Nodes[b.Miner].Stale++
		}
	}
	net.snap, net.events = s, events
	return net
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// newTestModel returns the screen over net at 100x30, having read it once.
func newTestModel(t *testing.T, net Network) *Model {
	t.Helper()
	m := New(Options{Network: net, Renderer: asciiRenderer(), Now: func() time.Time { return testNow }, Refresh: -1})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(m.Init()())
	return m
}

// press sends a key and runs the command it returns, feeding its message
// back, as the program would.
func press(m *Model, k string) {
	var msg tea.KeyMsg
	switch k {
	case "right":
		msg = tea.KeyMsg{Type: tea.KeyRight}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := m.Update(msg)
	for cmd != nil {
		_, cmd = m.Update(cmd())
	}
}

// checkGolden compares got with testdata/<name>.golden; run with
// UPDATE_NET_GOLDEN=1 to rewrite the files after a deliberate change.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if strings.Contains(got, "\x1b") {
		t.Fatalf("the ASCII colour profile still wrote escape codes:\n%q", got)
	}
	path := filepath.Join("testdata", name+".golden")
	if os.Getenv("UPDATE_NET_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_NET_GOLDEN=1 to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("the view differs from %s:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func TestGoldenNetwork(t *testing.T) {
	for _, name := range []string{"normal", "split", "reorg"} {
		t.Run(name, func(t *testing.T) {
			m := newTestModel(t, scene(name))
			checkGolden(t, "net_"+name, m.View())
		})
	}
}

func TestKeysDriveTheNetwork(t *testing.T) {
	net := scene("normal")
	m := newTestModel(t, net)
	for _, k := range []string{"x", "x", "right", "+", "p", "l", "t"} {
		press(m, k)
	}
	want := []string{"split", "heal", "share 1 0.30", "pause 1 true", "latency 100ms", "tx 1 keyboard payment 1 at B"}
	if fmt.Sprint(net.calls) != fmt.Sprint(want) {
		t.Errorf("calls = %q, want %q", net.calls, want)
	}
	if v := m.View(); !strings.Contains(v, `"keyboard payment 1 at B": A 2 confirmations · B 2 confirmations · C pending · D not seen`) {
		t.Errorf("the followed transaction is not shown:\n%s", v)
	}
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "pause / resume node") || !strings.Contains(v, "the double-spend race") {
		t.Errorf("the full help lacks keys:\n%s", v)
	}
}

func TestRaceViewShowsTheFigures(t *testing.T) {
	m := newTestModel(t, scene("normal"))
	m.race = newRaceView(context.Background(), m.st, 2)
	m.Update(raceMsg(localnet.RaceState{Honest: 2, Attacker: 3}))
	m.Update(raceMsg(localnet.RaceState{Honest: 2, Attacker: 3, Done: true, Won: true}))
	m.Update(raceDoneMsg{won: true})
	v := m.View()
	for _, want := range []string{
		"attacker share q = 0.30 · merchant waits z = 2",
		"■ ■  2", "□ □ □  3",
		"attacker won: the honest node adopted its branch; the merchant's tx is pending again",
		"measured    1 of 1 races won (1.000)",
		"exact       0.2330", "whitepaper  0.4457",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the race view lacks %q:\n%s", want, v)
		}
	}
	press(m, "z")
	press(m, "+")
	if m.race.z != 3 || m.race.q != 0.35 || m.race.races != 0 {
		t.Errorf("after z and +: q %v, z %d, %d races counted", m.race.q, m.race.z, m.race.races)
	}
	press(m, "esc")
	if m.race != nil {
		t.Error("esc did not leave the race")
	}
}
