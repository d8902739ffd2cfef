package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"blockscope/blockchain"
	"blockscope/miner"
	"blockscope/node"
	"blockscope/ui/common"
	"blockscope/ui/lab"
)

// Options configure the screen.
type Options struct {
	// Chain is the chain to show and mine on; required.
	Chain *blockchain.Chain
	// Miner runs nonce searches; nil means common.DefaultMiner.
	Miner common.Miner
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
	// API is the node's HTTP API: where it listens, or why it is off.
	API API
	// Notice is the status line's first message.
	Notice string
	// Peers are the URLs the screen's owner registers with (--peer); the
	// network view lists them until the node does, with the outcome of
	// registering that StatusMsg reports.
	Peers []string

	// Now is the clock that ages and times are shown by; nil means time.Now.
	Now func() time.Time
	// Renderer decides the colour profile; nil means lipgloss's default,
	// which follows the terminal and NO_COLOR.
	Renderer *lipgloss.Renderer
	// Tick is how often ages are refreshed; 0 means a second, negative
	// means never (for tests).
	Tick time.Duration
	// Clipboard copies what y picks; nil means the screen cannot copy,
	// and says so.
	Clipboard Clipboard
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
	st     common.Styles
	keys   keyMap
	fkeys  formKeys
	flkeys filterKeys
	ckeys  copyKeys
	jkeys  jumpKeys
	pkeys  peerKeys
	dkeys  dropKeys
	help   help.Model

	lay   layout // where each part goes; see relayout
	modes modeStack
	focus int // the pane with the keyboard in modeBrowse

	pending pendingPane
	chainP  chainPane
	mining  mineControl // the search, its settings and its pane

	form    txForm
	copy    copyMenu             // what y offers to copy, while modeCopy is open
	jump    jumpBar              // the block number : takes
	txv     txView               // the pending transaction shown whole, while modeTx is open
	dropTx  blockchain.PendingTx // the pending transaction d asks about, while modeDrop is open
	logv    eventLogView         // the event log, while modeEvents is open
	netSel  int                  // the peer picked in the network view
	netAsk  string               // the peer d asks to remove, until y or n
	staleAt int                  // the stale block shown, counted back from the newest
	insp    inspector
	filter  filterBar
	lab     lab.Model
	lesson  lab.DifficultyLesson // the blocks mined here, for the lab's lesson

	click       lastClick // the last click on a row, for double clicks
	status      statusLine
	events      *eventLog // every status line and node event; shared by copies
	lastMined   int64     // the index of the last block mined here, -1 for none
	minedText   string
	received    fromPeers   // blocks taken from peers since start
	asked       []askedPeer // the --peer nodes, as registering with them went
	peers       []node.PeerStatus
	changes     <-chan struct{}
	unsubscribe func()
	searches    *common.SearchSet // every search running, the lab's too
	progress    progressState     // of the start-up check, read on a tick
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
		opts.Miner = common.DefaultMiner
	}
	if opts.Tick == 0 {
		opts.Tick = time.Second
	}
	st := common.NewStyles(opts.Renderer)
	c := opts.Chain
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	m := Model{
		opts:      opts,
		ctx:       opts.Context,
		chain:     c,
		st:        st,
		keys:      newKeyMap(),
		fkeys:     newFormKeys(),
		flkeys:    newFilterKeys(),
		ckeys:     newCopyKeys(),
		jkeys:     newJumpKeys(),
		pkeys:     newPeerKeys(),
		dkeys:     newDropKeys(),
		jump:      newJumpBar(st),
		help:      h,
		focus:     paneChain,
		chainP:    newChainPane(c),
		form:      newTxForm(st),
		filter:    newFilterBar(st),
		status:    info(opts.Notice),
		events:    newEventLog(maxLogEntries),
		lastMined: -1,
		searches:  common.NewSearchSet(),
	}
	m.mining = newMineControl(opts, m.searches)
	m.pending = m.pending.SetItems(c.Pending())
	m.asked = askedPeers(opts.Peers)
	m = m.noteStatus()
	m.progress = newProgressState(c)
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
	// The lab's searches are in the set: CloseAll stops and waits for them
	// too; closing the lab then only releases its contexts.
	m.searches.CloseAll()
	if m.modes.has(modeLab) {
		m.lab.Close()
	}
	if m.unsubscribe != nil {
		m.unsubscribe()
	}
}

// Init starts the waits on the chain, the clock and the node, and mining
// when auto-mine is on and something is pending.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{waitChange(m.ctx, m.changes), tick(m.opts.Tick), m.progress.initTick()}
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
// commands it returns. A status line set on the way is written to the
// event log.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	if nm, ok := next.(Model); ok {
		return nm.dropUntrueStatus().noteStatus(), cmd
	}
	return next, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		return m.eachRune(k)
	}
	if m.modes.has(modeLab) {
		next, cmd, done := m.labUpdate(msg)
		if done {
			return next, cmd
		}
		m = next
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.lay = newLayout(msg.Width, msg.Height, m.mining.pace)
		return m.relayout(), nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case tea.MouseMsg:
		return m.handleMouse(msg)
	case chainChangedMsg:
		m, cmd := m.reread()
		return m, tea.Batch(waitChange(m.ctx, m.changes), cmd)
	case tickMsg:
		if m.opts.Network != nil {
			m.peers = m.opts.Network.Peers()
		}
		return m, tick(m.opts.Tick)
	case progressTickMsg:
		return m.progressTicked()
	case txStoredMsg:
		return m.txStored(msg)
	case copiedMsg:
		return m.copied(msg), nil
	case peerRemovedMsg:
		return m.peerRemoved(msg), nil
	case pendingDroppedMsg:
		return m.pendingDropped(msg)
	case searchStartedMsg, minerEventMsg, blockStoredMsg:
		return m.mined(m.mining.Update(msg, len(m.pending.txs)))
	case filterResultMsg:
		if msg.seq != m.filter.seq {
			return m, nil
		}
		m.filter = m.filter.stop()
		m.filter.summary = msg.summary()
		m.chainP = m.chainP.SetFilter(msg.query, msg.matches, msg.counts)
		return m, nil
	case networkEventMsg:
		return m.networkEvent(msg)
	case StatusMsg:
		return m.statusMsg(msg), nil
	case rawShownMsg:
		if msg.err != nil {
			m.status = failure(msg.err.Error())
		}
		return m, nil
	}
	return m.otherMsg(msg)
}

// otherMsg hands a message the screen does not know to the view that has
// the keyboard: a textinput's paste from the clipboard (ctrl+v) comes back
// as a message of its own, of a type only it knows, and the lab's search
// reports through messages of its own.
func (m Model) otherMsg(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if m.modes.has(modeLab) {
		// The lab's own messages (its search's events) reach it even while
		// help is open over it.
		m.lab, cmd = m.lab.Update(msg)
		return m, cmd
	}
	switch m.modes.top() {
	case modeForm:
		m.form, cmd = m.form.Update(msg, m.fkeys)
	case modeFilter:
		return m.filterInput(msg)
	case modeJump:
		m.jump.input, cmd = m.jump.input.Update(msg)
	}
	return m, cmd
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

// relayout hands every component its size from the layout. It runs after
// anything that changes a size: the window, the pace (the mining pane's
// height), a pane opened.
func (m Model) relayout() Model {
	l := m.lay
	m.help.Width = l.width
	m.pending = m.pending.SetSize(l.pending.w, l.pending.h)
	m.chainP = m.chainP.SetSize(l.chain.w, l.chain.h)
	m.mining.miningPane = m.mining.SetSize(l.mining.w, l.mining.h)
	m.form = m.form.SetSize(l.form)
	m.filter = m.filter.SetSize(l.width)
	if m.modes.has(modeInspect) {
		m.insp = m.insp.SetSize(l.middle.w, l.middle.h)
	}
	if m.modes.has(modeTx) {
		m.txv = m.txv.SetSize(l.middle.w, l.middle.h)
	}
	if m.modes.has(modeEvents) {
		m.logv = m.logv.SetSize(l.middle.w, l.middle.h)
	}
	if m.modes.has(modeLab) {
		m.lab = m.lab.SetSize(l.width, l.height)
	}
	return m
}

// mined takes what the mining controller did: its next state and command,
// and the news it has for the screen.
func (m Model) mined(c mineControl, cmd tea.Cmd, news mineNews) (Model, tea.Cmd) {
	m.mining = c
	if news.status.text != "" {
		m.status = news.status
	}
	cmds := []tea.Cmd{cmd}
	if f := news.stored; f != nil {
		b := f.Block
		m.lastMined, m.minedText = b.Index(), news.status.text
		m.lesson = m.lesson.Add(lab.MinedRecord{Index: b.Index(), Difficulty: m.mining.target, Attempts: f.Attempts, Duration: f.Elapsed})
		if m.opts.Network != nil {
			cmds = append(cmds, announce(m.ctx, m.opts.Network, b))
		}
	}
	if news.reread {
		var reread tea.Cmd
		m, reread = m.reread()
		cmds = append(cmds, reread)
	}
	return m, tea.Batch(cmds...)
}

// reread reads the chain and the pool after a change, and brings the
// search in line with them.
func (m Model) reread() (Model, tea.Cmd) {
	m, scan := m.refresh()
	c, cmd, news := m.mining.Reconcile(len(m.pending.txs), false)
	m, cmd = m.mined(c, cmd, news)
	return m, tea.Batch(scan, cmd)
}

// refresh reads the chain and the pool after a change, and rescans the
// filter when the chain grew.
func (m Model) refresh() (Model, tea.Cmd) {
	m.pending = m.pending.SetItems(m.chain.Pending())
	if m.status.untilPending && len(m.pending.txs) > 0 {
		m.status = statusLine{} // "nothing to mine" is no longer true
	}
	m.progress.check = m.progress.read() // the check's end comes as a change
	n := int64(m.chain.Len())
	grew := n != m.chainP.length
	m.chainP = m.chainP.SetLength(n)
	if grew && m.chainP.filtered {
		return m.scan()
	}
	return m, nil
}
