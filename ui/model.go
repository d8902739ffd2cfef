// Package ui is blockscope's terminal screen, a Bubble Tea model: the
// pending transactions, the chain (newest first, virtualised), the live
// nonce search, the transaction form, the block inspector, the chain filter
// and the network view.
//
// The model never blocks: disk writes, template building, starting and
// stopping searches and filter scans run in commands, and the miner's
// events, the chain's changes and the node's events each arrive through one
// command re-armed after every message.
package ui

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
)

// The smallest screen the layout is drawn for; below it the screen says so.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Options configure the screen.
type Options struct {
	// Chain is the chain to show and mine on; required.
	Chain *blockchain.Chain
	// Miner runs nonce searches; nil means DefaultMiner.
	Miner Miner
	// Network is the node serving the API beside the screen; nil when
	// there is none.
	Network Network
	// Context ends the screen's background waits; nil means
	// context.Background. Cancel it after the program returns.
	Context context.Context

	// Difficulty is the initial mining target; below the chain's floor
	// means the floor.
	Difficulty int
	// Workers is the number of hashing goroutines; 0 means all cores.
	Workers int
	// Pace is the initial mining pace.
	Pace miner.Pace
	// Auto starts with auto-mine on.
	Auto bool
	// Lab opens the tamper lab at start, on block 1 (or the genesis when
	// the chain has no other).
	Lab bool

	// Where names the store for the header ("" for memory).
	Where string
	// API is the header's note on the HTTP API, e.g. "api 127.0.0.1:8000"
	// or "api off: address already in use"; "" for none.
	API string
	// Notice is the status line's first message.
	Notice string

	// Now is the clock that ages and times are shown by; nil means time.Now.
	Now func() time.Time
	// Renderer decides the colour profile; nil means lipgloss's default,
	// which follows the terminal and NO_COLOR.
	Renderer *lipgloss.Renderer
	// Tick is how often ages are refreshed; 0 means a second, negative
	// means never (for tests).
	Tick time.Duration
}

// Pane numbers, in tab order.
const (
	panePending = iota
	paneChain
	paneMining
	paneCount
)

// Model is the screen. It is a value: Update returns the next one. Shared
// handles (the chain, the search set) make it cheap to copy; Close releases
// them after the program has returned.
type Model struct {
	opts   Options
	ctx    context.Context
	chain  *blockchain.Chain
	miner  Miner
	st     Styles
	keys   keyMap
	fkeys  formKeys
	flkeys filterKeys
	help   help.Model

	width, height int
	focus         int

	pending pendingPane
	chainP  chainPane
	mining  miningPane

	form       txForm
	formOpen   bool
	insp       inspector
	inspecting bool
	filter     filterBar
	showHelp   bool
	showNet    bool
	lab        Lab
	labOpen    bool
	lesson     DifficultyLesson // the blocks mined here, for the lab's lesson

	status      statusLine
	lastMined   int64 // the index of the last block mined here, -1 for none
	minedText   string
	received    int // blocks received from peers since start
	peers       []node.PeerStatus
	netClosed   bool
	changes     <-chan struct{}
	unsubscribe func()

	// The search: gen numbers every start, so events and results of a
	// search that was stopped or replaced are recognised and dropped.
	searches    *searchSet
	search      Search
	gen         uint64
	tmplVersion uint64 // the chain's Version when the running template was built
	manual      bool   // m asked for one block
	storing     int    // transactions submitted from the form, not yet stored
}

// New returns the screen for opts. It subscribes to the chain's changes;
// Close ends the subscription.
func New(opts Options) Model {
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Miner == nil {
		opts.Miner = DefaultMiner
	}
	if opts.Tick == 0 {
		opts.Tick = time.Second
	}
	st := NewStyles(opts.Renderer)
	c := opts.Chain
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	m := Model{
		opts:      opts,
		ctx:       opts.Context,
		chain:     c,
		miner:     opts.Miner,
		st:        st,
		keys:      newKeyMap(),
		fkeys:     newFormKeys(),
		flkeys:    newFilterKeys(),
		help:      h,
		focus:     paneChain,
		chainP:    newChainPane(c),
		form:      newTxForm(st),
		filter:    newFilterBar(st),
		status:    info(opts.Notice),
		lastMined: -1,
		searches:  newSearchSet(),
		mining: miningPane{
			target:  max(opts.Difficulty, c.Difficulty()),
			pace:    opts.Pace,
			auto:    opts.Auto,
			workers: workers,
			rateSec: -1,
		},
	}
	m.pending = m.pending.SetItems(c.Pending(), 0)
	m.changes, m.unsubscribe = c.Subscribe()
	if opts.Network != nil {
		m.peers = opts.Network.Peers()
	}
	if opts.Lab {
		m = m.openLab(min(1, int64(c.Len()-1)))
	}
	return m
}

// Close stops every search the screen started and waits for each, and
// ends the chain subscription. Call it once the program has returned; it
// is safe to call on any copy of the model, and more than once.
func (m Model) Close() {
	if m.labOpen {
		m.lab.Close()
	}
	m.searches.closeAll()
	if m.unsubscribe != nil {
		m.unsubscribe()
	}
}

// Init starts the waits on the chain, the clock and the node, and mining
// when auto-mine is on and something is pending.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{waitChange(m.ctx, m.changes), tick(m.opts.Tick)}
	if m.opts.Network != nil {
		cmds = append(cmds, waitNetwork(m.ctx, m.opts.Network))
	}
	if m.mining.auto && len(m.pending.txs) > 0 {
		// Init cannot change the model, so the search is started by the
		// first chain check instead.
		cmds = append(cmds, func() tea.Msg { return chainChangedMsg{} })
	}
	return tea.Batch(cmds...)
}

// Update handles one message and returns at once; anything slow runs in the
// commands it returns.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		return m.eachRune(k)
	}
	if m.labOpen {
		next, cmd, done := m.labUpdate(msg)
		if done {
			return next, cmd
		}
		m = next
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m = m.relayout()
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case chainChangedMsg:
		m, cmd := m.refresh()
		m, cmd2 := m.reconcile(false)
		return m, tea.Batch(waitChange(m.ctx, m.changes), cmd, cmd2)
	case tickMsg:
		if m.opts.Network != nil {
			m.peers = m.opts.Network.Peers()
		}
		return m, tick(m.opts.Tick)
	case txStoredMsg:
		return m.txStored(msg)
	case searchStartedMsg:
		return m.searchStarted(msg)
	case minerEventMsg:
		return m.minerEvent(msg)
	case blockStoredMsg:
		return m.blockStored(msg)
	case filterResultMsg:
		if msg.seq != m.filter.seq {
			return m, nil
		}
		m.filter.scanning = false
		m.chainP = m.chainP.SetFilter(msg.query, msg.matches, m.topHeight())
		return m, nil
	case networkEventMsg:
		return m.networkEvent(msg)
	case StatusMsg:
		m.status = statusLine{text: msg.Text, err: msg.Err}
		if m.opts.Network != nil {
			m.peers = m.opts.Network.Peers()
		}
		return m, nil
	case announcedMsg:
		// The node reports the outcome as an event, which the status shows.
		return m, nil
	}
	// Any other message belongs to the input that has the keyboard: a
	// textinput's paste from the clipboard (ctrl+v) comes back as a message
	// of its own, of a type only it knows.
	switch {
	case m.labOpen:
		var cmd tea.Cmd
		m.lab, cmd = m.lab.Update(msg)
		return m, cmd
	case m.formOpen:
		var cmd tea.Cmd
		m.form, cmd = m.form.Update(msg, m.fkeys)
		return m, cmd
	case m.filter.typing:
		return m.filterInput(msg)
	}
	return m, nil
}

// eachRune handles keys that arrived as one message: Bubble Tea reads the
// terminal in chunks, and characters typed faster than it reads (or sent by
// tmux send-keys, or over a slow link) come as one run such as "nalice",
// which matches no shortcut. Each is handled as the key it was. A paste is
// text and is never split.
func (m Model) eachRune(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	var next tea.Model = m
	cmds := make([]tea.Cmd, 0, len(k.Runes))
	for _, r := range k.Runes {
		one := k
		one.Runes = []rune{r}
		var cmd tea.Cmd
		next, cmd = next.(Model).Update(one)
		cmds = append(cmds, cmd)
	}
	return next, tea.Batch(cmds...)
}

// relayout fits the panes to the window.
func (m Model) relayout() Model {
	top := m.topHeight()
	m.pending = m.pending.SetItems(m.pending.txs, top)
	m.chainP = m.chainP.SetLength(m.chainP.length, top)
	if m.inspecting {
		m.insp = m.insp.layout(m.st, m.width, m.middleHeight(), m.opts.Now())
	}
	return m
}

// refresh reads the chain and the pool after a change, and rescans the
// filter when the chain grew.
func (m Model) refresh() (Model, tea.Cmd) {
	top := m.topHeight()
	m.pending = m.pending.SetItems(m.chain.Pending(), top)
	n := int64(m.chain.Len())
	grew := n != m.chainP.length
	m.chainP = m.chainP.SetLength(n, top)
	if grew && m.chainP.filtered {
		return m.scan()
	}
	return m, nil
}

// scan starts a filter scan for the typed query.
func (m Model) scan() (Model, tea.Cmd) {
	q := m.filter.Query()
	if q == "" {
		m.filter.scanning = false
		m.filter.seq++
		m.chainP = m.chainP.ClearFilter(m.topHeight())
		return m, nil
	}
	m.filter.seq++
	m.filter.scanning = true
	return m, scanChain(m.ctx, m.filter.seq, q, m.chain)
}

// handleKey routes a key: the form and the filter line take every key as
// text (only ctrl+c still quits); overlays take their own keys; the rest
// are shortcuts.
func (m Model) handleKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if k.Type == tea.KeyCtrlC {
		return m, tea.Quit
	}
	switch {
	case m.formOpen:
		return m.formKey(k)
	case m.filter.typing:
		return m.filterKey(k)
	case m.showHelp:
		if key.Matches(k, m.keys.Back, m.keys.Help) {
			m.showHelp = false
		} else if key.Matches(k, m.keys.Quit) {
			return m, tea.Quit
		}
		return m, nil
	case m.showNet:
		if key.Matches(k, m.keys.Back, m.keys.Network) {
			m.showNet = false
		} else if key.Matches(k, m.keys.Quit) {
			return m, tea.Quit
		}
		return m, nil
	case m.inspecting:
		switch {
		case key.Matches(k, m.keys.Back), key.Matches(k, m.keys.Inspect):
			m.inspecting = false
		case key.Matches(k, m.keys.Quit):
			return m, tea.Quit
		case key.Matches(k, m.keys.Help):
			m.showHelp = true
		case key.Matches(k, m.keys.Lab):
			// Tamper with the inspected block; leaving the lab returns here.
			m = m.openLab(m.insp.block.Index())
		default:
			m.insp, _ = m.insp.Update(k, m.keys)
		}
		return m, nil
	}

	keys := m.keys
	switch {
	case key.Matches(k, keys.Quit):
		return m, tea.Quit
	case key.Matches(k, keys.Help):
		m.showHelp = true
	case key.Matches(k, keys.Network):
		m.showNet = true
		if m.opts.Network != nil {
			m.peers = m.opts.Network.Peers()
		}
	case key.Matches(k, keys.NewTx):
		m.form = m.form.Open()
		m.formOpen = true
	case key.Matches(k, keys.Filter):
		m.filter.typing = true
		m.focus = paneChain
		m.filter.input.Focus()
		m.filter.input.Err = nil // a failed paste of an earlier visit is old news
	case key.Matches(k, keys.Back):
		if m.chainP.filtered {
			clearInput(&m.filter.input)
			m.filter.seq++
			m.chainP = m.chainP.ClearFilter(m.topHeight())
		}
	case key.Matches(k, keys.NextPane):
		m.focus = (m.focus + 1) % paneCount
	case key.Matches(k, keys.PrevPane):
		m.focus = (m.focus + paneCount - 1) % paneCount
	case key.Matches(k, keys.Pane1):
		m.focus = panePending
	case key.Matches(k, keys.Pane2):
		m.focus = paneChain
	case key.Matches(k, keys.Pane3):
		m.focus = paneMining
	case key.Matches(k, keys.Mine):
		return m.toggleMining()
	case key.Matches(k, keys.Auto):
		m.mining.auto = !m.mining.auto
		if m.mining.auto {
			m.status = info("auto-mine on: every pending transaction is mined as it arrives")
		} else {
			m.status = info("auto-mine off")
		}
		return m.reconcile(false)
	case key.Matches(k, keys.Harder):
		return m.setTarget(m.mining.target + 1)
	case key.Matches(k, keys.Easier):
		return m.setTarget(m.mining.target - 1)
	case key.Matches(k, keys.Pace):
		m.mining.pace = nextPace(m.mining.pace)
		m.status = info("pace " + m.mining.pace.String() + paceNote(m.mining.pace))
		return m.reconcile(true)
	case key.Matches(k, keys.Step):
		if m.mining.pace != miner.Step {
			return m, nil
		}
		if m.search == nil {
			m.status = info("step pace: m starts the search, then space tries one nonce at a time")
			return m, nil
		}
		m.search.Step()
	case key.Matches(k, keys.Lab):
		if h, ok := m.chainP.SelectedHeight(); ok {
			m = m.openLab(h)
		}
	case key.Matches(k, keys.Inspect):
		if m.focus == paneChain {
			if h, ok := m.chainP.SelectedHeight(); ok {
				if in, ok := openInspector(m.st, m.chain, h, m.width, m.middleHeight(), m.opts.Now()); ok {
					m.insp, m.inspecting = in, true
				}
			}
		}
	default:
		return m.moveKey(k)
	}
	return m, nil
}

// paceNote explains a pace in a few words for the status line.
func paceNote(p miner.Pace) string {
	switch p {
	case miner.Unlimited:
		return ": as fast as the workers go"
	case miner.Step:
		return ": space tries one nonce"
	}
	return ": one worker, each attempt listed"
}

// moveKey passes a movement key to the focused pane.
func (m Model) moveKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	top := m.topHeight()
	switch m.focus {
	case panePending:
		m.pending, _ = m.pending.Update(k, m.keys, top)
	case paneChain:
		m.chainP, _ = m.chainP.Update(k, m.keys, top)
	}
	return m, nil
}

// formKey handles a key while the form is open: every key is text except
// tab, enter and esc.
func (m Model) formKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.fkeys.Cancel):
		m.formOpen = false
		return m, nil
	case key.Matches(k, m.fkeys.Submit):
		tx := m.form.Value()
		// Checked here first, so the reason shows at once and nothing
		// invalid reaches the disk; AddTransaction checks again.
		if _, err := blockchain.NewTransaction(tx, m.opts.Now()); err != nil {
			m.form = m.form.Refused(err)
			return m, nil
		}
		// The form closes now, so keys typed next are shortcuts again; it
		// keeps the text, and reopens with it should storing fail.
		m.formOpen, m.form.err = false, ""
		m.storing++
		m.status = info("storing the transaction from " + clip(oneLine(blockchain.TxAuthor(tx)), 24) + "…")
		return m, storeTx(m.chain, tx)
	}
	var cmd tea.Cmd
	m.form, cmd = m.form.Update(k, m.fkeys)
	return m, cmd
}

// txStored reports a stored transaction, or reopens the form with the
// typed text and the reason it was not stored.
func (m Model) txStored(msg txStoredMsg) (tea.Model, tea.Cmd) {
	m.storing = max(0, m.storing-1)
	if msg.err != nil {
		m.formOpen = true
		m.form = m.form.Refused(msg.err)
		m.status = failure("transaction not stored: " + msg.err.Error())
		return m, nil
	}
	m.status = info("transaction from " + clip(oneLine(msg.tx.Author()), 24) + " added to pending")
	// The pool changed; show it now rather than when the change arrives.
	m, cmd := m.refresh()
	m.pending.Cursor = len(m.pending.txs) - 1
	m.pending = m.pending.SetItems(m.pending.txs, m.topHeight())
	m, cmd2 := m.reconcile(false)
	return m, tea.Batch(cmd, cmd2)
}

// filterKey handles a key while the filter line is typed in.
func (m Model) filterKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.flkeys.Clear):
		m.filter.typing = false
		m.filter.input.Blur()
		clearInput(&m.filter.input)
		m.filter.seq++
		m.filter.scanning = false
		m.chainP = m.chainP.ClearFilter(m.topHeight())
		return m, nil
	case key.Matches(k, m.flkeys.Apply):
		m.filter.typing = false
		m.filter.input.Blur()
		return m, nil
	}
	return m.filterInput(k)
}

// filterInput passes a key, or the input's own message, to the filter line
// and scans the chain again when the query changed.
func (m Model) filterInput(msg tea.Msg) (tea.Model, tea.Cmd) {
	before := m.filter.Query()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if m.filter.Query() == before {
		return m, cmd
	}
	m, scan := m.scan()
	return m, tea.Batch(cmd, scan)
}

// handleMouse scrolls with the wheel and focuses the pane clicked.
func (m Model) handleMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if m.formOpen || m.showHelp || m.showNet {
		return m, nil
	}
	delta := 0
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		delta = -3
	case tea.MouseButtonWheelDown:
		delta = 3
	case tea.MouseButtonLeft:
		if msg.Action == tea.MouseActionPress && !m.inspecting {
			if p, ok := m.paneAt(msg.X, msg.Y); ok {
				m.focus = p
			}
		}
		return m, nil
	default:
		return m, nil
	}
	if m.inspecting {
		m.insp, _ = m.insp.Update(scrollMsg(delta), m.keys)
		return m, nil
	}
	if p, ok := m.paneAt(msg.X, msg.Y); ok {
		m.focus = p
	}
	top := m.topHeight()
	switch m.focus {
	case panePending:
		m.pending, _ = m.pending.Update(scrollMsg(delta), m.keys, top)
	case paneChain:
		m.chainP, _ = m.chainP.Update(scrollMsg(delta), m.keys, top)
	}
	return m, nil
}

// paneAt returns the pane under screen cell (x, y).
func (m Model) paneAt(x, y int) (int, bool) {
	top := m.topHeight()
	switch {
	case y >= 1 && y < 1+top:
		if x < m.pendingWidth() {
			return panePending, true
		}
		return paneChain, true
	case y >= 1+top && y < 1+top+m.miningHeight():
		return paneMining, true
	}
	return 0, false
}

// Mining control.

// wantMining reports whether a search should run: one block asked for
// with m, or auto-mine, and something pending either way.
func (m Model) wantMining() bool {
	return (m.manual || m.mining.auto) && len(m.pending.txs) > 0
}

// toggleMining is the m key: start mining the pool, or stop (which also
// turns auto-mine off, or it would start again at once).
func (m Model) toggleMining() (tea.Model, tea.Cmd) {
	if m.mining.state == mineStarting || m.mining.state == mineRunning {
		m.manual, m.mining.auto = false, false
		m.status = info("mining stopped")
		return m.reconcile(false)
	}
	if m.mining.state == mineStoring {
		return m, nil
	}
	if len(m.pending.txs) == 0 && m.storing == 0 {
		m.status = info("no transactions to mine: n adds one")
		return m, nil
	}
	// A transaction still on its way to the disk counts: mining starts
	// as soon as it is in the pool.
	m.manual = true
	what := plural(int64(len(m.pending.txs)), "transaction")
	if len(m.pending.txs) == 0 {
		what = "the transaction being stored"
	}
	m.status = info("mining " + what + " into block #" + strconv.Itoa(m.chain.Len()) + " at target " + strconv.Itoa(m.mining.target))
	return m.reconcile(false)
}

// setTarget changes the mining target, never below the chain's floor, and
// restarts a running search on it.
func (m Model) setTarget(d int) (tea.Model, tea.Cmd) {
	floor := m.chain.Difficulty()
	switch {
	case d < floor:
		m.status = info("target " + strconv.Itoa(floor) + " is the chain's floor: blocks with fewer zeros are invalid")
		return m, nil
	case d > blockchain.MaxDifficulty:
		m.status = info("target " + strconv.Itoa(blockchain.MaxDifficulty) + " is the most a SHA-256 hash can have")
		return m, nil
	}
	m.mining.target = d
	m.status = info("target " + strconv.Itoa(d) + ": ~" + siCount(expectedAttempts(d)) + " attempts per block on average")
	return m.reconcile(true)
}

// reconcile starts, stops or restarts the search so that it matches what
// is wanted: restart forces a fresh search (new target or pace); otherwise
// a running search restarts only when its template is stale.
func (m Model) reconcile(restart bool) (Model, tea.Cmd) {
	want := m.wantMining()
	switch m.mining.state {
	case mineStoring:
		return m, nil
	case mineIdle:
		if want {
			return m.start()
		}
		return m, nil
	}
	if !want {
		if len(m.pending.txs) == 0 {
			// A block from elsewhere took the pool: the block asked for
			// exists, so a later transaction does not restart mining.
			m.manual = false
			m.status = info("mining stopped: a block from elsewhere holds the pending transactions")
		}
		return m.stop()
	}
	if restart || (m.mining.state == mineRunning && m.stale()) {
		m, stop := m.stop()
		m, start := m.start()
		return m, tea.Batch(stop, start)
	}
	return m, nil
}

// stale reports whether the running search's template no longer matches
// the chain: a new tip (ours, from the API or a peer) or a changed pool.
// It asks the chain itself rather than the panes, which catch up only when
// the change's message arrives: a template built after the change but
// before its message is current, and restarting it would waste a search.
func (m Model) stale() bool {
	return m.tmplVersion != m.chain.Version()
}

// start starts a new search generation.
func (m Model) start() (Model, tea.Cmd) {
	m.gen++
	m.mining.state = mineStarting
	cfg := miner.Config{Difficulty: m.mining.target, Workers: m.opts.Workers, Pace: m.mining.pace}
	return m, startSearch(m.ctx, m.gen, m.chain, m.miner, m.searches, cfg)
}

// stop ends the current search generation; the search itself is stopped
// in a command.
func (m Model) stop() (Model, tea.Cmd) {
	m.gen++
	m.mining.state = mineIdle
	s := m.search
	m.search = nil
	if s == nil {
		return m, nil
	}
	return m, stopSearch(m.searches, s)
}

func (m Model) searchStarted(msg searchStartedMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		if msg.search != nil {
			return m, stopSearch(m.searches, msg.search)
		}
		return m, nil
	}
	if msg.err != nil || msg.search == nil {
		m.mining.state = mineIdle
		m.manual = false
		if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
			m.status = failure("mining did not start: " + msg.err.Error())
		}
		return m, nil
	}
	m.search = msg.search
	m.tmplVersion = msg.version
	m.mining = m.mining.Started(msg.template.Index(), len(msg.template.Transactions()))
	wait := waitSearch(m.ctx, m.gen, m.search)
	if m.stale() {
		// The pool or the tip changed while the search was starting.
		m, cmd := m.reconcile(false)
		return m, tea.Batch(wait, cmd)
	}
	return m, wait
}

func (m Model) minerEvent(msg minerEventMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen || m.search == nil {
		return m, nil // a stopped or replaced search
	}
	if msg.closed {
		m.mining.state = mineIdle
		m.search = nil
		m.manual = false
		return m, nil
	}
	switch ev := msg.ev.(type) {
	case miner.Progress:
		m.mining, _ = m.mining.Update(ev)
	case miner.Found:
		s := m.search
		m.search = nil
		m.gen++
		m.mining.state = mineStoring
		m.mining.progress.Attempts = ev.Attempts
		return m, tea.Batch(stopSearch(m.searches, s), storeBlock(m.chain, ev))
	case miner.Failed:
		m.status = failure("mining failed: " + ev.Err.Error())
		m.manual, m.mining.auto = false, false
	case miner.Done:
		s := m.search
		m.search = nil
		m.gen++
		m.mining.state = mineIdle
		m.manual = false
		return m, stopSearch(m.searches, s)
	}
	return m, waitSearch(m.ctx, m.gen, m.search)
}

func (m Model) blockStored(msg blockStoredMsg) (tea.Model, tea.Cmd) {
	m.mining.state = mineIdle
	m.manual = false
	b := msg.found.Block
	if msg.err != nil {
		if blockchain.IsRuleError(msg.err) {
			m.status = failure("block #" + strconv.FormatInt(b.Index(), 10) + " was not stored: the chain moved on while it was mined (" + msg.err.Error() + ")")
		} else {
			m.status = failure("block #" + strconv.FormatInt(b.Index(), 10) + " was not stored: " + msg.err.Error())
		}
		m, cmd := m.refresh()
		m, cmd2 := m.reconcile(false)
		return m, tea.Batch(cmd, cmd2)
	}
	m.lastMined = b.Index()
	m.lesson = m.lesson.Add(MinedRecord{Index: b.Index(), Difficulty: m.mining.target, Attempts: msg.found.Attempts, Duration: msg.found.Elapsed})
	m.minedText = "block #" + strconv.FormatInt(b.Index(), 10) + " mined in " + seconds(msg.found.Elapsed) + " after " + groupDigits(int64(msg.found.Attempts)) + " attempts"
	m.status = info(m.minedText)
	m, cmd := m.refresh()
	m, cmd2 := m.reconcile(false)
	cmds := []tea.Cmd{cmd, cmd2}
	if m.opts.Network != nil {
		cmds = append(cmds, announce(m.ctx, m.opts.Network, b))
	}
	return m, tea.Batch(cmds...)
}

func (m Model) networkEvent(msg networkEventMsg) (tea.Model, tea.Cmd) {
	if msg.closed {
		m.netClosed = true
		return m, nil
	}
	ev := msg.ev
	m.peers = m.opts.Network.Peers()
	switch ev.Kind {
	case node.EventBlockReceived:
		m.received++
		m.status = info(ev.Message)
	case node.EventBlockAnnounced:
		if ev.Index == m.lastMined && m.minedText != "" {
			m.status = info(m.minedText + " · " + ev.Message)
		} else {
			m.status = info(ev.Message)
		}
	case node.EventChainAdopted:
		m.received++
		m.status = info(ev.Message)
	case node.EventBlockRejected, node.EventPeerUnreachable, node.EventPeerFaulty:
		m.status = failure(ev.Message)
	default:
		if ev.Message != "" {
			m.status = info(ev.Message)
		}
	}
	return m, waitNetwork(m.ctx, m.opts.Network)
}

// Layout.

// miningHeight is the mining pane's height: three lines, more for the
// attempts of a slow pace when the window is tall enough.
func (m Model) miningHeight() int {
	h := 5
	if m.mining.pace != miner.Unlimited {
		h += min(6, 3+max(0, (m.height-MinHeight)/2))
	}
	return h
}

// topHeight is the height of the pending and chain panes.
func (m Model) topHeight() int { return max(4, m.height-3-m.miningHeight()) }

// middleHeight is everything between the header and the status line.
func (m Model) middleHeight() int { return max(4, m.height-3) }

func (m Model) pendingWidth() int { return max(30, m.width*2/5) }

// View draws the screen.
func (m Model) View() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		return m.tooSmallView()
	}
	if m.labOpen {
		return m.lab.View()
	}
	now := m.opts.Now()
	st := m.st
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.inspecting {
		b.WriteString(m.insp.View(st, m.width, m.middleHeight()))
	} else {
		top := m.topHeight()
		pw := m.pendingWidth()
		b.WriteString(joinColumns(
			m.pending.View(st, pw, top, m.focus == panePending, now),
			m.chainP.View(st, m.width-pw, top, m.focus == paneChain, now),
		))
		b.WriteByte('\n')
		b.WriteString(m.mining.View(st, m.width, m.miningHeight(), m.focus == paneMining, len(m.pending.txs)))
	}
	b.WriteByte('\n')
	if m.filter.typing {
		count := -1
		if m.chainP.filtered {
			count = len(m.chainP.matches)
		}
		b.WriteString(m.filter.View(st, m.width, count))
	} else {
		b.WriteString(m.status.View(st, m.width))
	}
	b.WriteByte('\n')
	b.WriteString(m.helpBarView())
	screen := b.String()

	switch {
	case m.formOpen:
		screen = overlay(screen, m.form.View(st, min(72, m.width-4)), m.width, m.height)
	case m.showHelp:
		screen = overlay(screen, m.fullHelpView(), m.width, m.height)
	case m.showNet:
		screen = overlay(screen, networkView(st, m.opts.Network, m.apiNote(), int64(m.chain.Len()), m.received, min(96, m.width-4), now, m.peers), m.width, m.height)
	}
	return screen
}

// apiNote is the header's note on the HTTP API.
func (m Model) apiNote() string {
	if m.opts.API == "" {
		return "api off"
	}
	return m.opts.API
}

// headerView is the top line: the chain's summary, the settings that shape
// mining, the API and peers, and where the store lives.
func (m Model) headerView() string {
	st := m.st
	// Parts in display order with a rank: on a narrow window the lowest
	// ranks go first, so the chain and the API's address stay.
	type part struct {
		text string
		rank int
	}
	parts := []part{
		{"chain " + plural(m.chainP.length, "block"), 5},
		{"floor " + strconv.Itoa(m.chain.Difficulty()), 1},
		{"target " + strconv.Itoa(m.mining.target), 3},
	}
	if m.mining.pace != miner.Unlimited {
		parts = append(parts, part{"pace " + m.mining.pace.String(), 2})
	}
	if m.mining.auto {
		parts = append(parts, part{"auto-mine on", 2})
	}
	parts = append(parts, part{m.apiNote(), 4})
	if m.opts.Network != nil {
		parts = append(parts, part{peerSummary(m.peers), 3})
	}
	name := " " + st.ink.HeaderName.Render("blockscope") + "  "
	text := func() string {
		var ss []string
		for _, p := range parts {
			ss = append(ss, p.text)
		}
		return strings.Join(ss, " · ")
	}
	for len(parts) > 1 && 13+ansi.StringWidth(text()) > m.width {
		low := 0
		for i, p := range parts {
			if p.rank < parts[low].rank {
				low = i
			}
		}
		parts = append(parts[:low], parts[low+1:]...)
	}
	left := name + st.ink.Header.Render(text())
	where := m.opts.Where
	if where == "" {
		where = "in memory: nothing is saved"
	}
	room := m.width - ansi.StringWidth(left) - 3
	if room < 8 {
		return fit(left, m.width)
	}
	if ansi.StringWidth(where) > room {
		where = "…" + ansi.TruncateLeft(where, ansi.StringWidth(where)-room+1, "")
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(where) - 1
	return left + strings.Repeat(" ", max(1, gap)) + st.ink.Dim.Render(where) + " "
}

// tooSmallView replaces the screen when the window is below the minimum.
func (m Model) tooSmallView() string {
	lines := []string{
		"blockscope needs a window of at least " + strconv.Itoa(MinWidth) + "×" + strconv.Itoa(MinHeight) + ";",
		"this one is " + strconv.Itoa(m.width) + "×" + strconv.Itoa(m.height) + ".",
		"Enlarge it, or press q to quit.",
	}
	var b strings.Builder
	top := max(0, (m.height-len(lines))/2)
	for i := 0; i < m.height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if j := i - top; j >= 0 && j < len(lines) {
			l := clip(lines[j], m.width)
			pad := max(0, (m.width-ansi.StringWidth(l))/2)
			b.WriteString(strings.Repeat(" ", pad) + l)
		}
	}
	return b.String()
}
