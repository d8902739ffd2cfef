// Package netview is the network screen of `blockscope net`: the local
// network's nodes side by side, the block tree with its stale branches, the
// event log, and the double-spend race of the whitepaper, watched live.
//
// It draws from a localnet.Network (or a fake of it for the goldens) and
// changes it only through its methods; every call that may wait (a
// transaction posted over HTTP, a snapshot) runs in a tea.Cmd.
package netview

import (
	"context"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"blockscope/localnet"
	"blockscope/ui/common"
)

// Network is what the screen needs of a localnet.Network.
type Network interface {
	Snapshot() localnet.Snapshot
	Events() ([]localnet.Event, uint64)
	Split()
	Heal()
	IsSplit() bool
	SetShare(i int, q float64) error
	SetPaused(i int, paused bool) error
	Paused(i int) bool
	SetLatency(d time.Duration)
	Latency() time.Duration
	AddTransaction(ctx context.Context, i int, author, content string) error
	Transactions() []localnet.TxKey
	Confirmations(key localnet.TxKey) []int
	Options() localnet.Options
}

// Options configure the screen.
type Options struct {
	Network Network
	// Context ends the screen's background work (the race).
	Context context.Context
	// Renderer draws the styles; nil: lipgloss's default (NO_COLOR aware).
	Renderer *lipgloss.Renderer
	// Now is the clock for the event log; nil: time.Now.
	Now func() time.Time
	// Refresh is how often the screen reads the network; 0: 4 a second,
	// negative: only at start (goldens).
	Refresh time.Duration
}

// Model is the network screen's Bubble Tea model.
type Model struct {
	opts          Options
	net           Network
	st            common.Styles
	keys          keyMap
	help          help.Model
	width, height int

	snap     localnet.Snapshot
	events   []localnet.Event
	selected int
	follow   *localnet.TxKey
	confs    []int
	typed    int // transactions added from the keyboard
	status   string
	fullHelp bool
	back     int // events of the log scrolled past, counted from the newest
	race     *raceView
}

// New returns the screen over opts.Network.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Refresh == 0 {
		opts.Refresh = 250 * time.Millisecond
	}
	m := &Model{opts: opts, net: opts.Network, st: common.NewStyles(opts.Renderer), keys: newKeyMap(), help: help.New(), width: 100, height: 30}
	m.help.Styles = m.st.Help
	return m
}

// snapMsg carries what the screen read of the network.
type snapMsg struct {
	snap   localnet.Snapshot
	events []localnet.Event
	confs  []int
}

// refreshMsg asks for the next read.
type refreshMsg struct{}

// doneMsg reports an action that ran in a command.
type doneMsg struct {
	status string
	follow *localnet.TxKey
}

// Init reads the network.
func (m *Model) Init() tea.Cmd { return m.read() }

// read takes a snapshot in a command: it walks every node's chain.
func (m *Model) read() tea.Cmd {
	follow := m.follow
	return func() tea.Msg {
		msg := snapMsg{snap: m.net.Snapshot()}
		msg.events, _ = m.net.Events()
		if follow != nil {
			msg.confs = m.net.Confirmations(*follow)
		}
		return msg
	}
}

// Update handles keys, window sizes and the network's state.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
	case snapMsg:
		m.keepScroll(m.events, msg.events)
		m.snap, m.events, m.confs = msg.snap, msg.events, msg.confs
		if m.opts.Refresh > 0 {
			return m, tea.Tick(m.opts.Refresh, func(time.Time) tea.Msg { return refreshMsg{} })
		}
	case refreshMsg:
		return m, m.read()
	case doneMsg:
		m.status = msg.status
		if msg.follow != nil {
			m.follow = msg.follow
		}
		return m, m.read()
	case raceMsg, raceDoneMsg:
		if m.race != nil {
			return m, m.race.update(msg)
		}
	case tea.KeyMsg:
		if m.race != nil {
			return m.raceKey(msg)
		}
		return m.handleKey(msg)
	}
	return m, nil
}

// handleKey handles the network view's keys.
func (m *Model) handleKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	n := len(m.snap.Nodes)
	if m.scrollEvents(msg) {
		return m, nil
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Help):
		m.fullHelp = !m.fullHelp
	case key.Matches(msg, m.keys.Split):
		return m, m.toggleSplit()
	case key.Matches(msg, m.keys.Next) && n > 0:
		m.selected = (m.selected + 1) % m.locals()
	case key.Matches(msg, m.keys.Prev) && n > 0:
		m.selected = (m.selected + m.locals() - 1) % m.locals()
	case key.Matches(msg, m.keys.ShareUp), key.Matches(msg, m.keys.ShareDown):
		return m, m.changeShare(key.Matches(msg, m.keys.ShareUp))
	case key.Matches(msg, m.keys.Latency):
		return m, m.cycleLatency()
	case key.Matches(msg, m.keys.Pause):
		return m, m.togglePause()
	case key.Matches(msg, m.keys.AddTx):
		return m, m.addTx()
	case key.Matches(msg, m.keys.Follow):
		m.cycleFollow()
		return m, m.read()
	case key.Matches(msg, m.keys.Attack):
		m.race = newRaceView(m.opts.Context, m.st, m.net.Options().Difficulty)
		return m, m.race.start()
	}
	return m, nil
}

// locals counts the local nodes (the first of the snapshot's nodes).
func (m *Model) locals() int {
	k := 0
	for _, n := range m.snap.Nodes {
		if !n.Outside {
			k++
		}
	}
	return max(k, 1)
}

func (m *Model) name(i int) string {
	if i < len(m.snap.Nodes) {
		return m.snap.Nodes[i].Name
	}
	return "?"
}

func (m *Model) toggleSplit() tea.Cmd {
	return func() tea.Msg {
		if m.net.IsSplit() {
			m.net.Heal()
			return doneMsg{status: "network healed"}
		}
		m.net.Split()
		return doneMsg{status: "network split in two halves: x heals it"}
	}
}

func (m *Model) changeShare(up bool) tea.Cmd {
	i := m.selected
	q := 0.0
	if i < len(m.snap.Nodes) {
		q = m.snap.Nodes[i].Share
	}
	if up {
		q = min(1, q+0.05)
	} else {
		q = max(0, q-0.05)
	}
	name := m.name(i)
	return func() tea.Msg {
		if err := m.net.SetShare(i, q); err != nil {
			return doneMsg{status: "error: " + err.Error()}
		}
		return doneMsg{status: fmt.Sprintf("%s has %.0f%% of the hash power", name, 100*q)}
	}
}

// latencies are the steps of the latency key.
var latencies = []time.Duration{0, 100 * time.Millisecond, 400 * time.Millisecond, time.Second}

func (m *Model) cycleLatency() tea.Cmd {
	next := latencies[0]
	for k, d := range latencies {
		if d == m.snap.Latency {
			next = latencies[(k+1)%len(latencies)]
		}
	}
	return func() tea.Msg {
		m.net.SetLatency(next)
		return doneMsg{status: fmt.Sprintf("every link takes %s each way", next)}
	}
}

func (m *Model) togglePause() tea.Cmd {
	i, name := m.selected, m.name(m.selected)
	return func() tea.Msg {
		paused := !m.net.Paused(i)
		if err := m.net.SetPaused(i, paused); err != nil {
			return doneMsg{status: "error: " + err.Error()}
		}
		if paused {
			return doneMsg{status: name + "'s miner is paused"}
		}
		return doneMsg{status: name + " mines again"}
	}
}

// addTx posts a transaction to the selected node and follows it.
func (m *Model) addTx() tea.Cmd {
	m.typed++
	i, name := m.selected, m.name(m.selected)
	tx := localnet.TxKey{Author: "you", Content: fmt.Sprintf("keyboard payment %d at %s", m.typed, name), Node: i}
	ctx := m.opts.Context
	return func() tea.Msg {
		if err := m.net.AddTransaction(ctx, i, tx.Author, tx.Content); err != nil {
			return doneMsg{status: "error: " + err.Error()}
		}
		return doneMsg{status: fmt.Sprintf("%s took %q; following it (f for another)", name, tx.Content), follow: &tx}
	}
}

// cycleFollow follows the next older acknowledged transaction.
func (m *Model) cycleFollow() {
	txs := m.net.Transactions()
	if len(txs) == 0 {
		m.status = "no transaction yet: t adds one at the selected node"
		return
	}
	at := len(txs) - 1
	if m.follow != nil {
		for k, tx := range txs {
			if tx == *m.follow {
				at = (k - 1 + len(txs)) % len(txs)
			}
		}
	}
	m.follow = &txs[at]
	m.status = "following " + txs[at].Content
}
